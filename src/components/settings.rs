//! The settings view: a scannable list of purpose names, each with its switch in a fixed column
//! and its description and facts collapsed below, and three equal buttons.

use consentry_core::bundle::{BundlePurpose, LocaleBundle, Rich};
use consentry_core::regime::{Gate, recorded_basis};
use consentry_core::session::Action;
use yew::{Callback, Html, html};

use super::prefs::{gpc_note, guardian_box, language_select, region_select};
use super::request::request_form;
use super::text::{cat, link, message, name, rich, text};
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
    let index = b.purposes.iter().position(|q| q.id == p.id);
    let retention = index
        .and_then(|i| ui.retention.get(i))
        .map_or(p.retention.as_str(), String::as_str);
    // "Asked for separately" only where it is (a regime in force, or the notice everywhere),
    // not where another law's gate comes first (a GPC opt-in under the CCPA).
    let separate = index
        .and_then(|i| ui.purposes.get(i))
        .is_some_and(|s| s.gate == Gate::Separate);
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
        (separate, "separate-consent-label"),
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
                    { fact(b, "processors-label", list(p.processors.iter().map(|r| name(b.shown(r))))) }
                }
                if !third.is_empty() {
                    { fact(b, "third-parties-label", list(third.iter().map(|r| name(b.shown(r))))) }
                }
                if !shown.is_empty() {
                    // Each destination once, then its safeguards, recipients and contacts on
                    // their own lines (no punctuation to localize).
                    { fact(b, "transfers-label", list(destinations(&shown).into_iter().map(|(dest, ts)| html! {
                        <>
                            { label(b.message(&cat("country-", dest, "")), dest) }
                            { list(transfer_lines(b, &ts)) }
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

/// The transfers grouped by destination, in the order each destination first appears.
fn destinations<'t>(
    shown: &[&'t consentry_core::bundle::Transfer],
) -> Vec<(&'t str, Vec<&'t consentry_core::bundle::Transfer>)> {
    let mut out: Vec<(&str, Vec<&consentry_core::bundle::Transfer>)> = Vec::new();
    for t in shown {
        match out.iter_mut().find(|(d, _)| *d == t.destination.as_str()) {
            Some((_, ts)) => ts.push(t),
            None => out.push((t.destination.as_str(), vec![t])),
        }
    }
    out
}

/// One destination's safeguards, then its recipients and contacts, each once.
fn transfer_lines<'a>(
    b: &'a LocaleBundle,
    ts: &'a [&'a consentry_core::bundle::Transfer],
) -> impl Iterator<Item = Html> + 'a {
    fn once(items: Vec<&str>) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::with_capacity(items.len());
        for i in items {
            if !seen.contains(&i) {
                seen.push(i);
            }
        }
        seen
    }
    let (mut safeguards, mut recipients, mut contacts) = (Vec::new(), Vec::new(), Vec::new());
    for t in ts {
        safeguards.push(t.safeguard.as_str());
        recipients.extend(t.recipient.as_deref());
        contacts.extend(t.contact.as_deref());
    }
    let (safeguards, recipients, contacts) = (once(safeguards), once(recipients), once(contacts));
    safeguards
        .into_iter()
        .map(|s| label(b.message(&cat("safeguard-", s, "")), s))
        .chain(recipients.into_iter().map(|r| name(b.shown(r))))
        .chain(
            contacts
                .into_iter()
                .filter_map(|n| b.link(n))
                .map(|l| link(&l.href, &l.text)),
        )
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
    // What a tap asks for is the one rule of `consentry_web::state::ConsentState::switch`.
    let msg = Msg::Switch(p.id.clone());
    html! {
        <li class="cy-purpose">
            <div class="cy-purpose__header">
                <span class="cy-purpose__label">
                    <span id={name_id.clone()} class="cy-purpose__name">{ rich(&p.name) }</span>
                    if !badge.is_empty() {
                        { " " }<span id={badge_id} class="cy-badge">{ message(b, badge) }</span>
                    }
                </span>
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
            <details class="cy-details">
                <summary class="cy-details__summary">{ message(b, "show-details") }</summary>
                <p id={desc_id} class="cy-purpose__description">{ rich(&p.description) }</p>
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
            if ui.steps_waiting > 0 {
                <p class="cy-note" data-testid="consentry-steps-waiting">
                    { message(b, "separate-consent-waiting") }{ " " }
                    { link_button(b, on, "consentry-resume-steps", "separate-consent-resume", Msg::Resume) }
                </p>
            }
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
            if let Some(r) = &ui.request {
                { request_form(ui, r, on) }
            }
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
