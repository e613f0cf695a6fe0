//! # consentry-web — the widget's browser half without a UI framework
//!
//! The Consentry widget ships as three WebAssembly modules (see
//! `docs/adr/0008-first-layer-without-yew.md`):
//!
//! - the **first module** (`crates/consentry-first`): the banner, the persistent
//!   "privacy settings" button and the settings (switches at once, each purpose's details
//!   from the details file, [`boot::details`]) rendered with web-sys directly, and the
//!   decisions made there (stored and announced at once, each receipt handed off through
//!   storage, [`handoff`]), and the consent steps once their details are there; it is everything
//!   a page fetches before the banner is interactive;
//! - the **receipts module** (`crates/consentry-receipts`): the receipt queue below (build,
//!   sign, outbox, delivery), fetched once the banner is up;
//! - the **full widget** (the root package `consentry`, Yew): the full notice (and the settings
//!   and steps again once it has taken over), loaded when the visitor opens it, taking over the
//!   same shadow root and the same stored state, where the visitor is ([`takeover`]).
//!
//! Both UI modules run one decision path, [`state::ConsentState::apply`]: (state, action) →
//! (state, effect), pure, tested natively.
//!
//! Everything they need, and that must exist once, is here: the browser platform (the only
//! web-sys / js-sys code), booting (manifest, negotiation, fetching and verifying the notice),
//! the mount options, what follows a decision (storage, events, the receipt queue: build, sign,
//! outbox, delivery with retries) and the typed errors. No UI framework, no
//! `#[wasm_bindgen]` exports (each module has its own).
//!
//! ## Layout
//! - [`platform`]: the host element and its shadow root, storage, fetch, WebCrypto +
//!   IndexedDB, navigator, events, timers, reading the `mount` options, and the one mount
//!   registry both UI modules keep ([`platform::mounts`]).
//! - [`boot`]: load the notice (manifest → negotiate → first layer, and for the full widget its
//!   details file, each verified against its SHA-256 before it is parsed).
//! - [`decisions`]: what follows a decision, and the page's one receipt queue.
//! - [`requests`]: a data-subject request from the settings' form: the draft the form hands
//!   the signer, signing and sending it with the device key, and its outcome (ADR 0019).
//! - [`state`], [`config`], [`loader`], [`outbox`], [`error`], [`text`], [`takeover`]: pure
//!   rules, tested natively.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod boot;
pub mod config;
pub mod decisions;
pub mod error;
pub mod handoff;
pub mod loader;
pub mod outbox;
pub mod platform;
pub mod requests;
pub mod state;
pub mod takeover;
pub mod text;
