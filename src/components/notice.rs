//! The full notice: every section of the notice model, one click from the banner.

use consentry_core::bundle::{Controller, LocaleBundle};
use yew::{Callback, Html, html};

use super::prefs::region_select;
use super::settings::facts;
use super::text::{cat, message, rich};
use super::{Msg, UiModel, actions};
use crate::state::View;

fn mail_link(email: &str) -> Html {
    html! { <a class="cy-link" href={cat("mailto:", email, "")}>{ email.to_owned() }</a> }
}

fn controller_section(b: &LocaleBundle, c: &Controller) -> Html {
    if c.name.is_empty() {
        return Html::default();
    }
    let dpo = c.dpo_name.is_some() || c.dpo_email.is_some();
    html! {
        <section class="cy-section" aria-labelledby="cy-notice-controller">
            <h3 id="cy-notice-controller" class="cy-section__heading">{ message(b, "controller-heading") }</h3>
            <p class="cy-section__line">{ c.name.clone() }</p>
            <p class="cy-section__line">{ c.address.clone() }</p>
            <p class="cy-section__line">{ mail_link(&c.email) }</p>
            if let Some(phone) = &c.phone {
                <p class="cy-section__line">{ phone.clone() }</p>
            }
            if dpo {
                <h4 class="cy-section__subheading">{ message(b, "dpo-heading") }</h4>
                if let Some(n) = &c.dpo_name {
                    <p class="cy-section__line">{ n.clone() }</p>
                }
                if let Some(e) = &c.dpo_email {
                    <p class="cy-section__line">{ mail_link(e) }</p>
                }
            }
        </section>
    }
}

/// A section made of a heading message and a body message, shown when the locale defines
/// both (rights, complaint authority, EU representative, … as the notice model grows).
fn message_section(b: &LocaleBundle, name: &str) -> Html {
    let heading = cat(name, "-heading", "");
    let body = cat(name, "-body", "");
    match (b.message(&heading), b.message(&body)) {
        (Some(h), Some(t)) => {
            let id = cat("cy-notice-", name, "");
            html! {
                <section class="cy-section" aria-labelledby={id.clone()}>
                    <h3 {id} class="cy-section__heading">{ rich(h) }</h3>
                    <p class="cy-section__text">{ rich(t) }</p>
                </section>
            }
        }
        _ => Html::default(),
    }
}

/// Optional sections, in display order.
const MESSAGE_SECTIONS: [&str; 3] = ["rights", "complaint", "representative"];

fn region_section(ui: &UiModel, on: &Callback<Msg>) -> Html {
    let b = &ui.bundle;
    let j = &ui.jurisdiction;
    let region = match ui.regions.iter().find(|o| o.value == ui.region_value) {
        Some(o) if j.region.is_some() => html! { { o.label.clone() } },
        _ => message(b, "region-other"),
    };
    let source = cat(
        "region-source-",
        &j.determined_by.as_str().replace('_', "-"),
        "",
    );
    html! {
        <section class="cy-section" aria-labelledby="cy-notice-region">
            <h3 id="cy-notice-region" class="cy-section__heading">{ message(b, "notice-region-heading") }</h3>
            <dl class="cy-facts" data-testid="consentry-jurisdiction">
                <dt>{ message(b, "region-label") }</dt>
                <dd>{ region }{ " (" }{ message(b, &source) }{ ")" }</dd>
                <dt>{ message(b, "regime-label") }</dt>
                <dd>{ message(b, &cat("regime-", j.regime.as_str(), "")) }</dd>
            </dl>
            { region_select(ui, on) }
        </section>
    }
}

/// The full notice's body and actions (inside [`super::Dialog`]).
pub fn notice(ui: &UiModel, on: &Callback<Msg>) -> (Html, Html) {
    let b = &ui.bundle;
    let body = html! {
        <>
            <p id="cy-dialog-intro" class="cy-dialog__intro">{ message(b, "banner-body") }</p>
            <section class="cy-section" aria-labelledby="cy-notice-purposes">
                <h3 id="cy-notice-purposes" class="cy-section__heading">
                    { message(b, "purposes-heading") }
                </h3>
                { for b.purposes.iter().map(|p| html! {
                    <article class="cy-notice-purpose">
                        <h4 class="cy-section__subheading">{ rich(&p.name) }</h4>
                        <p class="cy-section__text">{ rich(&p.description) }</p>
                        { facts(b, p) }
                    </article>
                }) }
            </section>
            { controller_section(b, &b.controller) }
            { for MESSAGE_SECTIONS.iter().map(|s| message_section(b, s)) }
            { region_section(ui, on) }
        </>
    };
    let actions = actions(
        b,
        on,
        vec![(
            "consentry-notice-settings",
            "privacy-settings",
            Msg::Open(View::Settings),
        )],
    );
    (body, actions)
}
