//! Loading a page's data: the state of one request to the server, a hook that makes it, and
//! what to show until it is done. A 401 signs the console out.

use consentry_core::json::Value;
use yew::prelude::*;

use crate::api::{self, Failure};

/// The properties of a page that only loads data.
#[derive(Properties, PartialEq)]
pub(crate) struct DataProps {
    /// Called when the session has ended.
    pub(crate) on_signed_out: Callback<()>,
}

/// What a page's request gave.
#[derive(Clone, PartialEq)]
pub(crate) enum Load {
    /// Waiting for the server.
    Loading,
    /// The answer.
    Done(Value),
    /// What went wrong.
    Failed(Failure),
}

/// Loads `url` whenever it changes; a 401 signs the console out.
#[hook]
pub(crate) fn use_load(url: String, on_signed_out: Callback<()>) -> UseStateHandle<Load> {
    let state = use_state(|| Load::Loading);
    {
        let state = state.clone();
        use_effect_with(url, move |url| {
            let url = url.clone();
            state.set(Load::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                match api::get(&url).await {
                    Ok(v) => state.set(Load::Done(v)),
                    Err(Failure::SignedOut) => on_signed_out.emit(()),
                    Err(f) => state.set(Load::Failed(f)),
                }
            });
        });
    }
    state
}

/// What to show while a page loads or when it failed; `None` once it is done.
pub(crate) fn loading_or_failed(l: &Load) -> Option<Html> {
    match l {
        Load::Loading => Some(html! { <p role="status">{ "Loading…" }</p> }),
        Load::Failed(f) => Some(html! { <p class="error" role="alert">{ f.message() }</p> }),
        Load::Done(_) => None,
    }
}
