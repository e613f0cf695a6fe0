//! Boot: fetch the manifest, negotiate, fetch and verify a locale (its first layer and its
//! details file), resolve the region (`consentry_web::boot`), as a Yew hook.

use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use yew::{UseStateHandle, hook, use_effect_with, use_state};

use crate::context::Loaded;
use crate::platform::Host;
use crate::platform::events::Detail;
use consentry_web::config::MountOptions;
use consentry_web::error::{LoadError, LocaleRejection};

pub use consentry_web::boot::stored_user_region;

/// Where booting stands.
#[derive(Clone, Debug, PartialEq)]
pub enum BootState {
    /// Fetching and verifying (the host says `data-consentry-state="loading"`).
    Loading,
    /// A verified locale is loaded.
    Ready(Rc<Loaded>),
    /// Nothing could be verified; no notice text is shown (the host says `error`).
    Failed,
}

/// Fetches and verifies one manifest entry's first layer and details file: returns the
/// complete bundle, the first layer's digest and its bytes (see `consentry_web::boot::Complete`).
pub async fn fetch_verified(
    manifest: &Manifest,
    entry: &ManifestEntry,
    manifest_url: &str,
) -> Result<(LocaleBundle, Sha256Digest, Rc<[u8]>), LocaleRejection> {
    use consentry_web::boot::{Complete, Depth};
    Complete::fetch(manifest, entry, manifest_url).await
}

/// Loads the notice with every locale's complete bundle (see `consentry_web::boot::load`).
pub async fn load(options: &MountOptions) -> Result<Loaded, LoadError> {
    consentry_web::boot::load::<consentry_web::boot::Complete>(options).await
}

/// Starts [`load`] once and reports its outcome: on failure `data-consentry-state="error"`
/// and a `consentry:error` event (`{code, message}`); success is announced by the widget once
/// it has rendered.
#[hook]
pub fn use_boot(host: Host, options: Rc<MountOptions>) -> UseStateHandle<BootState> {
    let state = use_state(|| BootState::Loading);
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = load(&options).await;
                if !host.is_alive() {
                    return;
                }
                match result {
                    Ok(loaded) => state.set(BootState::Ready(Rc::new(loaded))),
                    Err(e) => {
                        host.set_state("error");
                        host.dispatch(
                            "consentry:error",
                            Detail::new()
                                .str("code", e.code())
                                .str("message", &e.to_string()),
                        );
                        state.set(BootState::Failed);
                    }
                }
            });
        });
    }
    state
}
