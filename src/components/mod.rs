//! Presentational components: props in, callbacks out. No browser APIs here (those live in
//! [`crate::platform`]), so every component renders natively for the SSR snapshot tests.
//!
//! Every view takes the same two props: a [`UiModel`] (what to show) and one
//! `Callback<`[`Msg`]`>` (what the visitor asked for); the app turns messages into reducer
//! actions and side effects.
//!
//! Markup conventions: BEM classes with the `cy-` prefix (all styling is in
//! `assets/consentry.css`; no inline `style` anywhere, for a strict CSP), `part` attributes
//! for theming from the page (`::part(banner)`, `::part(button)`, …), stable
//! `data-testid`s, and text only as text nodes: notice strings are never parsed as HTML.

mod banner;
mod dialog;
mod notice;
mod prefs;
mod privacy_button;
mod request;
mod root;
mod separate;
mod settings;
mod text;

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use consentry_core::ids::PurposeId;
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::Gate;
use consentry_core::session::Action;
use yew::{AttrValue, Callback, Properties};

pub use banner::Banner;
pub use dialog::Dialog;
pub use privacy_button::{PrivacyButton, PrivacyButtonProps};
pub use root::{Root, RootProps};
pub use separate::Step;
pub use text::{cat, clean, is_hidden, link, message, message_plain, rich, safe_href, text};

use crate::state::{Surface, View};

/// What the visitor asked for, from any view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Msg {
    /// A session action (accept all, reject all, a switch, save, a separate consent act,
    /// a withdrawal) on a surface.
    Decide(Action, Surface),
    /// Open the dialog on a view (or switch to it).
    Open(View),
    /// Close the dialog without deciding.
    Close,
    /// The "I am the parent or guardian" box was ticked or cleared.
    Guardian(bool),
    /// A language was picked in the language switcher (a manifest locale tag).
    Language(String),
    /// A region was picked in the region corrector (a region code, or `other`).
    Region(String),
    /// "Download my receipt".
    Download,
    /// A purpose's switch was tapped (what it asks for depends on its gate:
    /// `consentry_web::state::ConsentState::switch`).
    Switch(PurposeId),
    /// "I agree" (`true`) or "I do not agree" on the consent step shown.
    Answer(bool),
    /// Take up the separate consent steps closed unanswered.
    Resume,
    /// A kind of data-subject request was picked in the request form (its wire name).
    RequestKind(String),
    /// The request form's details were typed (the text box's value).
    RequestDetails(String),
    /// "Send my request".
    RequestSend,
}

/// The data-subject request form at the end of the settings (ADR 0019), as the settings show
/// it: once the notice offers a kind of request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestModel {
    /// The kinds the notice's `[rights]` offers (`consentry_web::requests::offered`).
    pub kinds: Vec<&'static str>,
    /// What was picked and typed, and the status line.
    pub form: consentry_web::requests::Form,
}

/// One `<option>` of a select.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectOption {
    /// The value.
    pub value: AttrValue,
    /// The visible label.
    pub label: AttrValue,
    /// The label's language, when it differs from the notice's (language names in their own
    /// language).
    pub lang: Option<AttrValue>,
}

/// One purpose as the switches show it, in notice order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PurposeState {
    /// The switch position (the draft; the choice in force for separate purposes).
    pub on: bool,
    /// How it may be decided.
    pub gate: Gate,
}

/// One category of personal information as the full notice lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryRow {
    /// The category id.
    pub id: String,
    /// Sold or shared by some purpose that uses it.
    pub sold_or_shared: bool,
    /// The longest retention (ISO 8601).
    pub retention: String,
    /// `retention` in words of the notice's language.
    pub words: String,
}

/// Everything the views show.
#[derive(Clone, Debug, PartialEq)]
pub struct UiModel {
    /// The verified locale bundle.
    pub bundle: Rc<LocaleBundle>,
    /// Region, regime and how they were determined.
    pub jurisdiction: Jurisdiction,
    /// A GPC signal is present and the regime honours it: shown as honoured.
    pub gpc_honoured: bool,
    /// `Some(ticked)` when the regime has a guardian age (the box is shown).
    pub guardian: Option<bool>,
    /// The switches, aligned with `bundle.purposes`.
    pub purposes: Vec<PurposeState>,
    /// Each purpose's retention period in words, in the notice's language (e.g. "3 years"),
    /// aligned with `bundle.purposes`; the ISO 8601 text where the browser cannot say it.
    pub retention: Vec<String>,
    /// Each category of personal information with its facts and its retention in words (the
    /// full notice shows them where a US state law applies).
    pub categories: Vec<CategoryRow>,
    /// The notice's languages (value: locale tag; label: the language's own name).
    pub languages: Vec<SelectOption>,
    /// Regions the visitor can pick (value: region code or `other`).
    pub regions: Vec<SelectOption>,
    /// The selected region's value.
    pub region_value: AttrValue,
    /// A decision is in force (the receipt can be downloaded).
    pub decided: bool,
    /// The separate consent step shown, as (its number, how many the run has).
    pub step: Option<(usize, usize)>,
    /// Separate consent steps closed unanswered, waiting for the visitor.
    pub steps_waiting: usize,
    /// The settings' data-subject request form, where the notice offers a kind of request.
    pub request: Option<RequestModel>,
}

/// Props of every view: the model and the one callback.
#[derive(Properties, PartialEq)]
pub struct ViewProps {
    /// What to show.
    pub ui: Rc<UiModel>,
    /// What the visitor asked for.
    pub on: Callback<Msg>,
    /// The dialog's view (only [`Dialog`] reads it).
    #[prop_or(View::Settings)]
    pub view: View,
    /// Bound to the `<dialog>` (only [`Dialog`] uses it).
    #[prop_or_default]
    pub dialog_ref: yew::NodeRef,
}

/// `Callback<Msg>` → a click handler that sends `msg`.
fn send(on: &Callback<Msg>, msg: Msg) -> Callback<yew::MouseEvent> {
    on.reform(move |_| msg.clone())
}

/// A row of decision buttons, all of one class and part (equal visual weight):
/// `(data-testid, message id, what a click sends)` each.
fn actions(
    b: &LocaleBundle,
    on: &Callback<Msg>,
    buttons: Vec<(&'static str, &'static str, Msg)>,
) -> yew::Html {
    yew::html! {
        <div class="cy-actions">
            { for buttons.into_iter().map(|(testid, label, msg)| yew::html! {
                <button type="button" class="cy-button" part="button" data-testid={testid}
                    onclick={send(on, msg)}>{ message(b, label) }</button>
            }) }
        </div>
    }
}

/// A button that looks like a link (secondary actions: the full notice, the download).
fn link_button(
    b: &LocaleBundle,
    on: &Callback<Msg>,
    testid: &'static str,
    label: &'static str,
    msg: Msg,
) -> yew::Html {
    yew::html! {
        <button type="button" class="cy-link-button" data-testid={testid} onclick={send(on, msg)}>
            { message(b, label) }
        </button>
    }
}
