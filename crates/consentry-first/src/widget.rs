//! One mount of the first layer: boot, the banner's decisions, the language switcher, the
//! settings as they show at once (switches, save, accept all, reject all), the API (`show`,
//! `withdraw`, `unmount`), and the hand-over to the full widget.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{LocaleTag, PurposeId};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::{Gate, banner_links, recorded_basis};
use consentry_core::session::{Action, ConsentSession, Method, Outcome, Phase, StoredConsent};
use consentry_web::boot::{self, Depth, FirstLayerOnly};
use consentry_web::config::{LANGUAGE_KEY, MountOptions, consent_key, session_for};
use consentry_web::decisions::{
    Decision, DecisionContext, Surface, decisions_detail, keep_decision, report,
};
use consentry_web::error::{MountError, RuntimeError};
use consentry_web::platform::dom::{MountedDom, new_container, prepare};
use consentry_web::platform::events::Detail;
use consentry_web::platform::{Host, env, js_error_text, options, storage, timer};
use consentry_web::takeover::{Start, Step, Takeover};
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event, HtmlDialogElement, HtmlElement, KeyboardEvent};

use crate::receipts;
use crate::view::{Row, Settings, View, redraw_row, render, render_dialog};

/// The settings dialog this module shows while the full widget loads.
struct Dialog {
    /// The test id of the control that opened it (focus returns there).
    opener: Option<String>,
    /// A purpose's consent step the visitor asked for (the full widget draws it).
    step: Option<Step>,
    /// What had focus when the page opened them (`show()` of the API), to return to.
    memo: consentry_web::platform::dom::FocusMemo,
}

/// What the page asked for before the notice had loaded (carried out once it has).
enum Command {
    Show,
    Withdraw(Option<PurposeId>),
}

/// The notice as shown, and the visitor's session over it.
struct Shown {
    manifest: Rc<Manifest>,
    bundle: Rc<LocaleBundle>,
    digest: Sha256Digest,
    /// The first layer's exact bytes (handed over with each receipt).
    first_layer: Rc<[u8]>,
    jurisdiction: Jurisdiction,
    gpc: bool,
    session: ConsentSession,
    /// `bundle` is the complete notice (its details file fetched and verified), not only
    /// the first layer.
    complete: bool,
    /// The details file is being fetched.
    fetching: bool,
}

impl Shown {
    fn decision_context(&self, host: &Host, options: &MountOptions) -> DecisionContext {
        DecisionContext {
            host: host.clone(),
            endpoint: Rc::from(options.endpoint.as_str()),
            bundle: self.bundle.clone(),
            digest: self.digest,
            first_layer: self.first_layer.clone(),
            jurisdiction: self.jurisdiction.clone(),
            gpc: self.gpc,
        }
    }
}

/// One live mount (opaque).
pub struct Mount {
    host: Host,
    options: Rc<MountOptions>,
    container: Element,
    dom: MountedDom,
    /// The loader's `load()` (resolves to the full widget's `mount`) and `take(handOff,
    /// mount)` (mounts it on this element with these options and the hand-over's JSON).
    load: JsValue,
    take: JsValue,
    listener: Option<Closure<dyn FnMut(Event)>>,
    shown: Option<Shown>,
    commands: Vec<Command>,
    guardian: bool,
    /// The settings, while they are open here.
    dialog: Option<Dialog>,
    /// What the full widget opens when it takes over (besides the settings, when open here).
    next: Start,
    /// Decisions made in this mount (announces `decision-saved`).
    seq: u32,
}

/// The events this module listens to on its markup.
const EVENTS: [&str; 4] = ["click", "change", "keydown", "cancel"];

/// A mount's place: empty once unmounted or handed over.
pub type Slot = Rc<RefCell<Option<Mount>>>;

thread_local! {
    /// Live mounts, so a second mount on the same element replaces the first, and a hand-over
    /// moves every one of them to the full widget.
    static MOUNTS: RefCell<Vec<Slot>> = const { RefCell::new(Vec::new()) };
    /// The full widget is loading or has taken over.
    static UPGRADING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on the mount in `slot`, if it is still live. Never held across a call that may run
/// page code (events, the loader), so the page may call the API from its listeners.
fn with<T>(slot: &Slot, f: impl FnOnce(&mut Mount) -> Option<T>) -> Option<T> {
    slot.borrow_mut().as_mut().and_then(f)
}

/// Mounts the first layer on `el` (see `crate::mount`).
pub fn mount(
    el: HtmlElement,
    opts: &JsValue,
    load: JsValue,
    take: JsValue,
) -> Result<Slot, MountError> {
    let options = Rc::new(options::read(opts)?);
    // A second mount on the same element replaces the first.
    let earlier: Vec<Slot> = MOUNTS.with(|m| {
        m.borrow()
            .iter()
            .filter(|s| {
                s.borrow()
                    .as_ref()
                    .is_some_and(|x| x.host.element().is_same_node(Some(&el)))
            })
            .cloned()
            .collect()
    });
    for slot in earlier {
        unmount(&slot);
    }
    let container = new_container()?;
    // Marks this module's markup, which the full widget removes when it takes over.
    let _ = container.set_attribute("data-first", "");
    let dom = prepare(&el, options.stylesheet_url.as_deref(), &container)?;
    let host = Host::new(el);
    host.set_state("loading");
    let slot: Slot = Rc::new(RefCell::new(None));
    let events = {
        let slot = slot.clone();
        Closure::<dyn FnMut(Event)>::new(move |e: Event| on_event(&slot, &e))
    };
    for kind in EVENTS {
        // Capture: a dialog's `cancel` does not bubble.
        let _ = container.add_event_listener_with_callback_and_bool(
            kind,
            events.as_ref().unchecked_ref(),
            true,
        );
    }
    *slot.borrow_mut() = Some(Mount {
        host: host.clone(),
        options: options.clone(),
        container,
        dom,
        load,
        take,
        listener: Some(events),
        shown: None,
        commands: Vec::new(),
        guardian: false,
        dialog: None,
        next: Start::Nothing,
        seq: 0,
    });
    MOUNTS.with(|m| m.borrow_mut().push(slot.clone()));
    // Receipts that could not be delivered before are resent once the banner is up (or the
    // notice has failed), in a later task: reading and sending the outbox does not hold up
    // the banner's first paint.
    let resend = (host.clone(), options.endpoint.clone());
    let booting = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = boot::load::<FirstLayerOnly>(&options).await;
        if !host.is_alive() {
            return;
        }
        // Whether the banner asks for a decision (its receipt will need the receipts module).
        let mut undecided = false;
        match loaded {
            Ok(l) => {
                let stored = storage::get(&consent_key(l.bundle.notice_id.as_str()))
                    .ok()
                    .flatten()
                    .and_then(|s| StoredConsent::from_json(&s));
                // Asked once: a guardian's answer stays with the decision.
                let guardian = stored.as_ref().is_some_and(|s| s.guardian);
                let session = session_for(
                    &l.bundle,
                    &l.jurisdiction,
                    l.gpc,
                    guardian,
                    stored.as_ref(),
                    env::now(),
                    options.expiry_ms(),
                );
                let ready = with(&booting, |m| {
                    m.guardian = guardian;
                    m.shown = Some(Shown {
                        manifest: l.manifest,
                        bundle: l.bundle,
                        digest: l.digest,
                        first_layer: l.first_layer,
                        jurisdiction: l.jurisdiction,
                        gpc: l.gpc,
                        session,
                        complete: false,
                        fetching: false,
                    });
                    undecided = m.shown.as_ref()?.session.phase() != Phase::Decided;
                    show(m, None);
                    Some(std::mem::take(&mut m.commands))
                });
                if let Some(commands) = ready {
                    announce_ready(&booting);
                    for c in commands {
                        match c {
                            Command::Show => open_settings(&booting, None),
                            Command::Withdraw(p) => withdraw(&booting, p),
                        }
                    }
                }
            }
            Err(e) => {
                host.set_state("error");
                host.dispatch(
                    "consentry:error",
                    Detail::new()
                        .str("code", e.code())
                        .str("message", &e.to_string()),
                );
            }
        }
        // The receipts module is fetched now, in a later task, when receipts wait (handed off
        // or in the outbox) or a decision is asked for; a visitor whose decision is in force
        // and whose receipts are all delivered does not download it on this page at all.
        timer::next_task().await;
        if undecided || receipts::waiting() {
            receipts::send(&resend.0, &resend.1);
        }
    });
    Ok(slot)
}

/// Renders the mount; `focus`: the test id of the control to focus afterwards (else the
/// control that had focus keeps it, when it is still there).
fn show(m: &Mount, focus: Option<&str>) {
    draw(m, focus, false);
}

/// [`show`], or with `dialog_only` the settings alone drawn over what is shown ([`render_dialog`]).
fn draw(m: &Mount, focus: Option<&str>, dialog_only: bool) {
    let Some(s) = &m.shown else { return };
    let root = m.host.element().shadow_root();
    let had = root
        .as_ref()
        .and_then(|r| r.active_element())
        .and_then(|e| e.get_attribute("data-testid"));
    let decided = s.session.phase() == Phase::Decided;
    let applied = s.jurisdiction.applied();
    // A first layer has no durations, so only `age` can have a value here.
    let child_age = s.jurisdiction.child_age();
    let vars = consentry_web::text::first_layer_variables(child_age);
    let links = banner_links(&s.bundle, &applied);
    let settings = m.dialog.as_ref().map(|d| Settings {
        rows: rows(s),
        waiting: d.step.as_ref().and_then(|st| match st {
            Step::Separate(id) | Step::GpcOptIn(id) => Some(id.as_str()),
            Step::Notice => None,
        }),
        us: us_state(s),
        regions: regions(s),
        region: consentry_web::config::region_value(&s.jurisdiction),
        decided,
    });
    let opening = settings.is_some();
    let draw = if dialog_only { render_dialog } else { render };
    let _ = draw(
        &m.container,
        &View {
            bundle: &s.bundle,
            manifest: &s.manifest,
            decided,
            gpc_honoured: s
                .jurisdiction
                .in_force(&applied, s.gpc, false)
                .gpc_honoured(),
            guardian: child_age.map(|_| m.guardian),
            vars: &vars,
            links: &links,
            saved: m.seq > 0,
            settings,
        },
    );
    let dialog = opening
        .then(|| m.container.query_selector("dialog").ok().flatten())
        .flatten()
        .and_then(|d| d.dyn_into::<HtmlDialogElement>().ok());
    if let Some(d) = &dialog {
        // Modal: the page behind is inert and focus stays inside.
        if d.show_modal().is_err() {
            d.show();
        }
    }
    if let Some(id) = focus.map(str::to_owned).or(had) {
        consentry_web::platform::dom::focus_testid(m.host.element(), &id);
    }
    // With the settings open, focus is inside them (on the dialog itself when it just opened:
    // the page behind is inert, so the control that opened it cannot keep focus).
    if let Some(d) = &dialog {
        let inside = root
            .and_then(|r| r.active_element())
            .is_some_and(|a| d.contains(Some(&a)));
        if !inside {
            let _ = d.focus();
        }
    }
}

/// A US state law applies (the "sold or shared" flag then links to the opt-out page).
fn us_state(s: &Shown) -> bool {
    s.jurisdiction
        .applied()
        .iter()
        .any(|(r, _)| r.is_us_state())
}

/// The region corrector's options: the regions the notice maps (and the one in force), by
/// their names in the notice's language, then "other".
fn regions(s: &Shown) -> Vec<(String, String)> {
    let locale = s.bundle.locale.as_str();
    let mut v = consentry_web::config::region_options(
        &s.bundle.regions,
        s.jurisdiction.region.as_ref(),
        |r| env::region_name(locale, r),
    );
    let other = s.bundle.message("region-other").map_or_else(
        || "region-other".to_owned(),
        |r| consentry_web::text::clean(&r.to_plain()).into_owned(),
    );
    v.push(("other".to_owned(), other));
    v
}

/// The settings' rows: each purpose's switch as the full widget's settings set it (the draft;
/// the choice in force for a purpose asked for separately), its gate, and whether it runs on
/// notice with a right to opt out.
fn rows(s: &Shown) -> Vec<Row<'_>> {
    let applied = s.jurisdiction.applied();
    let in_force = s.jurisdiction.in_force(&applied, false, false);
    s.bundle
        .purposes
        .iter()
        .map(|p| {
            let gate = s.session.gate(&p.id).unwrap_or(Gate::Open);
            let on = if gate == Gate::Separate {
                s.session.is_granted(&p.id)
            } else {
                s.session.draft(&p.id).unwrap_or(p.required)
            };
            let details = s.complete.then(|| {
                // Only the safeguards of the laws that apply to this visitor (all, if none of
                // them does).
                let mine: Vec<_> = p
                    .transfers
                    .iter()
                    .filter(|t| applied.iter().any(|(r, _)| r.uses_safeguard(&t.safeguard)))
                    .collect();
                let shown = if mine.is_empty() {
                    p.transfers.iter().collect()
                } else {
                    mine
                };
                (
                    env::duration_text(s.bundle.locale.as_str(), &p.retention),
                    shown,
                )
            });
            Row {
                purpose: p,
                on,
                gate,
                basis: recorded_basis(p, &in_force),
                details,
            }
        })
        .collect()
}

/// `consentry:ready` and `data-consentry-state="ready"`, once the notice is shown (a storage
/// that cannot even be read is reported then, as the full widget does).
fn announce_ready(slot: &Slot) {
    let Some((host, detail, regime, regimes, key)) = with(slot, |m| {
        let s = m.shown.as_ref()?;
        let detail = s.decision_context(&m.host, &m.options).notice_detail(
            Detail::new()
                .bool("decided", s.session.phase() == Phase::Decided)
                .obj("decisions", decisions_detail(&s.session.effective())),
        );
        Some((
            m.host.clone(),
            detail,
            s.jurisdiction.regime,
            consentry_web::config::regimes_attribute(&s.jurisdiction),
            consent_key(s.bundle.notice_id.as_str()),
        ))
    }) else {
        return;
    };
    if let Err(e) = storage::get(&key) {
        report(&host, &e);
    }
    let _ = host
        .element()
        .set_attribute("data-consentry-regime", regime.as_str());
    let _ = host
        .element()
        .set_attribute("data-consentry-regimes", &regimes);
    host.set_state("ready");
    host.dispatch("consentry:ready", detail);
}

/// A click, a change, a key or a dialog's cancel request inside the first layer.
fn on_event(slot: &Slot, e: &Event) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    match e.type_().as_str() {
        // Esc, or a native cancel request (the Android back gesture): close without deciding.
        "keydown" => {
            if e.dyn_ref::<KeyboardEvent>()
                .is_some_and(|k| k.key() == "Escape")
                && target.closest("dialog").ok().flatten().is_some()
            {
                e.prevent_default();
                e.stop_propagation();
                close_settings(slot);
            }
            return;
        }
        "cancel" => {
            e.prevent_default();
            close_settings(slot);
            return;
        }
        _ => {}
    }
    let Some(control) = target.closest("button,select,input").ok().flatten() else {
        return;
    };
    let id = control.get_attribute("data-testid").unwrap_or_default();
    let change = e.type_() == "change";
    let surface = if control.closest("dialog").ok().flatten().is_some() {
        Surface::Settings
    } else {
        Surface::Banner
    };
    match (id.as_str(), change) {
        ("consentry-accept-all", false) => decide(slot, Action::AcceptAll, surface),
        ("consentry-reject-all", false) => decide(slot, Action::RejectAll, surface),
        ("consentry-save", false) => decide(slot, Action::Save, Surface::Settings),
        ("consentry-close", false) => close_settings(slot),
        ("consentry-open-settings" | "consentry-privacy-settings", false) => {
            open_settings(slot, Some(id));
        }
        ("consentry-open-notice", false) => {
            // From the settings, the notice opens over them (their switches kept); from the
            // banner, on its own.
            with(slot, |m| {
                match m.dialog.as_mut() {
                    Some(d) => {
                        d.step = Some(Step::Notice);
                        show(m, None);
                    }
                    None => m.next = Start::Notice,
                }
                Some(())
            });
            upgrade(slot);
        }
        ("consentry-language" | "consentry-dialog-language", true) => {
            switch_language(slot, consentry_web::platform::dom::target_value(e));
        }
        ("consentry-region", true) => {
            set_region(slot, &consentry_web::platform::dom::target_value(e));
        }
        ("consentry-download", false) => download(slot),
        ("consentry-guardian" | "consentry-dialog-guardian", true) => {
            set_guardian(slot, consentry_web::platform::dom::target_checked(e));
        }
        (switch, false) => {
            if let Some(p) = switch
                .strip_prefix("consentry-purpose-")
                .and_then(|p| PurposeId::parse(p).ok())
            {
                flip(slot, p);
            }
        }
        _ => {}
    }
}

/// Opens the settings at once, from what the first layer holds (the purposes' names, their
/// switches, the three decisions), and fetches the notice's details file, whose descriptions
/// and facts then fill in each purpose's disclosure. `opener`: the control that opened them.
fn open_settings(slot: &Slot, opener: Option<String>) {
    let opened = with(slot, |m| {
        let s = m.shown.as_mut()?;
        if m.dialog.is_none() {
            // The switches start from the choices in force.
            let _ = s.session.apply(Action::Reopen);
            m.dialog = Some(Dialog {
                opener,
                step: None,
                memo: consentry_web::platform::dom::FocusMemo::capture(),
            });
            // Focus on the dialog itself, so it is announced from its title (not on the first
            // control `showModal` would pick). Only the dialog is drawn: the banner stays.
            draw(m, Some("consentry-settings"), true);
        } else {
            show(m, None);
        }
        Some(())
    });
    if opened.is_some() {
        fetch_details(slot);
    }
}

/// Fetches and verifies the shown locale's details file (once), then fills in the open
/// settings' disclosures in place (their scroll position and focus stay). A details file that
/// cannot be fetched or does not verify is reported (`locale_unverified`); the settings keep
/// working without the details.
fn fetch_details(slot: &Slot) {
    let Some((manifest, entry, url, host, first_layer)) = with(slot, |m| {
        let s = m.shown.as_mut()?;
        if s.complete || s.fetching {
            return None;
        }
        s.fetching = true;
        Some((
            s.manifest.clone(),
            s.manifest.entry(&s.bundle.locale)?.clone(),
            m.options.manifest_url.clone(),
            m.host.clone(),
            s.first_layer.clone(),
        ))
    }) else {
        return;
    };
    let slot = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = boot::details(&manifest, &entry, &url, &first_layer).await;
        if !host.is_alive() {
            return;
        }
        let failed = with(&slot, |m| {
            let s = m.shown.as_mut()?;
            s.fetching = false;
            // Another language was picked meanwhile: its own details follow.
            if s.bundle.locale != entry.locale || !Rc::ptr_eq(&s.first_layer, &first_layer) {
                return None;
            }
            match fetched {
                Ok(full) => {
                    s.bundle = Rc::new(full);
                    s.complete = true;
                    if m.dialog.is_some() {
                        let had = consentry_web::platform::dom::focused_testid(m.host.element());
                        let us = us_state(s);
                        for row in rows(s) {
                            let _ = redraw_row(&m.container, &s.bundle, &row, us);
                        }
                        if let Some(id) = had {
                            consentry_web::platform::dom::focus_testid(m.host.element(), &id);
                        }
                    }
                    None
                }
                Err(why) => Some((m.host.clone(), why)),
            }
        });
        if let Some((host, why)) = failed {
            let mut msg = String::from(entry.locale.as_str());
            msg.push_str(": ");
            msg.push_str(&why.to_string());
            report(&host, &RuntimeError::Locale(msg));
        }
    });
}

/// Closes the settings without deciding; focus returns to the control that opened them (the
/// banner's or the privacy-settings button, or the page's own when it called `show()`).
fn close_settings(slot: &Slot) {
    with(slot, |m| {
        let d = m.dialog.take()?;
        show(m, d.opener.as_deref());
        // Opened by the page (`show()`): back to the page's control that had focus.
        if d.opener.is_none() {
            d.memo.restore();
        }
        Some(())
    });
}

/// A purpose's switch in the settings, as the full widget's settings treat it: a purpose asked
/// for separately is withdrawn at once when on, else asked in its own step; a purpose held off
/// by Global Privacy Control is turned on only through its confirmation step; the steps are
/// drawn by the full widget (on its way), the others move the draft until "save".
fn flip(slot: &Slot, id: PurposeId) {
    enum Then {
        Nothing,
        Withdraw,
        Upgrade,
    }
    let then = with(slot, |m| {
        let s = m.shown.as_mut()?;
        let p = s.bundle.purpose(id.as_str())?;
        let gate = s.session.gate(&id).unwrap_or(Gate::Open);
        if p.required || gate == Gate::Barred || m.dialog.is_none() {
            return None;
        }
        let on = if gate == Gate::Separate {
            s.session.is_granted(&id)
        } else {
            s.session.draft(&id).unwrap_or(false)
        };
        let step = match (gate, on) {
            (Gate::Separate, true) => return Some(Then::Withdraw),
            (Gate::Separate, false) => Some(Step::Separate(id.clone())),
            (Gate::SignalOptOut, false) => Some(Step::GpcOptIn(id.clone())),
            _ => None,
        };
        if let Some(step) = step {
            m.dialog.as_mut()?.step = Some(step);
            show(m, None);
            return Some(Then::Upgrade);
        }
        if let Err(e) = s.session.apply(Action::Set(id.clone(), !on)) {
            report(&m.host, &RuntimeError::Transition(e.to_string()));
            return None;
        }
        let us = us_state(s);
        let row = rows(s).into_iter().find(|r| r.purpose.id == id)?;
        let _ = redraw_row(&m.container, &s.bundle, &row, us);
        let mut testid = String::from("consentry-purpose-");
        testid.push_str(id.as_str());
        consentry_web::platform::dom::focus_testid(m.host.element(), &testid);
        Some(Then::Nothing)
    });
    match then {
        Some(Then::Withdraw) => decide(slot, Action::Withdraw(id), Surface::Settings),
        // The step is drawn by the full widget, which takes the settings over.
        Some(Then::Upgrade) => upgrade(slot),
        _ => {}
    }
}

/// The region corrector: the visitor says where they are. The rules, defaults and gates of the
/// regimes that then apply replace the session's (the choices in force stay stored); the
/// correction is remembered, and the page hears the new rules (`consentry:ready` again, as
/// the full widget does).
fn set_region(slot: &Slot, value: &str) {
    let Some(user) = consentry_core::region::UserRegion::parse(value) else {
        if let Some(host) = with(slot, |m| Some(m.host.clone())) {
            report(&host, &RuntimeError::Region(value.to_owned()));
        }
        return;
    };
    let done = with(slot, |m| {
        if let Err(e) = storage::set(consentry_web::config::REGION_KEY, user.as_str()) {
            report(&m.host, &e);
        }
        let guardian = m.guardian;
        let s = m.shown.as_mut()?;
        let j = consentry_web::config::jurisdiction(
            &m.options,
            Some(&user),
            None,
            &[],
            &s.bundle.regions,
        );
        let stored = storage::get(&consent_key(s.bundle.notice_id.as_str()))
            .ok()
            .flatten()
            .and_then(|x| StoredConsent::from_json(&x));
        s.session = session_for(
            &s.bundle,
            &j,
            s.gpc,
            guardian || stored.as_ref().is_some_and(|x| x.guardian),
            stored.as_ref(),
            env::now(),
            m.options.expiry_ms(),
        );
        s.jurisdiction = j;
        show(m, None);
        Some(())
    });
    if done.is_some() {
        announce_ready(slot);
    }
}

/// "Download my receipt": the latest signed receipt kept on this device, with the server's
/// answer, as a file; without one, the page hears why (`download_failed`).
fn download(slot: &Slot) {
    let Some((host, notice)) = with(slot, |m| {
        Some((m.host.clone(), m.shown.as_ref()?.bundle.notice_id.clone()))
    }) else {
        return;
    };
    let result = consentry_web::decisions::receipt_download(notice.as_str())
        .ok_or_else(|| String::from("no signed receipt is kept on this device yet"))
        .and_then(|(name, text)| {
            consentry_web::platform::dom::download(host.element(), &name, &text)
        });
    if let Err(m) = result {
        report(&host, &RuntimeError::Download(m));
    }
}

/// The guardian box: a parent or guardian decides for a child, or not. What the regimes in
/// force require changes with it (nothing on before a choice for a child; what is sold or
/// shared barred where a law bars it); if that changes what is in force, the page hears it.
fn set_guardian(slot: &Slot, on: bool) {
    let changed = with(slot, |m| {
        m.guardian = on;
        let s = m.shown.as_mut()?;
        let before = s.session.effective();
        consentry_web::config::apply_rules(&mut s.session, &s.bundle, &s.jurisdiction, s.gpc, on);
        let after = s.session.effective();
        let changed = (before != after).then(|| (s.decision_context(&m.host, &m.options), after));
        // The open settings' switches follow the new rules.
        if m.dialog.is_some() {
            show(m, None);
        }
        changed
    });
    if let Some((ctx, after)) = changed {
        ctx.host.dispatch_always(
            "consentry:change",
            ctx.notice_detail(
                Detail::new()
                    .obj("decisions", decisions_detail(&after))
                    .str("method", "guardian"),
            ),
        );
    }
}

/// A session action: a decision is stored, announced and receipted at once
/// (`consentry_web::decisions::record_decision`), then the privacy-settings button takes the
/// banner's place (and the settings', when open) and focus. Under PIPL, "accept all" is
/// followed by the separate consent steps, in the full widget. A refused action is reported
/// (`action_refused`).
fn decide(slot: &Slot, action: Action, surface: Surface) {
    // One value per click, moved once: boxing it would only add an allocation.
    #[allow(clippy::large_enum_variant)]
    enum Step {
        Decided(DecisionContext, Decision, bool, Rc<[u8]>),
        Refused(Host, String),
    }
    let step = with(slot, |m| {
        let guardian = m.guardian;
        let s = m.shown.as_mut()?;
        match s.session.apply(action) {
            Ok(Outcome::Decided(record)) => {
                let separate =
                    record.method == Method::AcceptAll && !s.session.pending_separate().is_empty();
                let decision = Decision {
                    seq: m.seq + 1,
                    record,
                    surface,
                    guardian,
                    signal_opt_ins: s.session.signal_opt_ins(),
                };
                m.seq += 1;
                let (ctx, first_layer) = m.shown.as_ref().map(|s| {
                    (
                        s.decision_context(&m.host, &m.options),
                        s.first_layer.clone(),
                    )
                })?;
                Some(Step::Decided(ctx, decision, separate, first_layer))
            }
            Ok(_) => None,
            Err(e) => Some(Step::Refused(m.host.clone(), e.to_string())),
        }
    });
    match step {
        Some(Step::Decided(ctx, decision, separate, first_layer)) => {
            if let Some(job) = keep_decision(&ctx, &decision) {
                receipts::issue(&job, &first_layer);
            }
            with(slot, |m| {
                m.dialog = None;
                if separate {
                    m.next = Start::Separate;
                }
                show(m, Some("consentry-privacy-settings"));
                Some(())
            });
            if separate {
                upgrade(slot);
            }
        }
        Some(Step::Refused(host, why)) => report(&host, &RuntimeError::Transition(why)),
        None => {}
    }
}

/// `withdraw(purpose?)` of the API: a decision like any other, made outside the banner.
pub fn withdraw(slot: &Slot, purpose: Option<PurposeId>) {
    let loaded = with(slot, |m| {
        if m.shown.is_none() {
            m.commands.push(Command::Withdraw(purpose.clone()));
        }
        Some(m.shown.is_some())
    });
    if loaded == Some(true) {
        let action = match purpose {
            Some(id) => Action::Withdraw(id),
            None => Action::WithdrawAll,
        };
        decide(slot, action, Surface::Settings);
    }
}

/// `show()` of the API: the settings (at once here; the full widget takes them over).
pub fn show_settings(slot: &Slot) {
    let loaded = with(slot, |m| {
        if m.shown.is_none() {
            m.commands.push(Command::Show);
        }
        Some(m.shown.is_some())
    });
    if loaded == Some(true) {
        open_settings(slot, None);
    }
}

/// The language switcher: the picked locale's first layer is fetched and verified, then shown
/// (and remembered); one that does not verify is reported (`locale_unverified`) and the notice
/// stays as it was.
fn switch_language(slot: &Slot, tag: String) {
    let Some((manifest, entry, url, host)) = with(slot, |m| {
        let s = m.shown.as_ref()?;
        let entry = LocaleTag::parse(&tag)
            .ok()
            .and_then(|t| s.manifest.entry(&t).cloned());
        Some((
            s.manifest.clone(),
            entry,
            m.options.manifest_url.clone(),
            m.host.clone(),
        ))
    }) else {
        return;
    };
    let Some(entry) = entry else {
        return report(&host, &RuntimeError::Locale(tag));
    };
    let slot = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let fetched = FirstLayerOnly::fetch(&manifest, &entry, &url).await;
        if !host.is_alive() {
            return;
        }
        match fetched {
            Ok((bundle, digest, first_layer)) => {
                if let Err(e) = storage::set(LANGUAGE_KEY, entry.locale.as_str()) {
                    report(&host, &e);
                }
                let open = with(&slot, |m| {
                    let s = m.shown.as_mut()?;
                    s.bundle = Rc::new(bundle);
                    s.digest = digest;
                    s.first_layer = first_layer;
                    s.complete = false;
                    show(m, None);
                    Some(m.dialog.is_some())
                });
                // The open settings' details, in the new language.
                if open == Some(true) {
                    fetch_details(&slot);
                }
            }
            Err(why) => {
                let mut msg = String::from(entry.locale.as_str());
                msg.push_str(": ");
                msg.push_str(&why.to_string());
                report(&host, &RuntimeError::Locale(msg));
            }
        }
    });
}

/// Loads the full widget, which then takes the page over: this module hands its receipt queue
/// over (`consentry_web::decisions::hand_over`: it finishes what it is doing and stops) and
/// every mount of this module is remounted in the full widget, on the same element with the
/// same options, each with its [`Takeover`] as it is at that moment (the settings open here
/// with their unsaved switches and a step asked for, or what the visitor asked for meanwhile:
/// the full notice, the separate consent steps). Its markup stays, working, until the full
/// widget has rendered its own over the same stored state and removes it. If the full widget
/// cannot be loaded, the banner and the settings stay and work, and the page hears why
/// (`widget_unavailable`).
fn upgrade(slot: &Slot) {
    if UPGRADING.with(|u| u.replace(true)) {
        return;
    }
    let Some((load, host)) = with(slot, |m| Some((m.load.clone(), m.host.clone()))) else {
        UPGRADING.with(|u| u.set(false));
        return;
    };
    let promise = load
        .dyn_ref::<Function>()
        .ok_or_else(|| JsValue::from_str("no full widget was given to mount()"))
        .and_then(|f| f.call0(&JsValue::UNDEFINED))
        .and_then(|p| p.dyn_into::<Promise>());
    wasm_bindgen_futures::spawn_local(async move {
        let loaded = match promise {
            Ok(p) => JsFuture::from(p).await,
            Err(e) => Err(e),
        };
        let full = match loaded {
            Ok(full) => full,
            Err(e) => {
                UPGRADING.with(|u| u.set(false));
                return report(&host, &RuntimeError::Widget(js_error_text(&e)));
            }
        };
        receipts::hand_over(move || {
            for slot in MOUNTS.with(|m| m.take()) {
                let Some(mut m) = slot.borrow_mut().take() else {
                    continue;
                };
                detach(&mut m);
                // Until the full widget has rendered over it, this markup shows but no longer
                // acts: said so to assistive technology.
                let _ = m.container.set_attribute("aria-busy", "true");
                let handoff = takeover_of(&m).to_json();
                if let Some(take) = m.take.dyn_ref::<Function>() {
                    let _ = take.call2(&JsValue::UNDEFINED, &JsValue::from_str(&handoff), &full);
                }
            }
        });
    });
}

/// What the full widget carries on with for this mount (see [`upgrade`]).
fn takeover_of(m: &Mount) -> Takeover {
    let Some((d, s)) = m.dialog.as_ref().zip(m.shown.as_ref()) else {
        return Takeover::new(m.next, m.guardian);
    };
    // The switches the visitor moved here and has not saved.
    let draft = s
        .session
        .purposes()
        .iter()
        .filter(|p| s.session.gate(&p.id) != Some(Gate::Separate))
        .filter_map(|p| {
            let on = s.session.draft(&p.id)?;
            (on != s.session.is_granted(&p.id)).then(|| (p.id.clone(), on))
        })
        .collect();
    Takeover {
        start: Start::Settings,
        guardian: m.guardian,
        draft,
        step: d.step.clone(),
        opener: d.opener.clone(),
    }
}

/// Removes the mount: its markup, stylesheet link and state attributes. Receipts already being
/// sent still complete.
pub fn unmount(slot: &Slot) {
    MOUNTS.with(|m| m.borrow_mut().retain(|s| !Rc::ptr_eq(s, slot)));
    let taken = slot.borrow_mut().take();
    if let Some(mut m) = taken {
        detach(&mut m);
        m.container.remove();
        m.dom.remove();
        m.host.clear_state();
        let _ = m.host.element().remove_attribute("data-consentry-regime");
        let _ = m.host.element().remove_attribute("data-consentry-regimes");
    }
}

/// Makes the mount inert: no more events reach it, its late async work leaves the host alone.
fn detach(m: &mut Mount) {
    if let Some(l) = m.listener.take() {
        for kind in EVENTS {
            let _ = m.container.remove_event_listener_with_callback_and_bool(
                kind,
                l.as_ref().unchecked_ref(),
                true,
            );
        }
    }
    m.host.retire();
}
