//! # consentry-first — the widget's first wasm module
//!
//! Everything a page fetches before the consent banner is interactive, and the settings: the
//! banner (title, summary with links, three equal buttons, the way to the full notice, the
//! language switcher, the GPC note and the guardian box where the rules call for them), the
//! persistent "privacy settings" button and the settings dialog (each purpose's name and switch
//! at once from the first layer, its description and facts once the details file has been
//! fetched and verified, save / accept all / reject all, the region corrector and "download my
//! receipt"), and the consent steps (PIPL's separate consent after "accept all", numbered, and
//! the confirmation that lifts a GPC opt-out, each drawn once its details are there), rendered
//! with the DOM directly (no UI framework). What each click does is the one decision path,
//! `consentry_web::state::ConsentState::apply`, which the full widget runs too; each decision
//! is stored and announced at once, its receipt handed off to the receipts module (`crates/
//! consentry-receipts`, fetched once the banner is up; see [`receipts`]).
//!
//! The full notice is the full widget (the root package, Yew), which the loader
//! (`assets/consentry-widget.js`) fetches when the visitor first opens it. This module then hands the page over: the receipts module's queue
//! finishes and stops, and each of its mounts is remounted in the full widget on the same
//! element, with what the visitor was doing (`consentry_web::takeover`); the full widget renders
//! over the same stored state and removes this module's markup. Why and at what cost:
//! `docs/adr/0008-first-layer-without-yew.md`, `docs/adr/0014-what-a-visitor-pays.md`.
//!
//! ```js
//! import init, { mount } from './consentry.js';
//! await init();
//! const handle = mount(element, { manifestUrl, endpoint }, load, take, receipts);
//! // load(): Promise of the full widget's mount; take(handOff, fullMount): mounts it on
//! // `element` with the same options and the hand-over's JSON; receipts: { send, handOver },
//! // the way to the receipts module (`receipts` module docs). The loader passes all three.
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod receipts;
pub mod view;
pub mod widget;

#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests;

use consentry_core::ids::PurposeId;
use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::widget::Slot;

/// A mounted first layer.
#[wasm_bindgen]
pub struct MountHandle {
    slot: Slot,
}

#[wasm_bindgen]
impl MountHandle {
    /// Removes the widget: its markup, stylesheet link and the host's `data-consentry-state`.
    /// Receipts already being sent still complete. Calling it again does nothing.
    pub fn unmount(&self) {
        widget::unmount(&self.slot);
    }

    /// Opens the settings. Before the notice has loaded, as soon as it has; after `unmount` it
    /// does nothing.
    pub fn show(&self) {
        widget::show_settings(&self.slot);
    }

    /// Withdraws consent for `purpose`, or for every optional purpose when it is omitted: a
    /// decision like any other (stored, `consentry:change`, a signed receipt). Throws on a
    /// malformed purpose id; an id the notice does not have is reported as `consentry:error`
    /// (`action_refused`). Before the notice has loaded it applies as soon as it has.
    pub fn withdraw(&self, purpose: Option<String>) -> Result<(), JsError> {
        let id = match purpose {
            Some(p) => Some(PurposeId::parse(&p).map_err(|e| JsError::new(&e.to_string()))?),
            None => None,
        };
        widget::withdraw(&self.slot, id);
        Ok(())
    }

    /// Whether this handle's widget is still mounted here.
    #[wasm_bindgen(getter)]
    pub fn mounted(&self) -> bool {
        self.slot.borrow().is_some()
    }
}

/// Mounts the first layer into an open shadow root of `element`. Throws an `Error` with a
/// clear message for a non-element, bad options (as the full widget's `mount`). `load` and
/// `take` connect it to the full widget (see the crate docs); without them, opening the
/// settings reports `widget_unavailable`. `receipts` connects it to the receipts module
/// (`receipts` module docs); without it, a decision is kept and its receipt waits in storage
/// for a page that has one.
#[wasm_bindgen]
pub fn mount(
    #[wasm_bindgen(unchecked_param_type = "HTMLElement")] element: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConsentryOptions")] options: JsValue,
    load: JsValue,
    take: JsValue,
    receipts: JsValue,
) -> Result<MountHandle, JsError> {
    let el: HtmlElement = element
        .dyn_into()
        .map_err(|_| JsError::new(&consentry_web::error::MountError::NotAnElement.to_string()))?;
    receipts::set(receipts);
    widget::mount(el, &options, load, take)
        .map(|slot| MountHandle { slot })
        .map_err(|e| JsError::new(&e.to_string()))
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
