//! The root component: boot, then the widget (banner, settings, privacy-settings button).

use std::rc::Rc;

use consentry_core::session::{Action, ConsentSession, PurposeRule, StoredConsent};
use yew::{
    Callback, Html, Properties, component, html, use_effect_with, use_mut_ref, use_node_ref,
    use_reducer,
};

use crate::components::{Banner, PrivacyButton, Root, SettingsDialog};
use crate::config::{MountOptions, consent_key, starts_opt_in};
use crate::context::{Loaded, WidgetContext};
use crate::decisions::{decisions_detail, report};
use crate::hooks::{BootState, use_boot, use_decision_effects, use_dialog_focus};
use crate::platform::events::Detail;
use crate::platform::{Host, env, storage};
use crate::state::{ConsentState, Surface, UiAction};

/// Properties of [`App`].
#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// The host element.
    pub host: Host,
    /// The validated mount options.
    pub options: Rc<MountOptions>,
    /// How many times `MountHandle.show()` was called; each increase opens the settings.
    pub show_requests: u32,
}

/// The root: renders nothing while loading or after a failed load (no unverified text is
/// ever shown), and the [`Widget`] once a locale verified.
#[component]
pub fn App(props: &AppProps) -> Html {
    let boot = use_boot(props.host.clone(), props.options.clone());
    match &*boot {
        BootState::Ready(loaded) => {
            let ctx = WidgetContext {
                host: props.host.clone(),
                options: props.options.clone(),
                loaded: loaded.clone(),
            };
            html! { <Widget {ctx} show_requests={props.show_requests} /> }
        }
        BootState::Loading | BootState::Failed => Html::default(),
    }
}

/// Properties of [`Widget`].
#[derive(Properties, PartialEq)]
pub struct WidgetProps {
    /// The mount and the loaded notice.
    pub ctx: WidgetContext,
    /// See [`AppProps::show_requests`].
    pub show_requests: u32,
}

/// The session for the loaded notice: the stored decision restored (a stale one asks again),
/// or a fresh session with the regime's defaults.
fn initial_session(loaded: &Loaded) -> ConsentSession {
    let b = &loaded.bundle;
    let rules: Vec<PurposeRule> = b
        .purposes
        .iter()
        .map(|p| PurposeRule {
            id: p.id.clone(),
            required: p.required,
        })
        .collect();
    let opt_in = starts_opt_in(loaded.jurisdiction.regime, loaded.gpc);
    let stored = storage::get(&consent_key(b.notice_id.as_str()))
        .ok()
        .flatten()
        .and_then(|s| StoredConsent::from_json(&s));
    match stored {
        Some(st) => ConsentSession::restore(rules, opt_in, &st, &b.version, env::now(), None),
        None => ConsentSession::new(rules, opt_in),
    }
}

/// The loaded widget, inside `<div class="cy" lang dir>`: the banner while no decision is in
/// force, the privacy-settings button once one is, the settings dialog when open, and a
/// polite status line announcing a saved decision.
#[component]
pub fn Widget(props: &WidgetProps) -> Html {
    let ctx = &props.ctx;
    let bundle = ctx.loaded.bundle.clone();
    let state = use_reducer(|| ConsentState::new(initial_session(&ctx.loaded)));
    let dialog_ref = use_node_ref();
    let privacy_ref = use_node_ref();

    // Ready: the host says so only once the widget is in the DOM.
    {
        let ctx = ctx.clone();
        let state = state.clone();
        use_effect_with((), move |()| {
            let b = &ctx.loaded.bundle;
            if let Err(e) = storage::get(&consent_key(b.notice_id.as_str())) {
                report(&ctx.host, &e);
            }
            ctx.host.set_state("ready");
            ctx.host.dispatch(
                "consentry:ready",
                Detail::new()
                    .bool("decided", !state.banner_visible())
                    .obj("decisions", decisions_detail(&state.session.effective()))
                    .str("noticeId", b.notice_id.as_str())
                    .str("version", &b.version)
                    .str("locale", b.locale.as_str())
                    .str("regime", ctx.loaded.jurisdiction.regime.as_str()),
            );
        });
    }
    use_decision_effects(&state, ctx);
    // `MountHandle.show()`: open the settings once per request (also one made while loading).
    {
        let handled = use_mut_ref(|| 0u32);
        let dispatcher = state.dispatcher();
        use_effect_with(props.show_requests, move |&n| {
            if n > *handled.borrow() {
                *handled.borrow_mut() = n;
                dispatcher.dispatch(UiAction::OpenSettings);
            }
        });
    }
    let decision_seq = state.last_decision.as_ref().map_or(0, |d| d.seq);
    use_dialog_focus(
        state.settings_open,
        decision_seq,
        dialog_ref.clone(),
        privacy_ref.clone(),
    );

    let act = |action: Action, surface: Surface| {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(UiAction::Session(action.clone(), surface)))
    };
    let open_settings = {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(UiAction::OpenSettings))
    };
    let close_settings = {
        let d = state.dispatcher();
        Callback::from(move |()| d.dispatch(UiAction::CloseSettings))
    };
    let on_toggle = {
        let d = state.dispatcher();
        Callback::from(move |(id, on)| {
            d.dispatch(UiAction::Session(Action::Set(id, on), Surface::Settings));
        })
    };
    let b = &bundle;
    html! {
        <Root bundle={b.clone()} saved={decision_seq > 0}>
            if state.banner_visible() {
                <Banner bundle={b.clone()}
                    on_accept_all={act(Action::AcceptAll, Surface::Banner)}
                    on_reject_all={act(Action::RejectAll, Surface::Banner)}
                    on_open_settings={open_settings} />
            } else {
                <PrivacyButton bundle={b.clone()} on_click={open_settings}
                    button_ref={privacy_ref} />
            }
            if state.settings_open {
                <SettingsDialog bundle={b.clone()} draft={state.draft()} {on_toggle}
                    on_save={act(Action::Save, Surface::Settings)}
                    on_accept_all={act(Action::AcceptAll, Surface::Settings)}
                    on_reject_all={act(Action::RejectAll, Surface::Settings)}
                    on_close={close_settings} dialog_ref={dialog_ref} />
            }
        </Root>
    }
}
