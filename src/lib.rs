//! # consentry — the consent and privacy-notice widget
//!
//! A Yew 0.23 component compiled to WebAssembly that a support site embeds with one call:
//!
//! ```js
//! import { Consentry } from '/widget/consentry-widget.js';
//! const handle = Consentry.mount(document.getElementById('consentry'), {
//!   manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts', region: 'DE' });
//! ```
//!
//! ```text
//!  mount(el, options) ──► shadow root ─► App ─ use_boot: manifest ─► negotiate ─► locale bytes
//!                                          │        SHA-256 == manifest? ─► LocaleBundle
//!                                          ▼
//!                  region::resolve (core) ─► Widget: reducer over core ConsentSession
//!                        (gated by the regime) ─► Banner / Dialog (settings, notice, separate)
//!                                          │ decision
//!            localStorage + consentry:change (at once) ─► receipt (core) ─► WebCrypto sign
//!                                                       ─► outbox ─► POST ─► consentry:receipt
//! ```
//!
//! ## Layout
//! - [`js_api`]: the only `#[wasm_bindgen]` exports (`mount`, `MountHandle`).
//! - [`app`]: the root component and the loaded widget.
//! - [`state`]: the one reducer, a [`yew::Reducible`] over the core session.
//! - [`context`], [`hooks`]: shared data and side effects (boot, decisions, focus).
//! - [`components`]: presentational, controlled components; no browser APIs.
//! - [`platform`]: `consentry_web::platform` (the only web-sys / js-sys code) plus two focus
//!   helpers on Yew node refs.
//! - From `crates/consentry-web`, shared with the first module and used by their own paths:
//!   [`consentry_web::config`], [`consentry_web::loader`], [`consentry_web::outbox`],
//!   [`consentry_web::error`] (pure rules, tested natively), [`consentry_web::boot`] and
//!   [`consentry_web::decisions`] (what follows a decision: storage, events, receipt pipeline).
//!
//! Styling lives in `assets/consentry.css` (BEM classes prefixed `cy-`, no inline styles, so
//! the widget runs under `style-src 'self'`); `assets/consentry-widget.js` is the ES module
//! sites import (the `Consentry` API, `<consentry-notice>`, script blocking, Google Consent
//! Mode); `docs/embedding.md` documents all of it for web developers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod app;
pub mod components;
pub mod context;
pub mod hooks;
pub mod js_api;
pub mod platform;
pub mod state;

/// The wasm32 global allocator: talc instead of the default dlmalloc (smaller; see
/// `BENCHMARKS.md`). Single-threaded wasm only (no `atomics`).
#[cfg(all(
    feature = "talc",
    target_arch = "wasm32",
    not(target_feature = "atomics")
))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
