//! The only module that talks to the browser (web-sys / js-sys): the host element and its
//! shadow root, storage, fetch, WebCrypto + IndexedDB, navigator, events, timers, and reading
//! the `mount` options. Everything above it works with Rust types.

pub mod crypto;
pub mod dom;
pub mod env;
pub mod events;
pub mod idb;
pub mod mounts;
pub mod net;
pub mod options;
pub mod storage;
pub mod timer;

use wasm_bindgen::{JsCast, JsValue};

/// A readable one-line text for a thrown JavaScript value (`Name: message` for errors and
/// DOMExceptions, the string itself for strings).
pub fn js_error_text(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name: String = err.name().into();
        let msg: String = err.message().into();
        let mut s = name;
        if !msg.is_empty() {
            s.push_str(": ");
            s.push_str(&msg);
        }
        s
    } else if let Some(s) = e.as_string() {
        s
    } else {
        String::from("unknown JavaScript error")
    }
}

pub use dom::Host;
