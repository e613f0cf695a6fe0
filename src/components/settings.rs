//! The settings view: one switch per purpose, per-purpose details, and three equal buttons.

use consentry_core::bundle::{BundlePurpose, LocaleBundle};
use consentry_core::regime::Gate;
use consentry_core::session::Action;
use yew::{Callback, Html, html};

use super::prefs::{gpc_note, guardian_box, language_select, region_select};
use super::text::{cat, message, rich};
use super::{Msg, PurposeState, UiModel, actions, link_button, send};
use crate::state::{Surface, View};

/// The facts of a purpose as a description list: legal basis, retention, recipients and
/// cross-border transfers with their safeguard. New facts of the notice model slot in here.
pub fn facts(b: &LocaleBundle, p: &BundlePurpose) -> Html {
    let basis_key = cat("legal-basis-", &p.legal_basis, "");
    let basis = if b.message(&basis_key).is_some() {
        message(b, &basis_key)
    } else {
        html! { { p.legal_basis.clone() } }
    };
    html! {
        <dl class="cy-facts">
            <dt>{ message(b, "legal-basis-label") }</dt>
            <dd>{ basis }</dd>
            <dt>{ message(b, "retention-label") }</dt>
            <dd><data value={p.retention.clone()}>{ p.retention.clone() }</data></dd>
            if !p.recipients.is_empty() {
                <dt>{ message(b, "recipients-label") }</dt>
                <dd>{ p.recipients.join(", ") }</dd>
            }
            if !p.transfers.is_empty() {
                <dt>{ message(b, "transfers-label") }</dt>
                <dd>
                    { for p.transfers.iter().enumerate().map(|(i, t)| {
                        let mut s = String::new();
                        if i > 0 {
                            s.push_str(", ");
                        }
                        s.push_str(&t.destination);
                        s.push_str(" (");
                        s.push_str(&t.safeguard);
                        s.push(')');
                        html! { {s} }
                    }) }
                </dd>
            }
        </dl>
    }
}

fn purpose_row(ui: &UiModel, on: &Callback<Msg>, p: &BundlePurpose, st: &PurposeState) -> Html {
    let b = &ui.bundle;
    let pid = p.id.as_str();
    let name_id = cat("cy-purpose-", pid, "-name");
    let desc_id = cat("cy-purpose-", pid, "-desc");
    let badge_id = cat("cy-purpose-", pid, "-badge");
    let held = st.gate == Gate::SignalOptOut;
    let separate = st.gate == Gate::Separate;
    let badge = if p.required {
        "required-purpose"
    } else if separate {
        "separate-consent-label"
    } else {
        ""
    };
    let mut described_by = desc_id.clone();
    if !badge.is_empty() {
        described_by.push(' ');
        described_by.push_str(&badge_id);
    }
    if held {
        described_by.push_str(" cy-gpc-dialog");
    }
    let on_now = p.required || st.on;
    // A separate purpose is granted in its own step and withdrawn at once; the others move
    // the draft until "save".
    let msg = if separate && on_now {
        Msg::Decide(Action::Withdraw(p.id.clone()), Surface::Settings)
    } else if separate {
        Msg::Open(View::Separate(p.id.clone()))
    } else {
        Msg::Decide(Action::Set(p.id.clone(), !on_now), Surface::Settings)
    };
    html! {
        <li class="cy-purpose">
            <div class="cy-purpose__header">
                <span id={name_id.clone()} class="cy-purpose__name">{ rich(&p.name) }</span>
                if !badge.is_empty() {
                    <span id={badge_id} class="cy-badge">{ message(b, badge) }</span>
                }
                <button type="button" role="switch" class="cy-switch" part="switch"
                    aria-checked={if on_now { "true" } else { "false" }}
                    aria-labelledby={name_id} aria-describedby={described_by}
                    disabled={p.required || held}
                    data-testid={cat("consentry-purpose-", pid, "")}
                    onclick={send(on, msg)}>
                    <span class="cy-switch__track" aria-hidden="true">
                        <span class="cy-switch__thumb"></span>
                    </span>
                </button>
            </div>
            <p id={desc_id} class="cy-purpose__description">{ rich(&p.description) }</p>
            <details class="cy-details">
                <summary class="cy-details__summary">{ message(b, "purpose-details") }</summary>
                { facts(b, p) }
            </details>
        </li>
    }
}

/// The settings view's body and actions (inside [`super::Dialog`]).
pub fn settings(ui: &UiModel, on: &Callback<Msg>) -> (Html, Html) {
    let b = &ui.bundle;
    let body = html! {
        <>
            <p id="cy-dialog-intro" class="cy-dialog__intro">{ message(b, "settings-intro") }</p>
            { gpc_note(ui, "cy-gpc-dialog") }
            { guardian_box(ui, on, "cy-guardian-dialog", "consentry-dialog-guardian") }
            <ul class="cy-purposes">
                { for b.purposes.iter().zip(&ui.purposes).map(|(p, st)| purpose_row(ui, on, p, st)) }
            </ul>
            <div class="cy-more">
                { link_button(b, on, "consentry-open-notice", "open-full-notice", Msg::Open(View::Notice)) }
                if ui.decided {
                    { link_button(b, on, "consentry-download", "download-receipt", Msg::Download) }
                }
            </div>
            <div class="cy-prefs">
                { language_select(ui, on, "cy-language-dialog", "consentry-dialog-language") }
                { region_select(ui, on) }
            </div>
        </>
    };
    let actions = actions(
        b,
        on,
        vec![
            (
                "consentry-save",
                "save-choices",
                Msg::Decide(Action::Save, Surface::Settings),
            ),
            (
                "consentry-accept-all",
                "accept-all",
                Msg::Decide(Action::AcceptAll, Surface::Settings),
            ),
            (
                "consentry-reject-all",
                "reject-all",
                Msg::Decide(Action::RejectAll, Surface::Settings),
            ),
        ],
    );
    (body, actions)
}
