//! The full notice: every section of the notice model, one click from the banner.

use consentry_core::bundle::{LocaleBundle, Representative, Span};
use consentry_core::regime::{Regime, shows_right};
use yew::{Callback, Html, html};

use super::prefs::region_select;
use super::settings::{facts, label, list};
use super::text::{cat, link, message, name as fact_name, rich, text};
use super::{Msg, UiModel, actions};
use crate::state::View;

/// `<section>` labelled by its `<h3>`: `name` makes the ids, `heading` is a message id.
fn section(b: &LocaleBundle, name: &str, heading: &str, body: Html) -> Html {
    let id = cat("cy-notice-", name, "");
    html! {
        <section class="cy-section" aria-labelledby={id.clone()}>
            <h3 {id} class="cy-section__heading">{ message(b, heading) }</h3>
            { body }
        </section>
    }
}

/// Whether the rich text `r` has a link to `href`.
fn links_to(r: Option<&consentry_core::bundle::Rich>, href: &str) -> bool {
    r.is_some_and(|r| {
        r.0.iter()
            .any(|s| matches!(s, Span::Link { href: h, .. } if h == href))
    })
}

fn mail(email: &str) -> Html {
    link(&cat("mailto:", email, ""), email)
}

/// A name, then address / e-mail / phone as a labelled list (the parts that are present).
fn contact(
    b: &LocaleBundle,
    name: Option<&str>,
    address: &str,
    email: Option<&str>,
    phone: Option<&str>,
) -> Html {
    let row =
        |label: &str, value: Html| html! { <><dt>{ message(b, label) }</dt><dd>{ value }</dd></> };
    html! {
        <>
            if let Some(n) = name {
                <p class="cy-section__line">{ fact_name(b.shown(n)) }</p>
            }
            <dl class="cy-facts">
                if !address.is_empty() {
                    { row("address-label", fact_name(b.shown(address))) }
                }
                if let Some(e) = email {
                    { row("email-label", mail(e)) }
                }
                if let Some(p) = phone {
                    { row("phone-label", fact_name(p)) }
                }
            </dl>
        </>
    }
}

fn representative(b: &LocaleBundle, name: &str, heading: &str, r: &Option<Representative>) -> Html {
    match r {
        Some(r) => section(
            b,
            name,
            heading,
            contact(b, Some(&r.name), &r.address, Some(&r.email), None),
        ),
        None => Html::default(),
    }
}

/// The controller (who is responsible), who represents it, and its data protection officer.
fn controller(b: &LocaleBundle) -> Html {
    let c = &b.controller;
    if c.name.is_empty() {
        return Html::default();
    }
    let dpo = c.dpo_name.is_some() || c.dpo_email.is_some() || c.dpo_phone.is_some();
    section(
        b,
        "controller",
        "controller-heading",
        html! {
            <>
                { contact(b, Some(&c.name), &c.address, Some(&c.email), c.phone.as_deref()) }
                if let Some(h) = &c.head {
                    <dl class="cy-facts">
                        <dt>{ message(b, "head-label") }</dt><dd>{ fact_name(b.shown(h)) }</dd>
                    </dl>
                }
                if dpo {
                    <h4 class="cy-section__subheading">{ message(b, "dpo-heading") }</h4>
                    { contact(b, c.dpo_name.as_deref(), "", c.dpo_email.as_deref(), c.dpo_phone.as_deref()) }
                }
            </>
        },
    )
}

/// The rights the laws in force give, how to exercise them, and the US opt-out / limit links
/// where a US state law applies.
fn rights(ui: &UiModel) -> Html {
    let b = &ui.bundle;
    if b.rights.is_empty() {
        return Html::default();
    }
    let applied = ui.jurisdiction.applied();
    let in_force = ui.jurisdiction.in_force(&applied, false, false);
    let us = applied.iter().any(|(r, _)| r.is_us_state());
    let ccpa = [&b.ccpa_opt_out_link, &b.ccpa_limit_link]
        .into_iter()
        .filter(|_| us)
        .filter_map(|n| n.as_deref().and_then(|n| b.link(n)));
    section(
        b,
        "rights",
        "rights-heading",
        html! {
            <>
                { list(b.rights.iter().filter(|r| shows_right(&r.id, &in_force)).map(|r| rich(&r.text))) }
                if b.message("rights-how").is_some() {
                    <p class="cy-section__text">{ message(b, "rights-how") }</p>
                }
                { list(ccpa.map(|l| link(&l.href, &l.text))) }
            </>
        },
    )
}

/// Where to complain under the laws in force, in their order; the other regions' authorities
/// behind "Other regions".
fn complaints(ui: &UiModel) -> Html {
    let b = &ui.bundle;
    if b.complaints.is_empty() {
        return Html::default();
    }
    let applied = ui.jurisdiction.applied();
    let mine = applied
        .iter()
        .filter_map(|(g, _)| b.complaints.iter().find(|c| c.regime == *g));
    let others: Vec<Html> = b
        .complaints
        .iter()
        .filter(|c| !applied.iter().any(|(g, _)| *g == c.regime))
        .map(|c| rich(&c.text))
        .collect();
    section(
        b,
        "complaints",
        "complaints-heading",
        html! {
            <>
                { list(mine.map(|c| rich(&c.text))) }
                if !others.is_empty() {
                    <details class="cy-details" data-testid="consentry-other-regions">
                        <summary class="cy-details__summary">{ message(b, "other-regions-heading") }</summary>
                        { list(others.into_iter()) }
                    </details>
                }
            </>
        },
    )
}

/// What each category of personal information is, whether it is sold or shared, and how long
/// it is kept, where a US state law applies (CCPA 1798.100(a); 11 CCR §7012(e)).
fn categories(ui: &UiModel) -> Html {
    let b = &ui.bundle;
    if !ui
        .jurisdiction
        .applied()
        .iter()
        .any(|(r, _)| r.is_us_state())
        || ui.categories.is_empty()
    {
        return Html::default();
    }
    section(
        b,
        "categories",
        "categories-heading",
        html! {
            <dl class="cy-facts" data-testid="consentry-categories">
                { for ui.categories.iter().map(|c| html! {
                    <>
                        <dt>{ label(b.data_category_label(&c.id), &c.id) }</dt>
                        <dd>
                            { message(b, if c.sold_or_shared { "category-sold" } else { "category-not-sold" }) }
                            <br />
                            { message(b, "retention-label") }{ ": " }<data value={c.retention.clone()}>{ text(&c.words) }</data>
                        </dd>
                    </>
                }) }
            </dl>
        },
    )
}

fn region_section(ui: &UiModel, on: &Callback<Msg>) -> Html {
    let b = &ui.bundle;
    let j = &ui.jurisdiction;
    let gpc = j.applied().iter().any(|(r, _)| r.honours_gpc());
    let region = match ui.regions.iter().find(|o| o.value == ui.region_value) {
        Some(o) if j.region.is_some() => text(&o.label),
        _ => message(b, "region-other"),
    };
    let source = cat(
        "region-source-",
        &j.determined_by.as_str().replace('_', "-"),
        "",
    );
    section(
        b,
        "region",
        "notice-region-heading",
        html! {
            <>
                <dl class="cy-facts" data-testid="consentry-jurisdiction">
                    <dt>{ message(b, "region-label") }</dt>
                    <dd>{ region }<span class="cy-hint">{ message(b, &source) }</span></dd>
                    <dt>{ message(b, "regime-label") }</dt>
                    <dd>{ list(j.applied().into_iter().map(|(g, why)| html! {
                        <span data-regime={g.as_str()}>
                            { label(b.regime_label(g), g.as_str()) }
                            <span class="cy-hint">{ message(b, &cat("regime-reason-", &why.as_str().replace('_', "-"), "")) }</span>
                        </span>
                    })) }</dd>
                </dl>
                if gpc && b.message("gpc-statement").is_some() {
                    <p class="cy-section__text">{ message(b, "gpc-statement") }</p>
                }
                { region_select(ui, on) }
            </>
        },
    )
}

/// The full notice's body and actions (inside [`super::Dialog`]): the summary, version and
/// policy link; every purpose with all its facts; the controller and DPO; the EU and China
/// representatives; rights and how to exercise them; complaints; the region and rules
/// applied, with a way to correct the region.
pub fn notice(ui: &UiModel, on: &Callback<Msg>) -> (Html, Html) {
    let b = &ui.bundle;
    let policy = b.policy_link.as_deref().and_then(|n| b.link(n));
    let body = html! {
        <>
            <p id="cy-dialog-intro" class="cy-dialog__intro">{ message(b, "banner-body") }</p>
            <dl class="cy-facts">
                <dt>{ message(b, "notice-version-label") }</dt>
                <dd>{ fact_name(&b.version) }</dd>
            </dl>
            // The policy link, unless the summary above already gives it.
            if let Some(l) = policy.filter(|l| !links_to(b.message("banner-body"), &l.href)) {
                <p class="cy-section__line">{ link(&l.href, &l.text) }</p>
            }
            { section(b, "purposes", "purposes-heading", html! {
                { for b.purposes.iter().map(|p| html! {
                    <article class="cy-notice-purpose">
                        <h4 class="cy-section__subheading">{ rich(&p.name) }</h4>
                        <p class="cy-section__text">{ rich(&p.description) }</p>
                        { facts(ui, p) }
                    </article>
                }) }
            }) }
            { categories(ui) }
            { controller(b) }
            { for [
                (Regime::Gdpr, "eu-representative", "eu-representative-heading", &b.controller.eu_representative),
                (Regime::UkGdpr, "uk-representative", "uk-representative-heading", &b.controller.uk_representative),
                (Regime::ChFadp, "swiss-representative", "swiss-representative-heading", &b.controller.swiss_representative),
                (Regime::Pipl, "china-representative", "china-representative-heading", &b.controller.china_representative),
                (Regime::Pipa, "korea-representative", "korea-representative-heading", &b.controller.korea_representative),
            ]
            .into_iter()
            .filter(|(g, ..)| ui.jurisdiction.has(*g))
            .map(|(_, name, heading, r)| representative(b, name, heading, r)) }
            { rights(ui) }
            { complaints(ui) }
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
