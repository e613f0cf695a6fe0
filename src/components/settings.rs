//! The second layer: one row per purpose with a switch, the controller, and three equal
//! buttons.

use std::rc::Rc;

use consentry_core::bundle::{BundlePurpose, Controller, LocaleBundle};
use consentry_core::ids::PurposeId;
use yew::events::{Event, KeyboardEvent};
use yew::{Callback, Html, NodeRef, Properties, component, html};

use super::text::{message, rich};

/// Properties of [`SettingsDialog`].
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The verified locale bundle.
    pub bundle: Rc<LocaleBundle>,
    /// Switch positions by purpose (the session draft).
    pub draft: Vec<(PurposeId, bool)>,
    /// A switch was flipped: the purpose and its new position.
    pub on_toggle: Callback<(PurposeId, bool)>,
    /// "Save choices".
    pub on_save: Callback<()>,
    /// "Accept all".
    pub on_accept_all: Callback<()>,
    /// "Reject all".
    pub on_reject_all: Callback<()>,
    /// Close without deciding (the close button or Esc).
    pub on_close: Callback<()>,
    /// Bound to the `<dialog>` element (opened modally and focused by the app).
    #[prop_or_default]
    pub dialog_ref: NodeRef,
}

/// The settings view: a modal `<dialog>` (`role="dialog"`, `aria-modal="true"`, labelled by
/// its title, described by its intro). Each purpose has a `<button role="switch"
/// aria-checked>` labelled by the purpose name and described by its description; a required
/// purpose's switch is on and disabled and carries the `required-purpose` label. Esc and the
/// close button close the view without deciding. Save, accept all and reject all share one
/// class: equal weight.
///
/// Properties: [`SettingsProps`].
#[component]
pub fn SettingsDialog(props: &SettingsProps) -> Html {
    let b = &props.bundle;
    let onkeydown = {
        let close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                e.stop_propagation();
                close.emit(());
            }
        })
    };
    // A native cancel request (e.g. the Android back gesture) closes through the state too.
    let oncancel = {
        let close = props.on_close.clone();
        Callback::from(move |e: Event| {
            e.prevent_default();
            close.emit(());
        })
    };
    html! {
        <dialog class="cy-settings" role="dialog" aria-modal="true"
            aria-labelledby="cy-settings-title" aria-describedby="cy-settings-intro"
            tabindex="-1" data-testid="consentry-settings" ref={props.dialog_ref.clone()}
            {onkeydown} {oncancel}>
            <div class="cy-settings__header">
                <h2 id="cy-settings-title" class="cy-settings__title">
                    { message(b, "settings-title") }
                </h2>
                <button type="button" class="cy-settings__close" data-testid="consentry-close"
                    onclick={props.on_close.reform(|_| ())}>
                    { message(b, "close") }
                </button>
            </div>
            <div class="cy-settings__body">
                <p id="cy-settings-intro" class="cy-settings__intro">
                    { message(b, "settings-intro") }
                </p>
                <ul class="cy-purposes">
                    { for b.purposes.iter().map(|p| purpose_row(b, p, props)) }
                </ul>
                { controller_section(b, &b.controller) }
            </div>
            <div class="cy-actions">
                <button type="button" class="cy-button" data-testid="consentry-save"
                    onclick={props.on_save.reform(|_| ())}>
                    { message(b, "save-choices") }
                </button>
                <button type="button" class="cy-button" data-testid="consentry-accept-all"
                    onclick={props.on_accept_all.reform(|_| ())}>
                    { message(b, "accept-all") }
                </button>
                <button type="button" class="cy-button" data-testid="consentry-reject-all"
                    onclick={props.on_reject_all.reform(|_| ())}>
                    { message(b, "reject-all") }
                </button>
            </div>
        </dialog>
    }
}

fn id_for(prefix: &str, purpose: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(prefix.len() + purpose.len() + suffix.len());
    s.push_str(prefix);
    s.push_str(purpose);
    s.push_str(suffix);
    s
}

fn purpose_row(b: &LocaleBundle, p: &BundlePurpose, props: &SettingsProps) -> Html {
    let pid = p.id.as_str();
    let on = p.required
        || props
            .draft
            .iter()
            .find(|(id, _)| *id == p.id)
            .is_some_and(|(_, on)| *on);
    let name_id = id_for("cy-purpose-", pid, "-name");
    let desc_id = id_for("cy-purpose-", pid, "-desc");
    let req_id = id_for("cy-purpose-", pid, "-required");
    let described_by = if p.required {
        id_for(&desc_id, " ", &req_id)
    } else {
        desc_id.clone()
    };
    let onclick = {
        let toggle = props.on_toggle.clone();
        let id = p.id.clone();
        Callback::from(move |_| toggle.emit((id.clone(), !on)))
    };
    let basis_key = id_for("legal-basis-", &p.legal_basis, "");
    let basis = if b.message(&basis_key).is_some() {
        message(b, &basis_key)
    } else {
        html! { {p.legal_basis.clone()} }
    };
    html! {
        <li class="cy-purpose">
            <div class="cy-purpose__header">
                <span id={name_id.clone()} class="cy-purpose__name">{ rich(&p.name) }</span>
                if p.required {
                    <span id={req_id} class="cy-purpose__required">
                        { message(b, "required-purpose") }
                    </span>
                }
                <button type="button" role="switch" class="cy-switch"
                    aria-checked={if on { "true" } else { "false" }}
                    aria-labelledby={name_id} aria-describedby={described_by}
                    disabled={p.required}
                    data-testid={id_for("consentry-purpose-", pid, "")}
                    {onclick}>
                    <span class="cy-switch__track" aria-hidden="true">
                        <span class="cy-switch__thumb"></span>
                    </span>
                </button>
            </div>
            <p id={desc_id} class="cy-purpose__description">{ rich(&p.description) }</p>
            <dl class="cy-purpose__facts">
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
        </li>
    }
}

fn mail_link(email: &str) -> Html {
    let mut href = String::from("mailto:");
    href.push_str(email);
    html! { <a class="cy-link" href={href}>{ email.to_owned() }</a> }
}

fn controller_section(b: &LocaleBundle, c: &Controller) -> Html {
    if c.name.is_empty() {
        return Html::default();
    }
    let dpo = c.dpo_name.is_some() || c.dpo_email.is_some();
    html! {
        <section class="cy-controller" aria-labelledby="cy-controller-heading">
            <h3 id="cy-controller-heading" class="cy-controller__heading">
                { message(b, "controller-heading") }
            </h3>
            <p class="cy-controller__line">{ c.name.clone() }</p>
            <p class="cy-controller__line">{ c.address.clone() }</p>
            <p class="cy-controller__line">{ mail_link(&c.email) }</p>
            if let Some(phone) = &c.phone {
                <p class="cy-controller__line">{ phone.clone() }</p>
            }
            if dpo {
                <h3 class="cy-controller__heading">{ message(b, "dpo-heading") }</h3>
                if let Some(n) = &c.dpo_name {
                    <p class="cy-controller__line">{ n.clone() }</p>
                }
                if let Some(e) = &c.dpo_email {
                    <p class="cy-controller__line">{ mail_link(e) }</p>
                }
            }
        </section>
    }
}
