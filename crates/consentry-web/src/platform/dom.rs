//! The host element, its open shadow root, URLs and focus.

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, ShadowRootInit, ShadowRootMode};

use super::events::{Detail, dispatch};
use super::js_error_text;
use crate::error::MountError;

/// The element the widget is mounted on, plus a liveness flag that `unmount` clears so that
/// late async work (a slow fetch) never touches a host that has moved on.
#[derive(Clone)]
pub struct Host {
    el: HtmlElement,
    alive: Rc<Cell<bool>>,
}

impl PartialEq for Host {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.alive, &other.alive)
    }
}

impl core::fmt::Debug for Host {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Host")
    }
}

impl Host {
    /// A live host.
    pub fn new(el: HtmlElement) -> Self {
        Self {
            el,
            alive: Rc::new(Cell::new(true)),
        }
    }
    /// The element.
    pub fn element(&self) -> &HtmlElement {
        &self.el
    }
    /// Whether this mount is still in place.
    pub fn is_alive(&self) -> bool {
        self.alive.get()
    }
    /// Marks the mount as gone (`unmount` or a replacing mount).
    pub fn retire(&self) {
        self.alive.set(false);
    }
    /// Sets `data-consentry-state` (`loading`, `ready`, `error`) while the mount is live.
    pub fn set_state(&self, state: &str) {
        if self.is_alive() {
            let _ = self.el.set_attribute("data-consentry-state", state);
        }
    }
    /// Removes `data-consentry-state` (on unmount).
    pub fn clear_state(&self) {
        let _ = self.el.remove_attribute("data-consentry-state");
    }
    /// Dispatches a bubbling, composed `CustomEvent` on the host while the mount is live.
    pub fn dispatch(&self, name: &str, detail: Detail) {
        if self.is_alive() {
            dispatch(&self.el, name, detail);
        }
    }
    /// Dispatches even after unmount: for outcomes of work the visitor already started (a
    /// receipt being delivered), which the page should still hear about.
    pub fn dispatch_always(&self, name: &str, detail: Detail) {
        dispatch(&self.el, name, detail);
    }
}

/// The stylesheet link `mount` added to a shadow root.
pub struct MountedDom {
    link: Option<Element>,
}

impl MountedDom {
    /// Removes the stylesheet link from the shadow root.
    pub fn remove(&self) {
        if let Some(l) = &self.link {
            l.remove();
        }
    }
}

/// A new `<div class="cy-mount">` for Yew to render into.
pub fn new_container() -> Result<Element, MountError> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(MountError::NoDocument)?;
    let err = |e: wasm_bindgen::JsValue| MountError::ShadowRoot(js_error_text(&e));
    let container = doc.create_element("div").map_err(err)?;
    container.set_attribute("class", "cy-mount").map_err(err)?;
    Ok(container)
}

/// Attaches an open shadow root to `host` (or reuses the open one it has), adds the
/// stylesheet link, and moves `container` (the widget's root element) into it.
pub fn prepare(
    host: &HtmlElement,
    stylesheet: Option<&str>,
    container: &Element,
) -> Result<MountedDom, MountError> {
    prepare_with(host, stylesheet, container, |_, _| None)
}

/// [`prepare`], reusing the stylesheet link `existing(shadow root, href)` finds instead of
/// adding one (the full widget adopts the first module's link when it takes over, so the
/// stylesheet stays applied throughout); the link is then this mount's and leaves with it.
pub fn prepare_with(
    host: &HtmlElement,
    stylesheet: Option<&str>,
    container: &Element,
    existing: impl Fn(&web_sys::ShadowRoot, &str) -> Option<Element>,
) -> Result<MountedDom, MountError> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(MountError::NoDocument)?;
    let root = match host.shadow_root() {
        Some(r) => r,
        None => host
            .attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open))
            .map_err(|e| MountError::ShadowRoot(js_error_text(&e)))?,
    };
    let err = |e: wasm_bindgen::JsValue| MountError::ShadowRoot(js_error_text(&e));
    let link = match stylesheet {
        Some(href) if existing(&root, href).is_some() => existing(&root, href),
        Some(href) => {
            let link = doc.create_element("link").map_err(err)?;
            link.set_attribute("rel", "stylesheet").map_err(err)?;
            link.set_attribute("href", href).map_err(err)?;
            root.append_child(&link).map_err(err)?;
            Some(link)
        }
        None => None,
    };
    // Until the stylesheet has loaded, the widget stays hidden (no flash of unstyled text):
    // `hidden` hides it by the browser's own rule, and consentry.css, once loaded, shows
    // `.cy-mount` again. No script and no inline style involved.
    if link.is_some() {
        container.set_attribute("hidden", "").map_err(err)?;
    } else {
        container.remove_attribute("hidden").map_err(err)?;
    }
    root.append_child(container).map_err(err)?;
    Ok(MountedDom { link })
}

/// `document.baseURI`.
pub fn base_uri() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    doc.base_uri().ok().flatten()
}

/// Resolves `url` against `base` with the URL API: `(href, protocol)`, or `None` when it does
/// not parse.
pub fn resolve_url(url: &str, base: &str) -> Option<(String, String)> {
    let u = web_sys::Url::new_with_base(url, base).ok()?;
    Some((u.href(), u.protocol()))
}

/// The test id of the control that has focus in `host`'s shadow root, if any.
pub fn focused_testid(host: &HtmlElement) -> Option<String> {
    host.shadow_root()?
        .active_element()?
        .get_attribute("data-testid")
}

/// Focuses the control with `data-testid="id"` in `host`'s shadow root; whether there was one.
pub fn focus_testid(host: &HtmlElement, id: &str) -> bool {
    let mut sel = String::from("[data-testid=\"");
    sel.push_str(id);
    sel.push_str("\"]");
    host.shadow_root()
        .and_then(|r| r.query_selector(&sel).ok().flatten())
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .is_some_and(|e| e.focus().is_ok())
}

/// The element that had focus, looking through open shadow roots; restored when the settings
/// view closes.
#[derive(Default)]
pub struct FocusMemo(Option<HtmlElement>);

impl FocusMemo {
    /// Remembers the currently focused element.
    pub fn capture() -> Self {
        let mut el: Option<Element> = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        while let Some(inner) = el
            .as_ref()
            .and_then(|e| e.shadow_root())
            .and_then(|r| r.active_element())
        {
            el = Some(inner);
        }
        Self(el.and_then(|e| e.dyn_into::<HtmlElement>().ok()))
    }

    /// Focuses the remembered element if it is still in the document.
    pub fn restore(&self) -> bool {
        match &self.0 {
            Some(el) if el.is_connected() => el.focus().is_ok(),
            _ => false,
        }
    }
}

/// The `value` of an event's target (a `<select>` or an `<input>`); empty if it has none.
pub fn target_value(e: &web_sys::Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &wasm_bindgen::JsValue::from_str("value")).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether an event's target (a checkbox) is checked.
pub fn target_checked(e: &web_sys::Event) -> bool {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &wasm_bindgen::JsValue::from_str("checked")).ok())
        .is_some_and(|v| v.as_bool() == Some(true))
}

/// Offers `text` as a file download named `name` (a `Blob` URL on a temporary `<a download>`
/// inside `host`'s shadow root; nothing is navigated, nothing is inline).
pub fn download(host: &HtmlElement, name: &str, text: &str) -> Result<(), String> {
    let err = |e: wasm_bindgen::JsValue| js_error_text(&e);
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(err)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(err)?;
    let a: HtmlElement = doc.create_element("a").map_err(err)?.unchecked_into();
    let _ = a.set_attribute("href", &url);
    let _ = a.set_attribute("download", name);
    let _ = a.set_attribute("hidden", "");
    let root = host.shadow_root().ok_or("no shadow root")?;
    root.append_child(&a).map_err(err)?;
    a.click();
    a.remove();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}
