//! `fetch`: GET bytes, POST JSON.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestInit, Response};

use super::js_error_text;
use crate::error::FetchError;

async fn send(url: &str, init: &RequestInit) -> Result<Response, FetchError> {
    let w = web_sys::window().ok_or_else(|| FetchError::Network("no window".into()))?;
    let v = JsFuture::from(w.fetch_with_str_and_init(url, init))
        .await
        .map_err(|e| FetchError::Network(js_error_text(&e)))?;
    v.dyn_into::<Response>()
        .map_err(|_| FetchError::Network("fetch did not return a Response".into()))
}

async fn body(resp: &Response) -> Result<Vec<u8>, FetchError> {
    let p = resp
        .array_buffer()
        .map_err(|e| FetchError::Body(js_error_text(&e)))?;
    let buf = JsFuture::from(p)
        .await
        .map_err(|e| FetchError::Body(js_error_text(&e)))?;
    Ok(Uint8Array::new(&buf).to_vec())
}

/// GETs `url` and returns the exact body bytes of a 2xx answer.
pub async fn get_bytes(url: &str) -> Result<Vec<u8>, FetchError> {
    let init = RequestInit::new();
    init.set_method("GET");
    let resp = send(url, &init).await?;
    if !resp.ok() {
        return Err(FetchError::Status(resp.status()));
    }
    body(&resp).await
}

/// POSTs `json` with `Content-Type: application/json`; returns the status and body of any
/// HTTP answer (classifying it is the caller's business).
pub async fn post_json(url: &str, json: &str) -> Result<(u16, Vec<u8>), FetchError> {
    let headers = web_sys::Headers::new().map_err(|e| FetchError::Network(js_error_text(&e)))?;
    headers
        .set("Content-Type", "application/json")
        .map_err(|e| FetchError::Network(js_error_text(&e)))?;
    let init = RequestInit::new();
    init.set_method("POST");
    init.set_headers(&headers);
    init.set_body(&wasm_bindgen::JsValue::from_str(json));
    let resp = send(url, &init).await?;
    let status = resp.status();
    // A body that cannot be read still leaves the status to classify by.
    let bytes = body(&resp).await.unwrap_or_default();
    Ok((status, bytes))
}
