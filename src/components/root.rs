//! The widget's root element.

use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use yew::{Children, Html, Properties, component, html};

use super::text::message;

/// Properties of [`Root`].
#[derive(Properties, PartialEq)]
pub struct RootProps {
    /// The verified locale bundle (its locale and direction go on the root).
    pub bundle: Rc<LocaleBundle>,
    /// Whether to announce `decision-saved` in the polite status line.
    #[prop_or_default]
    pub saved: bool,
    /// The banner, button and dialog.
    #[prop_or_default]
    pub children: Children,
}

/// `<div class="cy" lang dir>` around the widget, so text is read and laid out in the
/// notice's language and direction (`dir="rtl"` for Arabic, Hebrew, …), plus a visually
/// hidden `role="status"` line that announces a saved decision to screen readers.
///
/// Properties: [`RootProps`].
#[component]
pub fn Root(props: &RootProps) -> Html {
    let b = &props.bundle;
    html! {
        <div class="cy" part="root" lang={b.locale.as_str().to_owned()} dir={b.dir.as_str()}>
            { props.children.clone() }
            <p class="cy-visually-hidden" role="status">
                if props.saved { { message(b, "decision-saved") } }
            </p>
        </div>
    }
}
