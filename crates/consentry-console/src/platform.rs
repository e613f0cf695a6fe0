//! The console's only contact with the browser: HTTP to its own server (the session cookie
//! goes with every request, same origin), the page's location hash (its pages), and form
//! fields.

use wasm_bindgen::JsCast as _;
use yew::NodeRef;

/// An answer: status and body text.
pub struct Answer {
    /// HTTP status.
    pub status: u16,
    /// Body.
    pub text: String,
}

fn failed(e: impl core::fmt::Display) -> String {
    format!("the server could not be reached: {e}")
}

/// `GET url`.
pub async fn get(url: &str) -> Result<Answer, String> {
    let r = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(failed)?;
    let status = r.status();
    Ok(Answer {
        status,
        text: r.text().await.map_err(failed)?,
    })
}

/// `POST url` with a JSON body and the CSRF header.
pub async fn post(url: &str, body: String, csrf: &str) -> Result<Answer, String> {
    let r = gloo_net::http::Request::post(url)
        .header("content-type", "application/json")
        .header("x-consentry-csrf", csrf)
        .body(body)
        .map_err(failed)?
        .send()
        .await
        .map_err(failed)?;
    let status = r.status();
    Ok(Answer {
        status,
        text: r.text().await.map_err(failed)?,
    })
}

/// The value of an `<input>` or `<select>`.
pub fn value(node: &NodeRef) -> String {
    if let Some(i) = node.cast::<web_sys::HtmlInputElement>() {
        return i.value();
    }
    node.cast::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// The page's hash, without `#`.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_owned())
        .unwrap_or_default()
}

/// Calls `f` with the new hash whenever it changes (back, forward, a link); the listener
/// lives as long as the page.
pub fn on_hash_change(f: impl Fn(String) + 'static) {
    let Some(w) = web_sys::window() else { return };
    let cb = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || f(hash()));
    let _ = w.add_event_listener_with_callback("hashchange", cb.as_ref().unchecked_ref());
    cb.forget();
}

/// The element the console renders into.
pub fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id("console")
}

/// Moves keyboard focus to the element with this id (the new page's heading), so a screen
/// reader hears where it is after each change of page.
pub fn focus(id: &str) {
    if let Some(e) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = e.focus();
    }
}

/// Now, in milliseconds since the epoch (the browser's clock: only for the default range of
/// a form).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
