//! The one modal dialog: settings, the full notice, or a separate consent step.

use yew::events::{Event, KeyboardEvent};
use yew::{Html, component, html};

use super::notice::notice;
use super::separate::{Step, consent_step};
use super::settings::settings;
use super::text::message;
use super::{Msg, ViewProps, send};
use crate::state::View;

/// A modal `<dialog>` (`role="dialog"`, `aria-modal="true"`, labelled by its title, described
/// by its intro) showing one [`View`]:
/// - settings (`data-testid="consentry-settings"`): each purpose has a `<button role="switch"
///   aria-checked>` labelled by the purpose name and described by its description; a required
///   purpose's switch is on and disabled with the `required-purpose` label; under CCPA with a
///   GPC signal the purposes sold or shared are off, marked `gpc-held-label`, and their switch
///   opens the GPC opt-in step; per-purpose details (data, channels, retention, processors,
///   third parties, transfers, legal basis) in a disclosure; save, accept all and reject all
///   share one class (equal weight);
/// - the full notice (`consentry-notice`): version and policy link, purposes with every fact,
///   the controller and DPO, the EU and China representatives, rights and how to use them,
///   complaints, and the region and rules applied with a way to correct the region;
/// - a separate consent step (`consentry-separate`);
/// - the confirmation that lifts a GPC opt-out for one purpose (`consentry-gpc-opt-in`).
///
/// Esc and the close button close it without deciding.
///
/// Properties: [`ViewProps`] (`ui`, `on`, `view`, `dialog_ref`).
#[component]
pub fn Dialog(props: &ViewProps) -> Html {
    let ui = &props.ui;
    let b = &ui.bundle;
    let on = &props.on;
    let (testid, title, (body, actions)) = match &props.view {
        View::Settings => ("consentry-settings", "settings-title", settings(ui, on)),
        View::Notice => ("consentry-notice", "full-notice-title", notice(ui, on)),
        View::Separate(id) => (
            "consentry-separate",
            "separate-consent-title",
            consent_step(ui, on, id, Step::Separate),
        ),
        View::GpcOptIn(id) => (
            "consentry-gpc-opt-in",
            "gpc-opt-in-title",
            consent_step(ui, on, id, Step::GpcOptIn),
        ),
    };
    let onkeydown = {
        let on = on.clone();
        move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                on.emit(Msg::Close);
            }
        }
    };
    // A native cancel request (e.g. the Android back gesture) closes through the state too.
    let oncancel = on.reform(|e: Event| {
        e.prevent_default();
        Msg::Close
    });
    html! {
        <dialog class="cy-dialog" role="dialog" aria-modal="true"
            aria-labelledby="cy-dialog-title" aria-describedby="cy-dialog-intro"
            tabindex="-1" data-testid={testid} part="dialog" ref={props.dialog_ref.clone()}
            {onkeydown} {oncancel}>
            <div class="cy-dialog__header">
                <h2 id="cy-dialog-title" class="cy-dialog__title">{ message(b, title) }</h2>
                <button type="button" class="cy-dialog__close" data-testid="consentry-close"
                    onclick={send(on, Msg::Close)}>
                    { message(b, "close") }
                </button>
            </div>
            <div class="cy-dialog__body">{ body }</div>
            { actions }
        </dialog>
    }
}
