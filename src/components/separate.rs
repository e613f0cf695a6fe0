//! A consent step for one purpose on its own: PIPL separate consent (Arts. 23, 29, 39:
//! disclosure to third parties, sensitive data, cross-border transfer), and the confirmation
//! that lifts a Global Privacy Control opt-out for one purpose (CCPA regs § 7025(c)(3)).

use consentry_core::ids::PurposeId;
use yew::{Callback, Html, html};

use super::prefs::gpc_note;
use super::settings::facts;
use super::text::{message, rich};
use super::{Msg, UiModel, actions};

/// Which consent step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// PIPL separate consent: "I do not agree" decides (the purpose stays refused).
    Separate,
    /// Lifting a GPC opt-out: "I do not agree" goes back to the settings, nothing decided.
    GpcOptIn,
}

/// A consent step's body and actions (inside [`super::Dialog`]): why this use is asked on
/// its own, what it is, who receives the data and where it goes, and "I agree" / "I do not
/// agree" of equal weight (what each does: `consentry_web::state::UiAction::Answer`). Closing
/// it decides nothing (the purpose stays off).
pub fn consent_step(ui: &UiModel, on: &Callback<Msg>, id: &PurposeId, step: Step) -> (Html, Html) {
    let b = &ui.bundle;
    let Some(p) = b.purpose(id.as_str()) else {
        return (Html::default(), Html::default());
    };
    let intro = match step {
        Step::Separate => "separate-consent-intro",
        Step::GpcOptIn => "gpc-opt-in-intro",
    };
    let count = ui
        .step
        .filter(|_| step == Step::Separate)
        .and_then(|(n, of)| {
            let r = b.message("separate-consent-step")?;
            let vars = [("step", n.to_string()), ("steps", of.to_string())];
            Some(rich(&consentry_web::text::fill(r, &vars)))
        });
    let body = html! {
        <>
            if let Some(count) = count {
                <p class="cy-step" data-testid="consentry-step">{ count }</p>
            }
            <p id="cy-dialog-intro" class="cy-dialog__intro">{ message(b, intro) }</p>
            if step == Step::GpcOptIn {
                { gpc_note(ui, "cy-gpc-step") }
            }
            <h3 class="cy-section__heading" data-testid="consentry-separate-purpose">{ rich(&p.name) }</h3>
            <p class="cy-section__text">{ rich(&p.description) }</p>
            { facts(ui, p) }
        </>
    };
    let actions = actions(
        b,
        on,
        vec![
            ("consentry-agree", "agree", Msg::Answer(true)),
            ("consentry-disagree", "disagree", Msg::Answer(false)),
        ],
    );
    (body, actions)
}
