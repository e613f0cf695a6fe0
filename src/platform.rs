//! The browser platform: `crates/consentry-web`'s (the only web-sys / js-sys code, shared with
//! the first module), plus the two focus helpers that work on Yew node refs.

pub use consentry_web::platform::*;

/// The host element, its shadow root, URLs and focus; with Yew node refs.
pub mod dom {
    pub use consentry_web::platform::dom::*;

    use wasm_bindgen::JsCast;
    use web_sys::{HtmlDialogElement, HtmlElement};
    use yew::NodeRef;

    /// Taking over from the first module (see `docs/adr/0008-first-layer-without-yew.md`):
    /// removes its markup (`[data-first]`) from `host`'s shadow root, and if focus was on one of
    /// its controls, focuses this widget's control with the same test id.
    pub fn take_over(host: &HtmlElement) {
        let Some(root) = host.shadow_root() else {
            return;
        };
        let focused = root
            .active_element()
            .filter(|a| a.closest("[data-first]").ok().flatten().is_some())
            .and_then(|a| a.get_attribute("data-testid"));
        while let Some(old) = root.query_selector("[data-first]").ok().flatten() {
            old.remove();
        }
        if let Some(id) = focused {
            let mut sel = String::from("[data-testid=\"");
            sel.push_str(&id);
            sel.push_str("\"]");
            if let Some(el) = root
                .query_selector(&sel)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<HtmlElement>().ok())
            {
                let _ = el.focus();
            }
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
