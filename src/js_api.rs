//! The JavaScript API: the crate's only `#[wasm_bindgen]` exports.
//!
//! ```js
//! import init, { mount } from './consentry.js';
//! await init();
//! const handle = mount(document.getElementById('consentry'), {
//!   manifestUrl: '/notice/manifest.json', // required: the compiled notice's manifest
//!   endpoint: '/v1/receipts',             // required: where signed receipts are POSTed
//!   language: 'zh-CN',                    // optional BCP 47 tag, tried first
//!   region: 'DE',                         // optional ISO 3166 code (`DE`, `US-CA`)
//!   stylesheetUrl: '/widget/consentry.css', // optional: linked inside the shadow root
//! });
//! handle.show();    // reopen the settings
//! handle.unmount(); // remove the widget
//! handle.withdraw('marketing'); // withdraw one purpose (or all optional ones: no argument)
//! ```
//!
//! Options also take `edgeRegion` (the CDN's country value) and `expiryDays` (default 365);
//! every option, event and attribute is in `docs/embedding.md`.
//!
//! Events on the host element (all `bubbles: true, composed: true`):
//! - `consentry:ready` — `{ decided, decisions, noticeId, version, locale, regime, regimes,
//!   region, determinedBy, gpc }`, after load and after the visitor corrected their region
//! - `consentry:change` — `{ decisions: {<purpose>: bool}, method, receiptId, noticeId,
//!   version, locale, regime, regimes, region, determinedBy, gpc }`, at once on each decision
//! - `consentry:receipt` — `{ receiptId, status: "stored" | "queued" | "rejected", httpStatus,
//!   code, attempts, retryInMs, offline }` for each delivery outcome: queued receipts are
//!   retried with exponential backoff and jitter while the page stays open, and on each mount
//! - `consentry:error` — `{ code, message }`; codes `manifest_unavailable`,
//!   `manifest_invalid`, `notice_unverified` (nothing shown; `data-consentry-state="error"`),
//!   `storage_failed`, `receipt_id_unavailable`, `device_key_unavailable`, `signing_failed`,
//!   `outbox_corrupt`, `action_refused`, `locale_unverified`, `receipt_unavailable`,
//!   `region_invalid`.
//!
//! The host carries `data-consentry-state="loading"`, then `"ready"` or `"error"`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlElement};
use yew::AppHandle;

use consentry_core::ids::PurposeId;

use crate::app::{App, AppProps, Command, MountInfo};
use crate::platform::dom::{MountedDom, new_container, prepare_with};
use crate::platform::{Host, options};
use consentry_web::decisions::resend_outbox;
use consentry_web::error::MountError;
use consentry_web::platform::mounts::Registry;
use consentry_web::takeover::Takeover;

#[wasm_bindgen(typescript_custom_section)]
const TS_OPTIONS: &str = r#"
/** Options of `mount`. */
export interface ConsentryOptions {
  /** URL of the compiled notice's manifest.json (relative URLs resolve against document.baseURI). */
  manifestUrl: string;
  /** http(s) URL that signed receipts are POSTed to. */
  endpoint: string;
  /** BCP 47 tag tried first, e.g. "zh-CN". */
  language?: string;
  /** ISO 3166 region, e.g. "DE" or "US-CA"; picks the legal regime. */
  region?: string;
  /** The visitor's region from the site's CDN (e.g. CF-IPCountry); "XX"/"T1" mean unknown. */
  edgeRegion?: string;
  /** Days after which a decision is asked again (1-3650, default 365). */
  expiryDays?: number;
  /** URL of consentry.css, linked inside the shadow root. */
  stylesheetUrl?: string;
}
"#;

/// A Yew root element and the app rendering into it. Yew never removes the listeners it
/// registers on its root, so a root is never dropped: after `unmount` it is parked (rendering
/// nothing, out of the document) and the next mount reuses it. Listeners and DOM nodes then
/// stay bounded by the most widgets ever mounted at once, however often a single-page app
/// mounts and unmounts.
struct YewRoot {
    container: Element,
    app: AppHandle<App>,
}

struct Mounted {
    mount: Rc<MountInfo>,
    dom: MountedDom,
    root: YewRoot,
    command: (u32, Command),
}

impl Mounted {
    fn render(&mut self) {
        self.root.app.update(AppProps {
            mount: Some(self.mount.clone()),
            command: self.command.clone(),
        });
    }

    fn send(&mut self, command: Command) {
        self.command = (self.command.0.saturating_add(1), command);
        self.render();
    }

    fn teardown(mut self) {
        let host = &self.mount.host;
        host.retire();
        self.root.app.update(AppProps {
            mount: None,
            command: (0, Command::None),
        });
        self.root.container.remove();
        self.dom.remove();
        host.clear_state();
        let _ = host.element().remove_attribute("data-consentry-regime");
        PARKED.with(|p| p.borrow_mut().push(self.root));
    }
}

type Slot = consentry_web::platform::mounts::Slot<Mounted>;

impl consentry_web::platform::mounts::Mounted for Mounted {
    fn host(&self) -> &Host {
        &self.mount.host
    }
}

thread_local! {
    /// Live mounts, so a second mount on the same element replaces the first.
    static MOUNTS: Registry<Mounted> = const { Registry::new() };
    /// Yew roots between mounts.
    static PARKED: RefCell<Vec<YewRoot>> = const { RefCell::new(Vec::new()) };
    /// The id of the latest mount.
    static NEXT_ID: Cell<u32> = const { Cell::new(0) };
}

fn forget(slot: &Slot) {
    MOUNTS.with(|m| m.forget(slot));
}

/// Frame mode (the `signer` mount option, ADR 0012), set by the loader before the first
/// mount: this module then signs nothing. Each decision's receipt job is handed off through
/// storage and `send(host, endpoint)` passes it to the signing frame on the receipt server's
/// origin, which holds the device key, the chain and the outbox. Exported as `signer` (the
/// loader's bytes count before the banner).
#[wasm_bindgen(js_name = signer)]
pub fn sign_elsewhere(send: js_sys::Function) {
    consentry_web::decisions::sign_elsewhere(send);
}

/// The loader's `request(host, endpoint, draft)` hook, set by the loader before the first
/// mount: the settings' data-subject request form sends its draft through it to whoever
/// holds the device key, the receipts module or, in frame mode, the signing frame (ADR 0019),
/// exactly as the first module's form does (`consentry_web::requests::ask_with`). This module
/// signs no request itself. Exported as `request`.
#[wasm_bindgen(js_name = request)]
pub fn ask_through(hook: js_sys::Function) {
    consentry_web::requests::set_hook(hook);
}

/// A mounted widget.
#[wasm_bindgen]
pub struct MountHandle {
    slot: Slot,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the widget: its components and their effects, the shadow root's content and the
    /// host's `data-consentry-state`. (The Yew root behind it is parked and reused by the next
    /// mount, so mounting and unmounting many times adds no listeners.) Receipts already being
    /// sent still complete. Calling it again (or after a newer mount replaced this one) does
    /// nothing.
    pub fn unmount(&self) {
        let taken = self.slot.borrow_mut().take();
        if let Some(m) = taken {
            m.teardown();
        }
        forget(&self.slot);
    }

    /// Opens the settings view (to change or withdraw consent). Before the notice has loaded,
    /// it opens as soon as it has; after `unmount` it does nothing.
    pub fn show(&self) {
        if let Some(m) = self.slot.borrow_mut().as_mut() {
            m.send(Command::Show);
        }
    }

    /// Withdraws consent for `purpose` (a purpose id of the notice), or for every optional
    /// purpose when it is omitted: a decision like any other (stored, `consentry:change`,
    /// a signed receipt). Throws on a malformed purpose id; an id the notice does not have is
    /// reported as `consentry:error` (`action_refused`). Before the notice has loaded it
    /// applies as soon as it has; after `unmount` it does nothing.
    pub fn withdraw(&self, purpose: Option<String>) -> Result<(), JsError> {
        let id = purpose
            .map(|p| PurposeId::parse(&p))
            .transpose()
            .map_err(|e| JsError::new(&e.to_string()))?;
        if let Some(m) = self.slot.borrow_mut().as_mut() {
            m.send(Command::Withdraw(id));
        }
        Ok(())
    }

    /// Whether this handle's widget is still mounted.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.slot.borrow().is_some()
    }
}

/// Mounts the widget into an open shadow root of `element`.
///
/// Throws an `Error` with a clear message when `element` is not an HTMLElement (e.g. `null`
/// from a failed `getElementById`), when `options` is not an object, has an unknown key, lacks
/// `manifestUrl` or `endpoint`, has a malformed or non-http(s) URL, or an invalid `language`
/// or `region`. Mounting again on the same element replaces the earlier mount.
///
/// `takeover` is for the loader, when this widget takes over from the first module
/// (`crates/consentry-first`): the JSON of a [`Takeover`] (what to open, the guardian box, the
/// settings' unsaved switches, a consent step asked for, the control that opened the dialog).
/// With it, the mount takes over that module's markup in the same shadow root (see
/// [`MountInfo::takeover`]) and carries on where the visitor is.
#[wasm_bindgen]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConsentryOptions")] options: JsValue,
    takeover: Option<String>,
) -> Result<MountHandle, JsError> {
    let takeover = match takeover.as_deref().map(Takeover::from_json) {
        None => None,
        Some(Some(t)) => Some(t),
        Some(None) => {
            return Err(JsError::new(
                "mount(): the hand-over from the first module is malformed",
            ));
        }
    };
    mount_inner(element, &options, takeover).map_err(|e| JsError::new(&e.to_string()))
}

fn mount_inner(
    element: JsValue,
    opts: &JsValue,
    takeover: Option<Takeover>,
) -> Result<MountHandle, MountError> {
    let el: HtmlElement = element.dyn_into().map_err(|_| MountError::NotAnElement)?;
    let options = Rc::new(options::read(opts)?);

    // A second mount on the same element replaces the first.
    for slot in MOUNTS.with(|m| m.take_on(&el)) {
        let taken = slot.borrow_mut().take();
        if let Some(m) = taken {
            m.teardown();
        }
    }

    let parked = PARKED.with(|p| p.borrow_mut().pop());
    let root = match parked {
        Some(r) => r,
        None => {
            let container = new_container()?;
            let app = yew::Renderer::<App>::with_root_and_props(
                container.clone(),
                AppProps {
                    mount: None,
                    command: (0, Command::None),
                },
            )
            .render();
            YewRoot { container, app }
        }
    };
    // Taking over, the first module's stylesheet link is already applied: adopt it.
    let dom = match prepare_with(
        &el,
        options.stylesheet_url.as_deref(),
        &root.container,
        |shadow, href| {
            shadow
                .query_selector("link[rel=stylesheet]")
                .ok()
                .flatten()
                .filter(|l| l.get_attribute("href").as_deref() == Some(href))
        },
    ) {
        Ok(d) => d,
        Err(e) => {
            PARKED.with(|p| p.borrow_mut().push(root));
            return Err(e);
        }
    };
    let host = Host::new(el);
    if takeover.is_none() {
        host.set_state("loading");
    }
    let guardian = takeover.as_ref().is_some_and(|t| t.guardian);
    let command = match &takeover {
        Some(t) => (1, Command::Take(t.clone())),
        None => (0, Command::None),
    };
    let takeover = takeover.is_some();
    let id = NEXT_ID.with(|n| {
        n.set(n.get().wrapping_add(1));
        n.get()
    });
    let mut mounted = Mounted {
        mount: Rc::new(MountInfo {
            id,
            host: host.clone(),
            options: options.clone(),
            takeover,
            guardian,
        }),
        dom,
        root,
        command,
    };
    mounted.render();
    // Receipts that could not be delivered before are resent now.
    resend_outbox(host, Rc::from(options.endpoint.as_str()));
    let slot: Slot = Rc::new(RefCell::new(Some(mounted)));
    MOUNTS.with(|m| m.add(slot.clone()));
    Ok(MountHandle { slot })
}
