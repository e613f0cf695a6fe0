//! The console's only contact with the browser: HTTP to its own server (the session cookie
//! goes with every request, same origin), the page's location hash (its pages), form fields,
//! and, for the hotline, the agent's console key (WebCrypto, through `consentry_web`'s
//! platform: the same non-extractable key handling as the widget's device key).

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
    if let Some(t) = node.cast::<web_sys::HtmlTextAreaElement>() {
        return t.value();
    }
    node.cast::<web_sys::HtmlSelectElement>()
        .map(|s| s.value())
        .unwrap_or_default()
}

/// Empties an `<input>` (what was typed is not kept on the page once sent).
pub fn clear(node: &NodeRef) {
    if let Some(i) = node.cast::<web_sys::HtmlInputElement>() {
        i.set_value("");
    }
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

/// `GET url` as bytes (a notice file, whose digest is checked).
pub async fn get_bytes(url: &str) -> Result<(u16, Vec<u8>), String> {
    let r = gloo_net::http::Request::get(url)
        .send()
        .await
        .map_err(failed)?;
    let status = r.status();
    Ok((status, r.binary().await.map_err(failed)?))
}

/// The agent's console key on this workstation: made on first use, kept non-extractable in
/// IndexedDB.
pub async fn agent_key() -> Result<consentry_web::platform::crypto::DeviceKey, String> {
    consentry_web::platform::crypto::agent_key()
        .await
        .map_err(|e| e.to_string())
}

/// The JWS envelope of `payload`, signed with `key`.
pub async fn sign(
    key: &consentry_web::platform::crypto::DeviceKey,
    payload: &[u8],
) -> Result<String, String> {
    consentry_web::decisions::sign(key, payload)
        .await
        .map_err(|e| e.to_string())
}

/// The JWS envelope of `payload`, a document of type `typ` (a data-subject request), signed
/// with `key`.
pub async fn sign_typed(
    key: &consentry_web::platform::crypto::DeviceKey,
    payload: &[u8],
    typ: &str,
) -> Result<String, String> {
    consentry_web::decisions::sign_typed(key, payload, typ)
        .await
        .map_err(|e| e.to_string())
}

/// A fresh receipt id.
pub fn new_receipt_id() -> Result<consentry_core::ids::ReceiptId, String> {
    consentry_web::platform::crypto::new_receipt_id().map_err(|e| e.to_string())
}

/// An ISO 8601 duration in words of `locale` (the browser's `Intl`).
pub fn duration_text(locale: &str, iso: &str) -> String {
    consentry_web::platform::env::duration_text(locale, iso)
}
