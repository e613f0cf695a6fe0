//! The Consentry console (issue 15, ADR 0015/0016): a Yew app the receipt server serves under
//! `/console/` with a strict CSP. Compliance staff sign in with the accounts the server's
//! `account add` made; auditors and the DPO see consent rates as charts, every receipt with
//! the exact text the person saw, its subject chain and its place in the witnessed log, the
//! log's health and the audit trail, and take evidence packs.
//!
//! Nothing is decided here: every rule, count and chart comes from the server, which draws
//! the charts with core's `evidence::daily_chart` (the same drawing as the evidence pack) and
//! checks each role on every request. The console only shows what it is given.

mod api;
mod app;
mod hotline;
mod load;
mod notices;
mod platform;
mod requests;

pub use app::{App, Page};

/// Starts the console in `#console`.
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    if let Some(root) = platform::root() {
        yew::Renderer::<App>::with_root(root).render();
    }
}
