//! The persistent "privacy settings" button shown once a decision is in force.

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use yew::{Callback, Html, NodeRef, Properties, component, html};

use super::text::message;

/// Properties of [`PrivacyButton`].
#[derive(Properties, PartialEq)]
pub struct PrivacyButtonProps {
    /// The verified locale bundle.
    pub bundle: Rc<LocaleBundle>,
    /// Opens the settings view.
    pub on_click: Callback<()>,
    /// Bound to the button (focus goes there after a decision).
    #[prop_or_default]
    pub button_ref: NodeRef,
}

/// A small, always-available button that reopens the settings, so a decision can be changed
/// or withdrawn as easily as it was given (GDPR Art. 7(3)).
///
/// Properties: [`PrivacyButtonProps`].
#[component]
pub fn PrivacyButton(props: &PrivacyButtonProps) -> Html {
    html! {
        <button type="button" class="cy-privacy-button" part="privacy-button" data-testid="consentry-privacy-settings"
            ref={props.button_ref.clone()} onclick={props.on_click.reform(|_| ())}>
            { message(&props.bundle, "privacy-settings") }
        </button>
    }
}
