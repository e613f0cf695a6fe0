//! The browser platform: `crates/consentry-web`'s (the only web-sys / js-sys code, shared with
//! the first module), plus the two focus helpers that work on Yew node refs.

pub use consentry_web::platform::*;

/// The host element, its shadow root, URLs and focus; with Yew node refs.
pub mod dom {
    pub use consentry_web::platform::dom::*;

    use web_sys::{HtmlDialogElement, HtmlElement};
    use yew::NodeRef;

    /// Focuses the element behind `r`, if it is rendered.
    pub fn focus(r: &NodeRef) -> bool {
        r.cast::<HtmlElement>().is_some_and(|el| el.focus().is_ok())
    }

    /// Opens the `<dialog>` behind `r` modally (the page behind becomes inert and focus stays
    /// inside) and focuses it. Falls back to a non-modal `show()` where `showModal()` refuses
    /// (e.g. the host is not in the document).
    pub fn open_modal(r: &NodeRef) {
        let Some(d) = r.cast::<HtmlDialogElement>() else {
            return;
        };
        if !d.open() && d.show_modal().is_err() {
            d.show();
        }
        let _ = d.focus();
    }
}
