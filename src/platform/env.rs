//! Facts about the browser: languages, clock, Global Privacy Control.

use consentry_core::time::Timestamp;
use wasm_bindgen::JsValue;

/// `<html lang>`, if set.
pub fn html_lang() -> Option<String> {
    let el = web_sys::window()?.document()?.document_element()?;
    el.get_attribute("lang")
}

/// `navigator.languages` (falls back to `navigator.language`).
pub fn navigator_languages() -> Vec<String> {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return Vec::new();
    };
    let list: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        nav.language().into_iter().collect()
    } else {
        list
    }
}

/// `Date.now()`.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// Whether `navigator.globalPrivacyControl` is `true`.
pub fn gpc() -> bool {
    web_sys::window()
        .and_then(|w| {
            js_sys::Reflect::get(&w.navigator(), &JsValue::from_str("globalPrivacyControl")).ok()
        })
        .is_some_and(|v| v.as_bool() == Some(true))
}
