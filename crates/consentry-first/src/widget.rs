//! One mount of the first layer: boot, the banner's decisions, the language switcher, the API
//! (`show`, `withdraw`, `unmount`), and the hand-over to the full widget.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{LocaleTag, PurposeId};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::banner_links;
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
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event, HtmlElement};

use crate::receipts;
use crate::view::{View, render};

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
    /// The loader's `load()` (resolves to the full widget's `mount`) and `take(start,
    /// guardian, mount)` (mounts it on this element with these options).
    load: JsValue,
    take: JsValue,
    listener: Option<Closure<dyn FnMut(Event)>>,
    shown: Option<Shown>,
    commands: Vec<Command>,
    guardian: bool,
    /// Decisions made in this mount (announces `decision-saved`).
    seq: u32,
}

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
    for kind in ["click", "change"] {
        let _ = container.add_event_listener_with_callback(kind, events.as_ref().unchecked_ref());
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
                    });
                    undecided = m.shown.as_ref()?.session.phase() != Phase::Decided;
                    show(m, None);
                    Some(std::mem::take(&mut m.commands))
                });
                if let Some(commands) = ready {
                    announce_ready(&booting);
                    for c in commands {
                        match c {
                            Command::Show => upgrade(&booting, "settings"),
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
    let _ = render(
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
        },
    );
    if let Some(id) = focus.map(str::to_owned).or(had) {
        let mut sel = String::from("[data-testid=\"");
        sel.push_str(&id);
        sel.push_str("\"]");
        if let Some(el) = m
            .container
            .query_selector(&sel)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    }
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

/// A click or a change inside the first layer.
fn on_event(slot: &Slot, e: &Event) {
    let Some(target) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    let Some(control) = target.closest("button,select,input").ok().flatten() else {
        return;
    };
    let id = control.get_attribute("data-testid").unwrap_or_default();
    let change = e.type_() == "change";
    match (id.as_str(), change) {
        ("consentry-accept-all", false) => decide(slot, Action::AcceptAll, Surface::Banner),
        ("consentry-reject-all", false) => decide(slot, Action::RejectAll, Surface::Banner),
        ("consentry-open-settings" | "consentry-privacy-settings", false) => {
            upgrade(slot, "settings");
        }
        ("consentry-open-notice", false) => upgrade(slot, "notice"),
        ("consentry-language", true) => {
            switch_language(slot, consentry_web::platform::dom::target_value(e));
        }
        ("consentry-guardian", true) => {
            set_guardian(slot, consentry_web::platform::dom::target_checked(e));
        }
        _ => {}
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
        (before != after).then(|| (s.decision_context(&m.host, &m.options), after))
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
/// banner's place and focus. Under PIPL, "accept all" is followed by the separate consent
/// steps, in the full widget. A refused action is reported (`action_refused`).
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
                show(m, Some("consentry-privacy-settings"));
                Some(())
            });
            if separate {
                upgrade(slot, "separate");
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

/// `show()` of the API: the settings, in the full widget.
pub fn show_settings(slot: &Slot) {
    let loaded = with(slot, |m| {
        if m.shown.is_none() {
            m.commands.push(Command::Show);
        }
        Some(m.shown.is_some())
    });
    if loaded == Some(true) {
        upgrade(slot, "settings");
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
                with(&slot, |m| {
                    let s = m.shown.as_mut()?;
                    s.bundle = Rc::new(bundle);
                    s.digest = digest;
                    s.first_layer = first_layer;
                    show(m, None);
                    Some(())
                });
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

/// Opens `start` (`settings`, `notice`, `separate`) in the full widget: the loader loads it;
/// then this module hands the page over (`consentry_web::decisions::hand_over`: its receipt
/// queue finishes what it is doing and stops) and every mount of this module is remounted in
/// the full widget, on the same element with the same options, the one asking with `start`.
/// Its markup stays, inert, until the full widget has rendered its own over the same stored
/// state and removes it. If the full widget cannot be loaded, the banner stays and works, and
/// the page hears why (`widget_unavailable`).
fn upgrade(slot: &Slot, start: &'static str) {
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
    let asking = slot.clone();
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
                let start = if Rc::ptr_eq(&slot, &asking) {
                    start
                } else {
                    ""
                };
                let Some(mut m) = slot.borrow_mut().take() else {
                    continue;
                };
                detach(&mut m);
                if let Some(take) = m.take.dyn_ref::<Function>() {
                    let _ = take.call3(
                        &JsValue::UNDEFINED,
                        &JsValue::from_str(start),
                        &JsValue::from_bool(m.guardian),
                        &full,
                    );
                }
            }
        });
    });
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
        for kind in ["click", "change"] {
            let _ = m
                .container
                .remove_event_listener_with_callback(kind, l.as_ref().unchecked_ref());
        }
    }
    m.host.retire();
}
