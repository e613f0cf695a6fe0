//! One mount of the first layer: boot, the banner's decisions, the language switcher, the
//! settings as they show at once (switches, save, accept all, reject all), the API (`show`,
//! `withdraw`, `unmount`), and the hand-over to the full widget.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{LocaleTag, PurposeId};
use consentry_core::regime::{Gate, banner_links, recorded_basis};
use consentry_core::session::{Action, Phase, StoredConsent};
use consentry_web::boot::{self, Depth, FirstLayerOnly};
use consentry_web::config::{LANGUAGE_KEY, MountOptions, consent_key, session_for};
use consentry_web::decisions::{
    Decision, DecisionContext, Surface, decisions_detail, keep_decision, report,
};
use consentry_web::error::{MountError, RuntimeError};
use consentry_web::platform::dom::{MountedDom, new_container, prepare};
use consentry_web::platform::events::Detail;
use consentry_web::platform::mounts::Registry;
use consentry_web::platform::{Host, env, js_error_text, options, storage, timer};
use consentry_web::requests::{Form, offered};
use consentry_web::state::{ConsentState, Effect, UiAction, View as Shows};
use consentry_web::takeover::{Start, Step, Takeover};
use js_sys::{Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, Event, HtmlDialogElement, HtmlElement, KeyboardEvent};

use crate::receipts;
use crate::view::{
    Open, Request, Row, Settings, Step as ViewStep, View, redraw_request, redraw_row, render,
    render_dialog,
};

/// Where focus returns when the dialog (the settings or a consent step) closes.
struct Dialog {
    /// The test id of the control that opened it.
    opener: Option<String>,
    /// What had focus when the page opened it (`show()` of the API), to return to.
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
    gpc: bool,
    /// The visitor's session, the dialog's view and the run of consent steps: the one
    /// decision path (`consentry_web::state`).
    state: ConsentState,
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
            jurisdiction: self.state.jurisdiction.clone(),
            gpc: self.gpc,
            link: options.link.as_deref().map(Rc::from),
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
    /// The dialog, while it is open here.
    dialog: Option<Dialog>,
    /// The full notice was asked for (the full widget, on its way, shows it).
    notice: bool,
    /// The data-subject request form: what was picked and typed (kept while the settings are
    /// redrawn, closed and opened again) and what became of the last try.
    request: Form,
}

/// The events this module listens to on its markup.
const EVENTS: [&str; 5] = ["click", "change", "keydown", "cancel", "input"];

/// A mount's place: empty once unmounted or handed over.
pub type Slot = consentry_web::platform::mounts::Slot<Mount>;

impl consentry_web::platform::mounts::Mounted for Mount {
    fn host(&self) -> &Host {
        &self.host
    }
}

thread_local! {
    /// Live mounts, so a second mount on the same element replaces the first, and a hand-over
    /// moves every one of them to the full widget.
    static MOUNTS: Registry<Mount> = const { Registry::new() };
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
    for slot in MOUNTS.with(|m| m.take_on(&el)) {
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
        dialog: None,
        notice: false,
        request: Form::default(),
    });
    MOUNTS.with(|m| m.add(slot.clone()));
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
        // Whether the banner asks for a decision (its receipt will need the receipts module),
        // and whether "accept all" would be followed by separate consent steps (they show
        // each purpose's details, so the details file is fetched once the banner is up).
        let (mut undecided, mut steps) = (false, false);
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
                    steps = session
                        .purposes()
                        .iter()
                        .any(|p| session.gate(&p.id) == Some(Gate::Separate));
                    m.shown = Some(Shown {
                        manifest: l.manifest,
                        bundle: l.bundle,
                        digest: l.digest,
                        first_layer: l.first_layer,
                        gpc: l.gpc,
                        state: ConsentState {
                            guardian,
                            ..ConsentState::new(session, l.jurisdiction)
                        },
                        complete: false,
                        fetching: false,
                    });
                    undecided = m.shown.as_ref()?.state.banner_visible();
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
        if undecided && steps {
            fetch_details(&booting);
        }
        // The settings' `Intl` formatters, made when the page is idle a moment after the banner
        // (a visitor reads before tapping), not on the tap that opens them.
        let locale = with(&booting, |m| {
            Some(m.shown.as_ref()?.bundle.locale.as_str().to_owned())
        });
        if let Some(locale) = locale {
            timer::idle_after(500).await;
            env::prepare_intl(&locale);
        }
    });
    Ok(slot)
}

/// Renders the mount; `focus`: the test id of the control to focus afterwards (else the
/// control that had focus keeps it, when it is still there).
fn show(m: &Mount, focus: Option<&str>) {
    draw(m, focus, false);
}
/// [`show`], or with `dialog_only` the dialog alone drawn over what is shown
/// ([`render_dialog`]).
fn draw(m: &Mount, focus: Option<&str>, dialog_only: bool) {
    let Some(s) = &m.shown else { return };
    let root = m.host.element().shadow_root();
    let had = root
        .as_ref()
        .and_then(|r| r.active_element())
        .and_then(|e| e.get_attribute("data-testid"));
    let st = &s.state;
    let decided = st.session.phase() == Phase::Decided;
    let applied = st.jurisdiction.applied();
    // A first layer has no durations, so only `age` can have a value there.
    let vars = if s.complete {
        consentry_web::text::variables(&s.bundle, &st.jurisdiction)
    } else {
        consentry_web::text::first_layer_variables(st.jurisdiction.child_age())
    };
    let links = banner_links(&s.bundle, &applied);
    let dialog = open_dialog(m, s);
    let opening = dialog.is_some();
    let draw = if dialog_only { render_dialog } else { render };
    let _ = draw(
        &m.container,
        &View {
            bundle: &s.bundle,
            manifest: &s.manifest,
            decided,
            gpc_honoured: st
                .jurisdiction
                .in_force(&applied, s.gpc, false)
                .gpc_honoured(),
            guardian: st.jurisdiction.child_age().map(|_| st.guardian),
            vars: &vars,
            links: &links,
            saved: st.decision_seq() > 0,
            dialog,
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
    // With the dialog open, focus is inside it (on the dialog itself when it just opened: the
    // page behind is inert, so the control that opened it cannot keep focus).
    if let Some(d) = &dialog {
        let inside = root
            .and_then(|r| r.active_element())
            .is_some_and(|a| d.contains(Some(&a)));
        if !inside {
            let _ = d.focus();
        }
    }
}

/// The consent step the state shows, as (purpose, a GPC confirmation).
fn step_of(s: &Shown) -> Option<(&PurposeId, bool)> {
    match &s.state.view {
        Some(Shows::Separate(id)) => Some((id, false)),
        Some(Shows::GpcOptIn(id)) => Some((id, true)),
        _ => None,
    }
}

/// What the dialog shows: the consent step the state is on, once the details it discloses are
/// there; else the settings, when they are open here (a step asked for from them waits with its
/// switch busy).
fn open_dialog<'s>(m: &'s Mount, s: &'s Shown) -> Option<Open<'s>> {
    let step = step_of(s);
    if let (Some((id, gpc)), true) = (step, s.complete) {
        let row = rows(s).into_iter().find(|r| r.purpose.id == *id)?;
        return Some(Open::Step(ViewStep {
            row,
            gpc,
            count: s.state.step(),
            us: us_state(s),
        }));
    }
    s.state.view.as_ref()?;
    m.dialog.as_ref()?;
    Some(Open::Settings(Settings {
        rows: rows(s),
        waiting: step.map(|(id, _)| id.as_str()),
        us: us_state(s),
        regions: regions(s),
        region: consentry_web::config::region_value(&s.state.jurisdiction),
        decided: s.state.session.phase() == Phase::Decided,
        steps_waiting: s.state.steps_waiting() > 0,
        request: request_form(m, s),
    }))
}

/// The request form as the settings show it: once the details are there (the rights offered
/// and the form's labels are in the details file, never the first layer) and the notice's
/// `[rights]` offers a kind of request core knows.
fn request_form<'s>(m: &'s Mount, s: &Shown) -> Option<Request<'s>> {
    if !s.complete {
        return None;
    }
    let kinds = offered(&s.bundle);
    if kinds.is_empty() {
        return None;
    }
    let decided = s.state.session.phase() == Phase::Decided;
    Some(Request {
        kinds,
        kind: m.request.kind.as_deref(),
        details: &m.request.details,
        decided,
        status: m.request.shown(decided),
    })
}

/// "Send my request": the kind picked and the details typed (as the form shows them now),
/// checked by the form's rules (`consentry_web::requests::Form::send`), handed to whoever holds
/// the device key (the receipts module, or the signing frame in frame mode) through the
/// loader's `request` hook, and what became of it in the status line (`Form::outcome`). A
/// failure keeps what the visitor typed; a request on its way is not sent twice.
fn send_request(slot: &Slot) {
    let Some((host, endpoint, draft)) = with(slot, |m| {
        // What the form shows now (a `change` may not have fired yet).
        let picked = |sel: &str| {
            m.container
                .query_selector(sel)
                .ok()
                .flatten()
                .and_then(|e| js_sys::Reflect::get(&e, &JsValue::from_str("value")).ok())
                .and_then(|v| v.as_string())
        };
        m.request.kind = picked("[name=\"cy-request-kind\"]:checked");
        if let Some(d) = picked("#cy-request-details") {
            m.request.details = d;
        }
        let bundle = m.shown.as_ref()?.bundle.clone();
        let draft = m.request.send();
        let _ = redraw_request(&m.container, &bundle, &m.request.status, false);
        Some((m.host.clone(), m.options.endpoint.clone(), draft?))
    }) else {
        return;
    };
    let slot = slot.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let outcome = receipts::request(&host, &endpoint, &draft).await;
        with(&slot, |m| {
            let locale = m.shown.as_ref()?.bundle.locale.as_str().to_owned();
            let sent = m
                .request
                .outcome(outcome, |deadline| env::date_text(&locale, deadline));
            let bundle = m.shown.as_ref()?.bundle.clone();
            let _ = redraw_request(&m.container, &bundle, &m.request.status, sent);
            Some(())
        });
    });
}

/// The test id of the dialog the state shows.
fn dialog_testid(s: &Shown) -> &'static str {
    match step_of(s) {
        Some((_, false)) => "consentry-separate",
        Some((_, true)) => "consentry-gpc-opt-in",
        None => "consentry-settings",
    }
}

/// A US state law applies (the "sold or shared" flag then links to the opt-out page).
fn us_state(s: &Shown) -> bool {
    s.state
        .jurisdiction
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
        s.state.jurisdiction.region.as_ref(),
        |r| env::region_name(locale, r),
    );
    let other = s.bundle.message("region-other").map_or_else(
        || "region-other".to_owned(),
        |r| consentry_web::text::clean(&r.to_plain()).into_owned(),
    );
    v.push(("other".to_owned(), other));
    v
}

/// The settings' rows: each purpose's switch as the state sets it
/// (`ConsentState::switch_on`), its gate, and whether it runs on notice with a right to opt
/// out.
fn rows(s: &Shown) -> Vec<Row<'_>> {
    let j = &s.state.jurisdiction;
    let applied = j.applied();
    let in_force = j.in_force(&applied, false, false);
    s.bundle
        .purposes
        .iter()
        .map(|p| {
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
                on: s.state.switch_on(&p.id),
                gate: s.state.session.gate(&p.id).unwrap_or(Gate::Open),
                basis: recorded_basis(p, &in_force),
                details,
            }
        })
        .collect()
}

/// Redraws the open settings' rows in place (a switch moved, the details came): the dialog,
/// its scroll position and the focus stay.
fn redraw_rows(m: &Mount) {
    let Some(s) = &m.shown else { return };
    let had = consentry_web::platform::dom::focused_testid(m.host.element());
    let us = us_state(s);
    let waiting = step_of(s).map(|(id, _)| id.as_str());
    for row in rows(s) {
        let _ = redraw_row(&m.container, &s.bundle, &row, waiting, us);
    }
    if let Some(id) = had {
        consentry_web::platform::dom::focus_testid(m.host.element(), &id);
    }
}

/// Brings what is drawn in line with the state after an action (`was`: the view before it;
/// `decided`: the action decided). Focus: on the dialog when it shows something new; after a
/// decision that closed it (or the banner), on the privacy-settings button; after closing it
/// without deciding, back where it came from. Returns whether the view waits for the details
/// file (a consent step discloses them).
fn present(m: &mut Mount, was: Option<Shows>, decided: bool) -> bool {
    let Some(s) = &m.shown else { return false };
    let now = s.state.view.clone();
    let waits = step_of(s).is_some() && !s.complete;
    let Some(now) = now else {
        let d = m.dialog.take();
        let focus = if decided {
            Some("consentry-privacy-settings".to_owned())
        } else {
            d.as_ref().and_then(|d| d.opener.clone())
        };
        show(m, focus.as_deref());
        // Opened by the page (`show()`): back to the page's control that had focus.
        if let Some(d) = d.filter(|d| !decided && d.opener.is_none()) {
            d.memo.restore();
        }
        return false;
    };
    if m.dialog.is_none() && !waits {
        // A step after the banner's "accept all": closing it returns to the privacy button.
        m.dialog = Some(Dialog {
            opener: Some("consentry-privacy-settings".to_owned()),
            memo: consentry_web::platform::dom::FocusMemo::default(),
        });
    }
    if let Some(d) = m.dialog.as_mut().filter(|_| decided) {
        // A decision replaced the banner, and with it the control that opened the dialog:
        // closing it returns to the privacy-settings button that took its place.
        if d.opener.as_deref() == Some("consentry-open-settings") {
            d.opener = Some("consentry-privacy-settings".to_owned());
        }
    }
    let Some(s) = &m.shown else { return false };
    if !decided && was.as_ref() == Some(&now) {
        redraw_rows(m);
    } else if waits {
        let focus = decided.then_some("consentry-privacy-settings");
        draw(m, focus, !decided);
    } else {
        draw(m, Some(dialog_testid(s)), !decided);
    }
    waits
}

/// `consentry:ready` and `data-consentry-state="ready"`, once the notice is shown (a storage
/// that cannot even be read is reported then, as the full widget does).
fn announce_ready(slot: &Slot) {
    let Some((host, detail, regime, regimes, key)) = with(slot, |m| {
        let s = m.shown.as_ref()?;
        let detail = s.decision_context(&m.host, &m.options).notice_detail(
            Detail::new()
                .bool("decided", !s.state.banner_visible())
                .obj("decisions", decisions_detail(&s.state.session.effective())),
        );
        Some((
            m.host.clone(),
            detail,
            s.state.jurisdiction.regime,
            consentry_web::config::regimes_attribute(&s.state.jurisdiction),
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
                act(slot, UiAction::Close);
            }
            return;
        }
        "cancel" => {
            e.prevent_default();
            act(slot, UiAction::Close);
            return;
        }
        _ => {}
    }
    let Some(control) = target
        .closest("button,select,input,textarea")
        .ok()
        .flatten()
    else {
        return;
    };
    let id = control.get_attribute("data-testid").unwrap_or_default();
    // The request form keeps what is picked and typed as it happens (a redraw, or closing and
    // opening the settings again, loses nothing).
    if id == "consentry-request-details" {
        let value = consentry_web::platform::dom::target_value(e);
        with(slot, |m| {
            m.request.details = value;
            Some(())
        });
        return;
    }
    if e.type_() == "input" {
        return;
    }
    let change = e.type_() == "change";
    let surface = if control.closest("dialog").ok().flatten().is_some() {
        Surface::Settings
    } else {
        Surface::Banner
    };
    match (id.as_str(), change) {
        ("consentry-accept-all", false) => act(slot, UiAction::Session(Action::AcceptAll, surface)),
        ("consentry-reject-all", false) => act(slot, UiAction::Session(Action::RejectAll, surface)),
        ("consentry-save", false) => act(slot, UiAction::Session(Action::Save, Surface::Settings)),
        ("consentry-close", false) => act(slot, UiAction::Close),
        ("consentry-agree", false) => act(slot, UiAction::Answer(true)),
        ("consentry-disagree", false) => act(slot, UiAction::Answer(false)),
        ("consentry-resume-steps", false) => act(slot, UiAction::AskSeparate),
        ("consentry-open-settings" | "consentry-privacy-settings", false) => {
            open_settings(slot, Some(id));
        }
        ("consentry-open-notice", false) => {
            // From the settings, the notice opens over them (their switches kept); from the
            // banner, on its own.
            with(slot, |m| {
                m.notice = true;
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
        ("consentry-request-send", false) => send_request(slot),
        (kind, true) if kind.starts_with("consentry-request-kind-") => {
            let value = consentry_web::platform::dom::target_value(e);
            with(slot, |m| {
                m.request.kind = Some(value);
                Some(())
            });
        }
        ("consentry-guardian" | "consentry-dialog-guardian", true) => {
            set_guardian(slot, consentry_web::platform::dom::target_checked(e));
        }
        (switch, false) => {
            if let Some(p) = switch
                .strip_prefix("consentry-purpose-")
                .and_then(|p| PurposeId::parse(p).ok())
            {
                act(slot, UiAction::Switch(p));
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
        m.shown.as_ref()?;
        if m.dialog.is_none() {
            m.dialog = Some(Dialog {
                opener,
                memo: consentry_web::platform::dom::FocusMemo::capture(),
            });
        }
        Some(())
    });
    if opened.is_some() {
        // Focus on the dialog itself, so it is announced from its title (not on the first
        // control `showModal` would pick). Only the dialog is drawn: the banner stays.
        act(slot, UiAction::Open(Shows::Settings));
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
        enum After {
            Failed(Host, consentry_web::error::LocaleRejection),
            Again,
        }
        let after = with(&slot, |m| {
            let s = m.shown.as_mut()?;
            s.fetching = false;
            // Another language was picked meanwhile: its own details are fetched now, if a
            // step or the settings still need them.
            if s.bundle.locale != entry.locale || !Rc::ptr_eq(&s.first_layer, &first_layer) {
                let needed = !s.complete && (step_of(s).is_some() || m.dialog.is_some());
                return needed.then_some(After::Again);
            }
            match fetched {
                Ok(full) => {
                    s.bundle = Rc::new(full);
                    s.complete = true;
                    if step_of(s).is_some() {
                        // The consent step waiting for them shows now.
                        present(m, None, false);
                    } else if m.dialog.is_some() && s.state.steps_waiting() > 0 {
                        // The note on the steps kept for later reads from the details too.
                        draw(m, None, true);
                    } else if m.dialog.is_some() {
                        redraw_rows(m);
                    }
                    None
                }
                Err(why) => Some(After::Failed(m.host.clone(), why)),
            }
        });
        let failed = match after {
            Some(After::Again) => return fetch_details(&slot),
            Some(After::Failed(host, why)) => Some((host, why)),
            None => None,
        };
        if let Some((host, why)) = failed {
            let mut msg = String::from(entry.locale.as_str());
            msg.push_str(": ");
            msg.push_str(&why.to_string());
            report(&host, &RuntimeError::Locale(msg));
        }
    });
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
        let s = m.shown.as_mut()?;
        let guardian = s.state.guardian;
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
        let session = session_for(
            &s.bundle,
            &j,
            s.gpc,
            guardian || stored.as_ref().is_some_and(|x| x.guardian),
            stored.as_ref(),
            env::now(),
            m.options.expiry_ms(),
        );
        s.state.apply(UiAction::Reset(session, j));
        // The corrector is in the settings: they stay open (a step they were waiting on is
        // asked again, under the new rules, if they still call for it).
        if m.dialog.is_some() && s.state.view.is_none() {
            s.state.apply(UiAction::Open(Shows::Settings));
        }
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
        let s = m.shown.as_mut()?;
        let before = s.state.session.effective();
        let rules = s
            .bundle
            .purposes
            .iter()
            .map(|p| {
                let rule = consentry_web::config::purpose_rule(
                    &s.bundle,
                    &s.state.jurisdiction,
                    s.gpc,
                    on,
                    &p.id,
                );
                (p.id.clone(), rule)
            })
            .collect();
        s.state.apply(UiAction::Guardian(on, rules));
        let after = s.state.session.effective();
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

/// Applies an action to the state (`consentry_web::state::ConsentState::apply`, the one
/// decision path) and carries out what it did: a decision is stored, announced and receipted
/// at once (`consentry_web::decisions::keep_decision`), then the privacy-settings button takes
/// the banner's place; the dialog shows what the state shows (under PIPL, "accept all" is
/// followed by the separate consent steps, numbered); a refused action is reported
/// (`action_refused`).
fn act(slot: &Slot, action: UiAction) {
    // One value per action, moved once: boxing it would only add an allocation.
    #[allow(clippy::large_enum_variant)]
    enum Then {
        Decided(DecisionContext, Rc<Decision>, Rc<[u8]>, Option<Shows>),
        Refused(Host, String),
    }
    let mut fetch = false;
    let then = with(slot, |m| {
        let s = m.shown.as_mut()?;
        let was = s.state.view.clone();
        match s.state.apply(action) {
            Effect::Unchanged => None,
            Effect::Updated => {
                fetch = present(m, was, false);
                None
            }
            Effect::Decided(d) => Some(Then::Decided(
                s.decision_context(&m.host, &m.options),
                d,
                s.first_layer.clone(),
                was,
            )),
            Effect::Refused(why) => Some(Then::Refused(m.host.clone(), why)),
        }
    });
    match then {
        Some(Then::Decided(ctx, decision, first_layer, was)) => {
            // Stored and announced first (page code may run: no mount is borrowed).
            if let Some(job) = keep_decision(&ctx, &decision) {
                receipts::issue(&job, &first_layer);
            }
            with(slot, |m| {
                fetch = present(m, was, true);
                Some(())
            });
        }
        Some(Then::Refused(host, why)) => report(&host, &RuntimeError::Transition(why)),
        None => {}
    }
    if fetch {
        fetch_details(slot);
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
        act(slot, UiAction::Session(action, Surface::Settings));
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
            for slot in MOUNTS.with(Registry::take_all) {
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
    let Some(s) = m.shown.as_ref() else {
        return Takeover::new(Start::Nothing, false);
    };
    let st = &s.state;
    // A step of a run (after "accept all") is shown or waiting for its details: the full
    // widget carries the run on from that step, numbered as before.
    if let Some(Shows::Separate(id)) = st.view.as_ref().filter(|_| st.in_run) {
        let mut waiting = vec![id.clone()];
        waiting.extend(st.queue.iter().cloned());
        return Takeover {
            waiting,
            steps: st.steps.clone(),
            ..Takeover::new(Start::Steps, st.guardian)
        };
    }
    // The steps closed unanswered, kept for later, and their run (numbered as before).
    let kept = (st.queue.clone(), st.steps.clone());
    let Some(d) = m.dialog.as_ref() else {
        let start = if m.notice {
            Start::Notice
        } else {
            Start::Nothing
        };
        return Takeover {
            waiting: kept.0,
            steps: kept.1,
            ..Takeover::new(start, st.guardian)
        };
    };
    // The switches the visitor moved here and has not saved.
    let draft = st
        .session
        .purposes()
        .iter()
        .filter(|p| st.session.gate(&p.id) != Some(Gate::Separate))
        .filter_map(|p| {
            let on = st.session.draft(&p.id)?;
            (on != st.session.is_granted(&p.id)).then(|| (p.id.clone(), on))
        })
        .collect();
    let step = match (&st.view, m.notice) {
        (_, true) => Some(Step::Notice),
        (Some(Shows::Separate(id)), _) => Some(Step::Separate(id.clone())),
        (Some(Shows::GpcOptIn(id)), _) => Some(Step::GpcOptIn(id.clone())),
        _ => None,
    };
    Takeover {
        start: Start::Settings,
        guardian: st.guardian,
        draft,
        step,
        opener: d.opener.clone(),
        waiting: kept.0,
        steps: kept.1,
    }
}

/// Removes the mount: its markup, stylesheet link and state attributes. Receipts already being
/// sent still complete.
pub fn unmount(slot: &Slot) {
    MOUNTS.with(|m| m.forget(slot));
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
