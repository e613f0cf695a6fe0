//! The settings view: one switch per purpose, per-purpose details, and three equal buttons.

use consentry_core::bundle::{BundlePurpose, LocaleBundle, Rich};
use consentry_core::regime::{Gate, recorded_basis};
use consentry_core::session::Action;
use yew::{Callback, Html, html};

use super::prefs::{gpc_note, guardian_box, language_select, region_select};
use super::text::{cat, link, message, rich, text};
use super::{Msg, PurposeState, UiModel, actions, link_button, send};
use crate::state::{Surface, View};

/// A `<ul class="cy-list">` of items (nothing when there are none).
pub fn list<'a>(items: impl Iterator<Item = Html> + 'a) -> Html {
    let items: Vec<Html> = items.collect();
    if items.is_empty() {
        return Html::default();
    }
    html! {
        <ul class="cy-list">{ for items.into_iter().map(|i| html! { <li>{ i }</li> }) }</ul>
    }
}

/// A label from the bundle's label helpers, else the id itself (`consentry lint` makes sure a
/// shipped notice has them all).
pub fn label(found: Option<&Rich>, id: &str) -> Html {
    match found {
        Some(r) => rich(r),
        None => text(id),
    }
}

/// One fact of a purpose: `<dt>` label, `<dd>` value.
fn fact(b: &LocaleBundle, label_id: &str, value: Html) -> Html {
    html! { <><dt>{ message(b, label_id) }</dt><dd>{ value }</dd></> }
}

/// The facts of a purpose under the regime in force, as a description list: legal basis
/// (and the legitimate interest pursued), the data used, where it is collected, how long it
/// is kept (localized), the processors and the third parties, cross-border transfers with
/// their safeguard, recipient and contact, why sensitive data is needed, how automated
/// decisions work; flags for sensitive data, separate consent, and sale or sharing (with the
/// CCPA opt-out link).
pub fn facts(ui: &UiModel, p: &BundlePurpose) -> Html {
    let b = &ui.bundle;
    let applied = ui.jurisdiction.applied();
    let basis = recorded_basis(p, &ui.jurisdiction.in_force(&applied, false, false));
    // Only the safeguards of the laws that apply to this visitor (all, if none of them does).
    let shown: Vec<&consentry_core::bundle::Transfer> = {
        let mine: Vec<_> = p
            .transfers
            .iter()
            .filter(|t| applied.iter().any(|(r, _)| r.uses_safeguard(&t.safeguard)))
            .collect();
        if mine.is_empty() {
            p.transfers.iter().collect()
        } else {
            mine
        }
    };
    let us = applied.iter().any(|(r, _)| r.is_us_state());
    let retention = b
        .purposes
        .iter()
        .position(|q| q.id == p.id)
        .and_then(|i| ui.retention.get(i))
        .map_or(p.retention.as_str(), String::as_str);
    let third: Vec<&String> = p
        .recipients
        .iter()
        .filter(|r| !p.processors.contains(r))
        .collect();
    let opt_out = b
        .ccpa_opt_out_link
        .as_deref()
        .and_then(|n| b.link(n))
        .filter(|_| us);
    let flag = |id: &str, extra: Html| {
        html! { <li>{ message(b, id) }{ extra }</li> }
    };
    let flags: Vec<Html> = [
        (p.sensitive, "sensitive-label"),
        (p.separate_consent, "separate-consent-label"),
        (p.sold_or_shared, "sold-or-shared-label"),
    ]
    .into_iter()
    .filter(|(on, _)| *on)
    .map(|(_, id)| {
        let extra = match opt_out {
            Some(l) if id == "sold-or-shared-label" => {
                html! { <>{ " " }{ link(&l.href, &l.text) }</> }
            }
            _ => Html::default(),
        };
        flag(id, extra)
    })
    .collect();
    html! {
        <>
            if !flags.is_empty() {
                <ul class="cy-flags">{ for flags }</ul>
            }
            <dl class="cy-facts">
                { fact(b, "legal-basis-label", label(b.legal_basis_label(basis), basis)) }
                if let (true, Some(li)) = (basis == "legitimate-interests", &p.legitimate_interest) {
                    { fact(b, "legitimate-interest-label", rich(li)) }
                }
                if !p.data_categories.is_empty() {
                    { fact(b, "data-categories-label", list(p.data_categories.iter().map(|c| label(b.data_category_label(c), c)))) }
                }
                if !p.channels.is_empty() {
                    { fact(b, "channels-label", list(p.channels.iter().map(|c| label(b.channel_label(c), c)))) }
                }
                { fact(b, "retention-label", html! { <data value={p.retention.clone()}>{ text(retention) }</data> }) }
                if !p.processors.is_empty() {
                    { fact(b, "processors-label", list(p.processors.iter().map(|r| text(b.shown(r))))) }
                }
                if !third.is_empty() {
                    { fact(b, "third-parties-label", list(third.iter().map(|r| text(b.shown(r))))) }
                }
                if !shown.is_empty() {
                    // Each destination, then its safeguard, recipient and contact on their own
                    // lines (no punctuation to localize).
                    { fact(b, "transfers-label", list(shown.iter().map(|t| html! {
                        <>
                            { label(b.message(&cat("country-", &t.destination, "")), &t.destination) }
                            { list(
                                std::iter::once(label(b.message(&cat("safeguard-", &t.safeguard, "")), &t.safeguard))
                                    .chain(t.recipient.iter().map(|r| text(b.shown(r))))
                                    .chain(t.contact.as_deref().and_then(|n| b.link(n)).map(|l| link(&l.href, &l.text)))
                            ) }
                        </>
                    }))) }
                }
                if let Some(t) = &p.sensitive_impact {
                    { fact(b, "sensitive-impact-label", rich(t)) }
                }
                if let Some(t) = &p.automated_decision {
                    { fact(b, "automated-decision-label", rich(t)) }
                }
            </dl>
        </>
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
    let barred = st.gate == Gate::Barred;
    let on_now = p.required || st.on;
    let applied = ui.jurisdiction.applied();
    let opt_out = recorded_basis(p, &ui.jurisdiction.in_force(&applied, false, false)) != "consent";
    let badge = if p.required {
        "required-purpose"
    } else if barred {
        "barred-for-child-label"
    } else if separate {
        "separate-consent-label"
    } else if held && !on_now {
        "gpc-held-label"
    } else if opt_out {
        // Runs on notice with a right to opt out or object: said as such, not as consent.
        "opt-out-label"
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
    // A separate purpose is granted in its own step and withdrawn at once; a purpose held off
    // by GPC is turned on only through its confirmation step; the others move the draft until
    // "save".
    let msg = if separate && on_now {
        Msg::Decide(Action::Withdraw(p.id.clone()), Surface::Settings)
    } else if separate {
        Msg::Open(View::Separate(p.id.clone()))
    } else if held && !on_now {
        Msg::Open(View::GpcOptIn(p.id.clone()))
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
                    disabled={p.required || barred}
                    data-testid={cat("consentry-purpose-", pid, "")}
                    onclick={send(on, msg)}>
                    <span class="cy-switch__track" aria-hidden="true">
                        <span class="cy-switch__thumb"></span>
                    </span>
                </button>
            </div>
            <p id={desc_id} class="cy-purpose__description">{ rich(&p.description) }</p>
            <details class="cy-details">
                <summary class="cy-details__summary">{ message(b, "show-details") }</summary>
                { facts(ui, p) }
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
