//! Boot: fetch the manifest, negotiate, fetch and verify a locale file.

use std::rc::Rc;

use consentry_core::bundle::Manifest;
use yew::{UseStateHandle, hook, use_effect_with, use_state};

use crate::config::{MountOptions, UrlUse, jurisdiction, scheme_allowed};
use crate::context::Loaded;
use crate::error::{FetchError, LoadError, LocaleRejection};
use crate::loader::{locale_plan, requested_languages, verify_locale};
use crate::platform::events::Detail;
use crate::platform::{Host, dom, env, net};

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

/// Loads the notice: the manifest (bytes → `Manifest::from_json`), then, along the core
/// fallback chain from the `language` option, `<html lang>` and `navigator.languages`, the
/// first locale file whose exact bytes hash to the manifest's digest and parse (the digest is
/// compared before parsing; a failing locale is skipped, never shown).
pub async fn load(options: &MountOptions) -> Result<Loaded, LoadError> {
    let bytes = net::get_bytes(&options.manifest_url)
        .await
        .map_err(LoadError::ManifestFetch)?;
    let manifest = Manifest::from_json(&bytes).map_err(LoadError::ManifestInvalid)?;
    let requested = requested_languages(
        options.language.as_ref(),
        env::html_lang(),
        env::navigator_languages(),
    );
    let mut attempts = Vec::new();
    for entry in locale_plan(&manifest, &requested) {
        let url = match dom::resolve_url(&entry.path, &options.manifest_url) {
            Some((href, protocol)) if scheme_allowed(&protocol, UrlUse::Fetch) => href,
            _ => {
                let why = LocaleRejection::Fetch(FetchError::BadUrl(entry.path.clone()));
                attempts.push((entry.locale.clone(), why));
                continue;
            }
        };
        let bytes = match net::get_bytes(&url).await {
            Ok(b) => b,
            Err(e) => {
                attempts.push((entry.locale.clone(), LocaleRejection::Fetch(e)));
                continue;
            }
        };
        match verify_locale(&manifest, entry, &bytes) {
            Ok((bundle, digest)) => {
                return Ok(Loaded {
                    bundle: Rc::new(bundle),
                    digest,
                    jurisdiction: jurisdiction(options.region.as_ref()),
                    gpc: env::gpc(),
                    manifest,
                });
            }
            Err(why) => attempts.push((entry.locale.clone(), why)),
        }
    }
    Err(LoadError::NoVerifiedLocale(attempts))
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
