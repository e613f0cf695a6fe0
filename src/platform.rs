//! The browser platform: `crates/consentry-web`'s (the only web-sys / js-sys code, shared with
//! the first module), plus the two focus helpers that work on Yew node refs.

pub use consentry_web::platform::*;

/// The host element, its shadow root, URLs and focus; with Yew node refs.
pub mod dom {
    pub use consentry_web::platform::dom::*;

    use wasm_bindgen::JsCast;
    use web_sys::{HtmlDialogElement, HtmlElement};
    use yew::NodeRef;

    /// The test id of the control that has focus in the first module's markup (`[data-first]`)
    /// in `host`'s shadow root, if any.
    pub fn first_focus(host: &HtmlElement) -> Option<String> {
        host.shadow_root()?
            .active_element()
            .filter(|a| a.closest("[data-first]").ok().flatten().is_some())
            .and_then(|a| a.get_attribute("data-testid"))
    }

    /// Closes the first module's settings dialog, if open, without removing it: a modal
    /// makes everything else inert, so this widget could not focus its own controls.
    pub fn close_first_dialog(host: &HtmlElement) {
        if let Some(d) = host
            .shadow_root()
            .and_then(|r| r.query_selector("[data-first] dialog").ok().flatten())
            .and_then(|d| d.dyn_into::<HtmlDialogElement>().ok())
        {
            d.close();
        }
    }

    /// Taking over from the first module (see `docs/adr/0008-first-layer-without-yew.md`):
    /// removes its markup (`[data-first]`) from `host`'s shadow root, and focuses this widget's
    /// control with the test id `focus` (else of the first module's control that had focus).
    pub fn take_over(host: &HtmlElement, focus: Option<String>) {
        let Some(root) = host.shadow_root() else {
            return;
        };
        let focused = focus.or_else(|| first_focus(host));
        while let Some(old) = root.query_selector("[data-first]").ok().flatten() {
            old.remove();
        }
        if let Some(id) = focused {
            focus_testid(host, &id);
        }
    }

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
