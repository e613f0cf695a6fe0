//! The first layer: title, body, three equal buttons, the way to the full notice and the
//! language switcher.

use yew::{Html, component, html};

use super::prefs::{gpc_note, guardian_box, language_select};
use super::text::{message, safe_href, text};
use super::{Msg, ViewProps, actions, link_button};
use crate::state::{Surface, View};
use consentry_core::regime::banner_links;
use consentry_core::session::Action;

/// The first-layer banner: a labelled `region` landmark (non-modal: the page stays usable)
/// with the notice title, its summary (rich text) and three buttons of identical class and
/// weight, so refusing is exactly as easy as accepting (EDPB 05/2020, CCPA § 7004). Below
/// them: where a US state law applies, its "Do Not Sell or Share" (and "Limit the Use") link
/// on the banner itself (CCPA 1798.135(a)(1); 11 CCR §7013(b)), the full notice one click away
/// and the language switcher. Under CCPA with a GPC signal it says the signal is honoured;
/// under PIPL it offers the guardian box. The first module draws the same banner
/// (`crates/consentry-first/src/view.rs`); `tests/e2e/takeover.test.mjs` proves the two the
/// same.
///
/// Properties: [`ViewProps`] (`ui`, `on`).
#[component]
pub fn Banner(props: &ViewProps) -> Html {
    let ui = &props.ui;
    let b = &ui.bundle;
    let on = &props.on;
    let links = banner_links(b, &ui.jurisdiction.applied());
    html! {
        <section class="cy-banner" role="region" aria-labelledby="cy-banner-title"
            aria-describedby="cy-banner-body" data-testid="consentry-banner" part="banner">
            <h2 id="cy-banner-title" class="cy-banner__title">{ message(b, "banner-title") }</h2>
            <p id="cy-banner-body" class="cy-banner__body">{ message(b, "banner-body") }</p>
            { gpc_note(ui, "cy-gpc-banner") }
            { guardian_box(ui, on, "cy-guardian-banner", "consentry-guardian") }
            { actions(b, on, vec![
                ("consentry-accept-all", "accept-all", Msg::Decide(Action::AcceptAll, Surface::Banner)),
                ("consentry-reject-all", "reject-all", Msg::Decide(Action::RejectAll, Surface::Banner)),
                ("consentry-open-settings", "open-settings", Msg::Open(View::Settings)),
            ]) }
            <div class="cy-more">
                { for links.iter().filter(|(_, l)| safe_href(&l.href)).map(|(kind, l)| html! {
                    <a class="cy-link" href={l.href.clone()} part="opt-out-link"
                        data-testid={if *kind == "limit" { "consentry-limit-link" } else { "consentry-opt-out-link" }}>
                        { text(&l.text) }
                    </a>
                }) }
                { link_button(b, on, "consentry-open-notice", "open-full-notice", Msg::Open(View::Notice)) }
                { language_select(ui, on, "cy-language-banner", "consentry-language") }
            </div>
        </section>
    }
}
