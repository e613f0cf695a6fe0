//! Step 2 of a decision, in the receipts module.
//!
//! This module keeps a decision at once (stored, `consentry:change`); building, signing,
//! keeping and delivering its receipt is the receipts module's work (the same
//! `consentry_web::decisions` queue, compiled there), which the loader fetches once the banner
//! is up, so none of it weighs on the banner. The job goes through storage
//! (`consentry_web::handoff`): nothing is lost while that module cannot be fetched (offline) or
//! when the page closes first; the next page's receipts module, or the full widget, takes it.
//! The loader passes `mount` an object with two functions that reach the receipts module in
//! call order, loading it first if need be: `send(host, endpoint)` (take the jobs handed off,
//! then deliver the outbox) and `handOver(then)`; and a third, `request(host, endpoint, draft)`,
//! which has the receipts module (or, in frame mode, the signing frame) sign and send a
//! data-subject request from the settings' form ([`request`], ADR 0019). Why:
//! `docs/adr/0008-first-layer-without-yew.md`.

use std::cell::RefCell;

use consentry_web::decisions::report;
use consentry_web::error::RuntimeError;
use consentry_web::handoff::IssueJob;
use consentry_web::handoff::{self, HANDOFF_KEY, SIGNER_WAITING_KEY};
use consentry_web::outbox::OUTBOX_KEY;
use consentry_web::platform::{Host, js_error_text, storage};
use consentry_web::requests::{self, Outcome};
use js_sys::{Function, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The loader's receipts object (one per page: every mount passes the same).
    static HOOKS: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// Keeps the loader's receipts object, when `mount` was given one.
pub fn set(hooks: JsValue) {
    if hooks.is_object() {
        HOOKS.with(|h| *h.borrow_mut() = hooks);
    }
}

fn hook(name: &str) -> Option<Function> {
    HOOKS.with(|h| {
        Reflect::get(&h.borrow(), &JsValue::from_str(name))
            .ok()?
            .dyn_into()
            .ok()
    })
}

/// Hands `job` off (stored with the exact first-layer bytes the notice came from), then asks
/// the receipts module to take it (and to deliver the outbox, also when storing failed, which
/// is reported). Without a receipts module (the first module mounted on its own) the job waits
/// in storage for a page that has one.
pub fn issue(job: &IssueJob, first_layer: &[u8]) {
    if let Err(e) = handoff::push(job, first_layer) {
        report(&job.host, &e);
    }
    send(&job.host, &job.endpoint);
}

/// Whether receipts wait: jobs handed off, or anything in the outbox (queued or rejected
/// receipts, or text the receipts module will have to move aside), read without parsing: an
/// absent or empty outbox is `[]`; in frame mode, the signing frame's outbox as it last
/// reported it.
pub fn waiting() -> bool {
    let has = |key: &str| {
        storage::get(key)
            .ok()
            .flatten()
            .is_some_and(|t| t.trim() != "[]")
    };
    has(HANDOFF_KEY) || has(OUTBOX_KEY) || has(SIGNER_WAITING_KEY)
}

/// Has the receipts module (which this loads) take the jobs handed off and deliver the outbox,
/// with `host` hearing about it.
pub fn send(host: &Host, endpoint: &str) {
    if let Some(f) = hook("send")
        && let Err(e) = f.call2(
            &JsValue::UNDEFINED,
            host.element(),
            &JsValue::from_str(endpoint),
        )
    {
        report(host, &RuntimeError::Receipts(js_error_text(&e)));
    }
}

/// Runs `then` once no receipt work of the receipts module runs any more and it has stopped
/// (the full widget takes the queue over from there); at once when there is none.
pub fn hand_over(then: impl FnOnce() + 'static) {
    match hook("handOver") {
        Some(f) => {
            let _ = f.call1(&JsValue::UNDEFINED, &Closure::once_into_js(then));
        }
        None => then(),
    }
}

/// Has the receipts module (same-origin mode) or the signing frame (frame mode) sign the
/// data-subject request `draft` (`consentry_web::requests::Draft`'s JSON) with the device key
/// and send it, through the loader's `request` hook (`consentry_web::requests::ask_with`, the
/// full widget's way too); resolves to what became of it.
pub async fn request(host: &Host, endpoint: &str, draft: &str) -> Outcome {
    requests::ask_with(hook("request"), host, endpoint, draft).await
}
