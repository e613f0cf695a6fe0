//! The first layer: title, body and three equal buttons.

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use yew::{Callback, Html, Properties, component, html};

use super::text::message;

/// Properties of [`Banner`].
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// The verified locale bundle.
    pub bundle: Rc<LocaleBundle>,
    /// "Accept all".
    pub on_accept_all: Callback<()>,
    /// "Reject all".
    pub on_reject_all: Callback<()>,
    /// "Settings": open the second layer.
    pub on_open_settings: Callback<()>,
}

/// The first-layer banner: a labelled `region` landmark (non-modal: the page stays usable)
/// with the notice title, its summary (rich text) and three buttons of identical class and
/// weight, so refusing is exactly as easy as accepting (EDPB 05/2020, CCPA § 7004).
///
/// Properties: [`BannerProps`].
#[component]
pub fn Banner(props: &BannerProps) -> Html {
    let b = &props.bundle;
    html! {
        <section class="cy-banner" role="region" aria-labelledby="cy-banner-title"
            aria-describedby="cy-banner-body" data-testid="consentry-banner">
            <h2 id="cy-banner-title" class="cy-banner__title">{ message(b, "banner-title") }</h2>
            <p id="cy-banner-body" class="cy-banner__body">{ message(b, "banner-body") }</p>
            <div class="cy-actions">
                <button type="button" class="cy-button" data-testid="consentry-accept-all"
                    onclick={props.on_accept_all.reform(|_| ())}>
                    { message(b, "accept-all") }
                </button>
                <button type="button" class="cy-button" data-testid="consentry-reject-all"
                    onclick={props.on_reject_all.reform(|_| ())}>
                    { message(b, "reject-all") }
                </button>
                <button type="button" class="cy-button" data-testid="consentry-open-settings"
                    onclick={props.on_open_settings.reform(|_| ())}>
                    { message(b, "open-settings") }
                </button>
            </div>
        </section>
    }
}
