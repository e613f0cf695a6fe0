//! The root component: boot, then the widget (banner, dialog, privacy-settings button).

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{LocaleTag, PurposeId};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::Gate;
use consentry_core::region::UserRegion;
use consentry_core::session::{Action, ConsentSession, StoredConsent};
use yew::{
    AttrValue, Callback, Html, Properties, component, html, use_effect_with, use_force_update,
    use_memo, use_mut_ref, use_node_ref, use_reducer, use_state,
};

use crate::components::{
    Banner, CategoryRow, Dialog, Msg, PrivacyButton, PurposeState, RequestModel, Root,
    SelectOption, UiModel, message_plain,
};
use crate::context::{Loaded, WidgetContext};
use crate::hooks::{BootState, fetch_verified, use_boot, use_decision_effects, use_dialog_focus};
use crate::platform::events::Detail;
use crate::platform::{Host, dom, env, storage};
use crate::state::{Consent, ConsentState, Surface, UiAction, View};
use consentry_web::config::{
    LANGUAGE_KEY, MountOptions, REGION_KEY, consent_key, jurisdiction, purpose_rule,
    regimes_attribute, region_options, region_value, session_for,
};
use consentry_web::decisions::{decisions_detail, receipt_download, report};
use consentry_web::error::RuntimeError;
use consentry_web::requests::{self, Form};
use consentry_web::takeover::{Start, Step, Takeover};
use consentry_web::text::{fill, variables};

/// What the page asked for through the API (`MountHandle.show()`, `.withdraw()`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Nothing yet.
    None,
    /// Open the settings.
    Show,
    /// Taking over from the first module (see `consentry_web::takeover`): the consent steps it
    /// kept for later, then the settings it showed, opened on the opener's behalf with the
    /// switches the visitor moved there and the consent step or full notice they asked for;
    /// or the full notice alone (its "read the full privacy notice" on the banner), or the run
    /// of consent steps carried on where it was.
    Take(Takeover),
    /// Withdraw consent for one purpose, or for every optional purpose.
    Withdraw(Option<PurposeId>),
}

/// One mount: its host and options, and a number that differs between mounts.
#[derive(Debug)]
pub struct MountInfo {
    /// Unique per mount on the page (the key that makes Yew start afresh).
    pub id: u32,
    /// The host element.
    pub host: Host,
    /// The validated mount options.
    pub options: Rc<MountOptions>,
    /// This mount takes over from the first module (see `docs/adr/0008`): it announces no
    /// second `consentry:ready`, and once it has rendered it removes the first module's markup
    /// from the shadow root, moving focus to its own copy of the control that had it.
    pub takeover: bool,
    /// The guardian box starts ticked (it was ticked in the first module's banner).
    pub guardian: bool,
}

impl PartialEq for MountInfo {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

/// Properties of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The mount shown, or `None` while this Yew root is parked between mounts.
    pub mount: Option<Rc<MountInfo>>,
    /// The latest API command and its sequence number (each increase is carried out once,
    /// also when it was made while the notice was loading).
    pub command: (u32, Command),
}

/// The root of one Yew app. Yew never removes the event listeners it registers on its root
/// element, so `js_api` keeps each root (and its app) for the page's lifetime and reuses it
/// for later mounts; this component renders the current mount, keyed by its id so every
/// mount starts from scratch, or nothing while the root is parked.
#[component]
pub fn App(props: &AppProps) -> Html {
    match &props.mount {
        Some(m) => html! {
            <Mount key={m.id} host={m.host.clone()} options={m.options.clone()}
                command={props.command.clone()} takeover={m.takeover} guardian={m.guardian} />
        },
        None => Html::default(),
    }
}

/// Properties of [`Mount`].
#[derive(Properties, PartialEq)]
pub struct MountProps {
    /// The host element.
    pub host: Host,
    /// The validated mount options.
    pub options: Rc<MountOptions>,
    /// See [`AppProps::command`].
    pub command: (u32, Command),
    /// See [`MountInfo::takeover`].
    #[prop_or_default]
    pub takeover: bool,
    /// See [`MountInfo::guardian`].
    #[prop_or_default]
    pub guardian: bool,
}

/// One mount: renders nothing while loading or after a failed load (no unverified text is
/// ever shown), and the [`Widget`] once a locale verified. Taking over from the first module,
/// a failed load removes the first module's markup too: nothing is shown, as on any failed
/// load.
#[component]
pub fn Mount(props: &MountProps) -> Html {
    let boot = use_boot(props.host.clone(), props.options.clone());
    {
        let failed = matches!(*boot, BootState::Failed);
        let (host, takeover) = (props.host.clone(), props.takeover);
        use_effect_with(failed, move |failed| {
            if *failed && takeover {
                dom::take_over(host.element(), None);
            }
        });
    }
    match &*boot {
        BootState::Ready(loaded) => html! {
            <Widget host={props.host.clone()} options={props.options.clone()}
                loaded={loaded.clone()} command={props.command.clone()}
                takeover={props.takeover} guardian={props.guardian} />
        },
        BootState::Loading | BootState::Failed => Html::default(),
    }
}

/// Properties of [`Widget`].
#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    /// The host element.
    pub host: Host,
    /// The validated mount options.
    pub options: Rc<MountOptions>,
    /// The loaded notice.
    pub loaded: Rc<Loaded>,
    /// See [`AppProps::command`].
    pub command: (u32, Command),
    /// See [`MountInfo::takeover`].
    #[prop_or_default]
    pub takeover: bool,
    /// See [`MountInfo::guardian`].
    #[prop_or_default]
    pub guardian: bool,
}

/// The session for the notice under `j`, from the decision stored on this device (see
/// [`consentry_web::config::session_for`]).
/// `guardian`: the box was ticked in the first module's banner; a guardian's answer stored
/// with the decision counts too (asked once). Returns the session and whether a guardian
/// decides.
fn make_session(
    b: &LocaleBundle,
    j: &Jurisdiction,
    gpc: bool,
    guardian: bool,
    options: &MountOptions,
) -> (ConsentSession, bool) {
    let stored = storage::get(&consent_key(b.notice_id.as_str()))
        .ok()
        .flatten()
        .and_then(|s| StoredConsent::from_json(&s));
    let child = guardian || stored.as_ref().is_some_and(|s| s.guardian);
    (
        session_for(
            b,
            j,
            gpc,
            child,
            stored.as_ref(),
            env::now(),
            options.expiry_ms(),
        ),
        child,
    )
}

fn select_option(value: &str, label: String, lang: Option<&str>) -> SelectOption {
    SelectOption {
        value: AttrValue::from(value.to_owned()),
        label: AttrValue::from(label),
        lang: lang.map(|l| AttrValue::from(l.to_owned())),
    }
}

/// The loaded widget, inside `<div class="cy" lang dir>`: the banner while no decision is in
/// force, the privacy-settings button once one is, the dialog when open, and a polite status
/// line announcing a saved decision.
#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let loaded = props.loaded.clone();
    let shown = use_state(|| {
        (
            loaded.bundle.clone(),
            loaded.digest,
            loaded.first_layer.clone(),
        )
    });
    let state = use_reducer(|| {
        let (session, guardian) = make_session(
            &loaded.bundle,
            &loaded.jurisdiction,
            loaded.gpc,
            props.guardian,
            &props.options,
        );
        Consent(ConsentState {
            guardian,
            ..ConsentState::new(session, loaded.jurisdiction.clone())
        })
    });
    let dialog_ref = use_node_ref();
    let privacy_ref = use_node_ref();
    let (bundle, digest, first_layer): (Rc<LocaleBundle>, Sha256Digest, Rc<[u8]>) =
        (*shown).clone();
    let ctx = WidgetContext {
        host: props.host.clone(),
        options: props.options.clone(),
        bundle: bundle.clone(),
        digest,
        first_layer,
        jurisdiction: state.jurisdiction.clone(),
        gpc: loaded.gpc,
    };

    // Taking over from the first module: the control that had focus in its markup, when the
    // settings were open there (focus moves to this widget's copy of it).
    let first_focus = use_mut_ref(|| None::<String>);
    // Ready: the host says so once the widget is in the DOM, and again (with the new rules)
    // after the visitor corrected their region. Taking over, the first module already did.
    {
        let dctx = ctx.decision_context();
        let state = state.clone();
        let announced = use_mut_ref(|| props.takeover);
        use_effect_with(state.jurisdiction.clone(), move |j| {
            if let Err(e) = storage::get(&consent_key(dctx.bundle.notice_id.as_str())) {
                report(&dctx.host, &e);
            }
            let el = dctx.host.element();
            let _ = el.set_attribute("data-consentry-regime", j.regime.as_str());
            let _ = el.set_attribute("data-consentry-regimes", &regimes_attribute(j));
            dctx.host.set_state("ready");
            if std::mem::take(&mut *announced.borrow_mut()) {
                return;
            }
            dctx.host.dispatch(
                "consentry:ready",
                dctx.notice_detail(
                    Detail::new()
                        .bool("decided", !state.banner_visible())
                        .obj("decisions", decisions_detail(&state.session.effective())),
                ),
            );
        });
    }
    use_decision_effects(&state, &ctx);
    // API commands: each new one once (also one made while loading).
    {
        let handled = use_mut_ref(|| 0u32);
        let dispatcher = state.dispatcher();
        let host = props.host.clone();
        let first_focus = first_focus.clone();
        use_effect_with(props.command.clone(), move |(n, command)| {
            if *n > *handled.borrow() {
                *handled.borrow_mut() = *n;
                match command {
                    Command::None => {}
                    Command::Show => dispatcher.dispatch(UiAction::Open(View::Settings)),
                    Command::Take(t) => {
                        if !t.waiting.is_empty() || !t.steps.is_empty() {
                            dispatcher.dispatch(UiAction::Kept(t.waiting.clone(), t.steps.clone()));
                        }
                        match t.start {
                            Start::Settings => {
                                *first_focus.borrow_mut() = dom::first_focus(host.element());
                                // Its modal makes the rest inert: closed (it stays on screen
                                // until this widget's dialog replaces it, before the next paint).
                                dom::close_first_dialog(host.element());
                                // Focus on this widget's copy of the opener first, so that
                                // closing the dialog returns there (the first module's copy is
                                // gone).
                                if let Some(id) = &t.opener {
                                    dom::focus_testid(host.element(), id);
                                }
                                dispatcher.dispatch(UiAction::Open(View::Settings));
                                for (id, on) in &t.draft {
                                    dispatcher.dispatch(UiAction::Session(
                                        Action::Set(id.clone(), *on),
                                        Surface::Settings,
                                    ));
                                }
                                let view = match &t.step {
                                    Some(Step::Separate(id)) => View::Separate(id.clone()),
                                    Some(Step::GpcOptIn(id)) => View::GpcOptIn(id.clone()),
                                    Some(Step::Notice) => View::Notice,
                                    None => View::Settings,
                                };
                                dispatcher.dispatch(UiAction::Open(view));
                            }
                            Start::Notice => dispatcher.dispatch(UiAction::Open(View::Notice)),
                            Start::Steps => dispatcher.dispatch(UiAction::AskSeparate),
                            Start::Nothing => {}
                        }
                    }
                    Command::Withdraw(p) => {
                        let a = match p {
                            Some(id) => Action::Withdraw(id.clone()),
                            None => Action::WithdrawAll,
                        };
                        dispatcher.dispatch(UiAction::Session(a, Surface::Settings));
                    }
                }
            }
        });
    }
    use_dialog_focus(
        state.view.clone(),
        state.decision_seq(),
        dialog_ref.clone(),
        privacy_ref.clone(),
    );
    // Taking over from the first module: its markup goes once this widget has rendered what
    // the visitor was looking at (the settings open there are open here first), so the page
    // never shows neither; focus moves to this widget's copy of the control that had it.
    {
        let pending = use_mut_ref(|| props.takeover);
        let settings = matches!(&props.command.1, Command::Take(t) if t.start == Start::Settings);
        let host = props.host.clone();
        use_effect_with(state.view.is_some(), move |open| {
            if *pending.borrow() && (*open || !settings) {
                *pending.borrow_mut() = false;
                dom::take_over(host.element(), first_focus.borrow_mut().take());
            }
        });
    }

    let regions = {
        let map = bundle.regions.clone();
        let deps = (bundle.locale.clone(), state.jurisdiction.region.clone());
        use_memo(deps, move |(locale, current)| {
            region_options(&map, current.as_ref(), |r| {
                env::region_name(locale.as_str(), r)
            })
            .into_iter()
            .map(|(code, name)| select_option(&code, name, None))
            .collect::<Vec<SelectOption>>()
        })
    };

    // The settings' data-subject request form (ADR 0019): what was picked and typed, kept
    // while the settings are closed and opened again, and the status line.
    let request = use_mut_ref(Form::default);
    let redraw = use_force_update();

    let on = {
        let d = state.dispatcher();
        let request = request.clone();
        let host = props.host.clone();
        let options = props.options.clone();
        let loaded = loaded.clone();
        let bundle = bundle.clone();
        let (j, session, guardian) = (
            state.jurisdiction.clone(),
            state.session.clone(),
            state.guardian,
        );
        let dctx = ctx.decision_context();
        Callback::from(move |msg: Msg| match msg {
            Msg::Decide(a, s) => d.dispatch(UiAction::Session(a, s)),
            Msg::Open(v) => d.dispatch(UiAction::Open(v)),
            Msg::Close => d.dispatch(UiAction::Close),
            Msg::Resume => d.dispatch(UiAction::AskSeparate),
            Msg::Switch(id) => d.dispatch(UiAction::Switch(id)),
            Msg::Answer(yes) => d.dispatch(UiAction::Answer(yes)),
            Msg::Guardian(on) => {
                // What the regimes in force require changes with who decides (as in the
                // first module's banner); if what is in force changes, the page hears it.
                let rules: Vec<(PurposeId, (bool, Gate))> = bundle
                    .purposes
                    .iter()
                    .map(|p| {
                        (
                            p.id.clone(),
                            purpose_rule(&bundle, &j, loaded.gpc, on, &p.id),
                        )
                    })
                    .collect();
                let mut after = session.clone();
                after.set_rules(|id| {
                    rules
                        .iter()
                        .find(|(p, _)| p == id)
                        .map_or((false, Gate::Open), |(_, r)| *r)
                });
                if after.effective() != session.effective() {
                    dctx.host.dispatch_always(
                        "consentry:change",
                        dctx.notice_detail(
                            Detail::new()
                                .obj("decisions", decisions_detail(&after.effective()))
                                .str("method", "guardian"),
                        ),
                    );
                }
                d.dispatch(UiAction::Guardian(on, rules));
            }
            Msg::Language(tag) => {
                let manifest = loaded.manifest.clone();
                let entry = LocaleTag::parse(&tag)
                    .ok()
                    .and_then(|t| manifest.entry(&t).cloned());
                let Some(entry) = entry else {
                    return report(&host, &RuntimeError::Locale(tag));
                };
                let (host, options, shown) = (host.clone(), options.clone(), shown.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let fetched = fetch_verified(&manifest, &entry, &options.manifest_url).await;
                    if !host.is_alive() {
                        return;
                    }
                    match fetched {
                        Ok((b, digest, first_layer)) => {
                            if let Err(e) = storage::set(LANGUAGE_KEY, entry.locale.as_str()) {
                                report(&host, &e);
                            }
                            shown.set((Rc::new(b), digest, first_layer));
                        }
                        Err(why) => {
                            let mut m = String::from(entry.locale.as_str());
                            m.push_str(": ");
                            m.push_str(&why.to_string());
                            report(&host, &RuntimeError::Locale(m));
                        }
                    }
                });
            }
            Msg::Region(v) => {
                let Some(user) = UserRegion::parse(&v) else {
                    return report(&host, &RuntimeError::Region(v));
                };
                if let Err(e) = storage::set(REGION_KEY, user.as_str()) {
                    report(&host, &e);
                }
                let j = jurisdiction(&options, Some(&user), None, &[], &bundle.regions);
                let (session, _) = make_session(&bundle, &j, loaded.gpc, guardian, &options);
                d.dispatch(UiAction::Reset(session, j));
            }
            Msg::RequestKind(kind) => request.borrow_mut().kind = Some(kind),
            Msg::RequestDetails(text) => request.borrow_mut().details = text,
            Msg::RequestSend => {
                // The form's rules (`Form::send`: not twice, a kind, the details' limit), then
                // the draft through the loader's `request` hook to whoever holds the device
                // key, as the first module's form does; the outcome in the status line.
                let draft = request.borrow_mut().send();
                redraw.force_update();
                let Some(draft) = draft else {
                    return;
                };
                let (host, endpoint) = (host.clone(), options.endpoint.clone());
                let (request, redraw) = (request.clone(), redraw.clone());
                let locale = bundle.locale.as_str().to_owned();
                wasm_bindgen_futures::spawn_local(async move {
                    let outcome =
                        requests::ask_with(requests::hook(), &host, &endpoint, &draft).await;
                    if !host.is_alive() {
                        return;
                    }
                    request
                        .borrow_mut()
                        .outcome(outcome, |deadline| env::date_text(&locale, deadline));
                    redraw.force_update();
                });
            }
            Msg::Download => {
                let result = receipt_download(bundle.notice_id.as_str())
                    .ok_or_else(|| String::from("no signed receipt is kept on this device yet"))
                    .and_then(|(name, text)| dom::download(host.element(), &name, &text));
                if let Err(m) = result {
                    report(&host, &RuntimeError::Download(m));
                }
            }
        })
    };

    let retention = {
        let bundle = bundle.clone();
        use_memo(bundle.locale.clone(), move |locale| {
            bundle
                .purposes
                .iter()
                .map(|p| env::duration_text(locale.as_str(), &p.retention))
                .collect::<Vec<String>>()
        })
    };
    let categories = {
        let bundle = bundle.clone();
        use_memo(bundle.locale.clone(), move |locale| {
            bundle
                .categories()
                .into_iter()
                .map(|c| CategoryRow {
                    words: env::duration_text(locale.as_str(), &c.retention),
                    id: c.id,
                    sold_or_shared: c.sold_or_shared,
                    retention: c.retention,
                })
                .collect::<Vec<CategoryRow>>()
        })
    };
    let j = &state.jurisdiction;
    let mut region_options = (*regions).clone();
    region_options.push(select_option(
        "other",
        message_plain(&bundle, "region-other").to_string(),
        None,
    ));
    // The text as shown: the guardian age and the answer deadline of the regimes in force
    // filled in (`consentry_web::text::variables`, as in the first module's banner).
    let shown_bundle = {
        let bundle = bundle.clone();
        use_memo((bundle.clone(), j.clone()), move |(_, j)| {
            let vars = variables(&bundle, j);
            let mut b = (*bundle).clone();
            for (_, r) in &mut b.messages {
                *r = fill(r, &vars);
            }
            for r in &mut b.rights {
                r.text = fill(&r.text, &vars);
            }
            Rc::new(b)
        })
    };
    let applied = j.applied();
    let ui = Rc::new(UiModel {
        bundle: (*shown_bundle).clone(),
        jurisdiction: j.clone(),
        gpc_honoured: j.in_force(&applied, loaded.gpc, false).gpc_honoured(),
        guardian: j.child_age().map(|_| state.guardian),
        purposes: state
            .draft()
            .iter()
            .map(|(id, _)| PurposeState {
                on: state.switch_on(id),
                gate: state.session.gate(id).unwrap_or(Gate::Open),
            })
            .collect(),
        retention: (*retention).clone(),
        categories: (*categories).clone(),
        languages: loaded
            .manifest
            .locales
            .iter()
            .map(|e| select_option(e.locale.as_str(), e.name.clone(), Some(e.locale.as_str())))
            .collect(),
        regions: region_options,
        region_value: AttrValue::from(region_value(j)),
        decided: !state.banner_visible(),
        step: state.step(),
        steps_waiting: state.steps_waiting(),
        request: {
            let kinds = requests::offered(&bundle);
            (!kinds.is_empty()).then(|| RequestModel {
                kinds,
                form: request.borrow().clone(),
            })
        },
    });
    html! {
        <Root bundle={bundle.clone()} saved={state.decision_seq() > 0}>
            if state.banner_visible() {
                <Banner ui={ui.clone()} on={on.clone()} />
            } else {
                <PrivacyButton bundle={bundle} on_click={on.reform(|()| Msg::Open(View::Settings))}
                    button_ref={privacy_ref} />
            }
            if let Some(view) = state.view.clone() {
                <Dialog {ui} {on} {view} {dialog_ref} />
            }
        </Root>
    }
}
