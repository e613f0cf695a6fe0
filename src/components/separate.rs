//! A consent step for one purpose on its own (PIPL Arts. 23, 29, 39: separate consent for
//! disclosure to third parties, sensitive data and cross-border transfer).

use consentry_core::ids::PurposeId;
use consentry_core::session::Action;
use yew::{Callback, Html, html};

use super::prefs::guardian_box;
use super::settings::facts;
use super::text::{message, rich};
use super::{Msg, UiModel, actions};
use crate::state::Surface;

/// The separate consent step's body and actions (inside [`super::Dialog`]): what this use
/// is, who receives the data and where it goes, and "I agree" / "I do not agree" of equal
/// weight. Closing it decides nothing (the purpose stays off).
pub fn separate(ui: &UiModel, on: &Callback<Msg>, id: &PurposeId) -> (Html, Html) {
    let b = &ui.bundle;
    let Some(p) = b.purpose(id.as_str()) else {
        return (Html::default(), Html::default());
    };
    let body = html! {
        <>
            <p id="cy-dialog-intro" class="cy-dialog__intro">{ message(b, "separate-consent-intro") }</p>
            <h3 class="cy-section__heading" data-testid="consentry-separate-purpose">{ rich(&p.name) }</h3>
            <p class="cy-section__text">{ rich(&p.description) }</p>
            { facts(b, p) }
            { guardian_box(ui, on, "cy-guardian-dialog", "consentry-dialog-guardian") }
        </>
    };
    let actions = actions(
        b,
        on,
        vec![
            (
                "consentry-agree",
                "agree",
                Msg::Decide(Action::Separate(id.clone(), true), Surface::Settings),
            ),
            (
                "consentry-disagree",
                "disagree",
                Msg::Decide(Action::Separate(id.clone(), false), Surface::Settings),
            ),
        ],
    );
    (body, actions)
}
