//! # consentry-receipts — the widget's receipts module
//!
//! Step 2 of every decision the first module (`consentry-first`) keeps and hands off through
//! storage (`consentry_web::handoff`): the receipt built by core, signed with the device's
//! non-extractable key, chained, written to the outbox and delivered, with retries and
//! `consentry:receipt` events; and the outbox resend of each mount.
//! It is the same queue the full widget runs (`consentry_web::decisions`), compiled into its own
//! module so that none of it is fetched or compiled before the banner is interactive: the loader
//! (`assets/consentry-widget.js`) fetches it once the banner is up and calls it in the order the
//! first module asked. Why and at what cost: `docs/adr/0008-first-layer-without-yew.md`.
//!
//! ```js
//! import init, { resend, hand_over } from './consentry-receipts.js';
//! await init();
//! resend(hostElement, endpoint); // the jobs handed off, then the outbox
//! hand_over(() => { /* the queue has stopped; the full widget may start its own */ });
//! const outcome = await request(endpoint, draft); // a data-subject request (below)
//! ```
//!
//! It also signs the visitor's data-subject requests (`request`, ADR 0019): in same-origin
//! mode for the first module's form, in frame mode for the signing frame's `request` message.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

use std::rc::Rc;

use consentry_web::platform::Host;
use consentry_web::{decisions, requests};
use js_sys::Function;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

/// Takes the receipts the first module handed off (`consentry_web::handoff`: each queued once,
/// in order) and delivers the outbox, for a mount on `host` (its events go there from now on;
/// entries that name no endpoint go to `endpoint`). Called after every decision and once per
/// mount.
#[wasm_bindgen]
pub fn resend(host: HtmlElement, endpoint: String) {
    decisions::resend_outbox(Host::new(host), Rc::from(endpoint));
}

/// Stops this module's queue for the full widget (`consentry_web::decisions::hand_over`):
/// receipts being issued are finished, then `then` is called, once.
#[wasm_bindgen]
pub fn hand_over(then: Function) {
    decisions::hand_over(move || {
        let _ = then.call0(&JsValue::UNDEFINED);
    });
}

/// Signs and sends the data-subject request `draft` (the form's JSON,
/// `consentry_web::requests::Draft`, read strictly: nothing else is signed through this call)
/// with this origin's device key, naming the latest receipt the server logged for it, to
/// `requests` beside `endpoint`. Resolves to the outcome's JSON
/// (`consentry_web::requests::Outcome`); never rejects.
#[wasm_bindgen]
pub async fn request(endpoint: String, draft: String) -> String {
    requests::sign_and_send(&draft, &endpoint).await.to_json()
}

/// The wasm32 global allocator: talc instead of the default dlmalloc (smaller).
/// Single-threaded wasm only (no `atomics`).
#[cfg(all(
    feature = "talc",
    target_arch = "wasm32",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
