//! # consentry-core
//!
//! The pure domain of Consentry: everything that can be decided without a browser, a server or
//! a clock. The widget (wasm), the receipt server and the `consentry` CLI all build on it, and
//! one `verify` serves them all.
//!
//! ```text
//!  locales/notice.toml + <tag>.ftl ──compile──► notice.<tag>.<hash>.json + manifest.json
//!                                                    │ (bytes hashed, digest in manifest)
//!  widget: bundle::LocaleBundle ─► session::ConsentSession ─► receipt::Receipt (canonical bytes)
//!                                                    │ signed by WebCrypto (ES256, JWS JSON)
//!  server / CLI: receipt::verify ◄─────────────── envelope
//! ```
//!
//! Core never reads the clock or a random source: time, ids and keys are passed in.
//!
//! ## Crate features
//! - `compile` (default): read `notice.toml` and Fluent files, lint them, compile bundles
//!   ([`compile`], [`notice::Notice::from_toml`]), and check region codes against ISO 3166
//!   ([`iso3166`]). The diagnostics and the notice model themselves are always available.
//! - `verify` (default): ES256 verification of receipts (pulls in `p256`):
//!   `receipt::verify::verify`.
//! - `testing`: a deterministic test signer and a sample notice (`testing`), for other crates'
//!   tests only.
//!
//! The widget uses neither; it needs only the JSON reader, the session and the receipt builder.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;

pub mod bundle;
#[cfg(feature = "compile")]
pub mod compile;
pub mod diagnostics;
pub mod encoding;
pub mod evidence;
pub mod ids;
#[cfg(feature = "compile")]
pub mod iso3166;
pub mod json;
pub mod law;
pub mod messages;
pub mod negotiate;
pub mod notice;
pub mod receipt;
pub mod regime;
pub mod region;
pub mod session;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod time;
