//! Boot: fetch the manifest, negotiate, fetch and verify a locale file, resolve the region.

use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::region::UserRegion;
use yew::{UseStateHandle, hook, use_effect_with, use_state};

use crate::config::{LANGUAGE_KEY, MountOptions, REGION_KEY, UrlUse, jurisdiction, scheme_allowed};
use crate::context::Loaded;
use crate::error::{FetchError, LoadError, LocaleRejection};
use crate::loader::{locale_plan, requested_languages, verify_locale};
use crate::platform::events::Detail;
use crate::platform::{Host, dom, env, net, storage};

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

/// Fetches one manifest entry's file (path resolved against the manifest URL) and verifies
/// it: digest of the exact bytes first, then parse, then notice, version and locale.
pub async fn fetch_verified(
    manifest: &Manifest,
    entry: &ManifestEntry,
    manifest_url: &str,
) -> Result<(LocaleBundle, Sha256Digest), LocaleRejection> {
    let url = match dom::resolve_url(&entry.path, manifest_url) {
        Some((href, protocol)) if scheme_allowed(&protocol, UrlUse::Fetch) => href,
        _ => {
            return Err(LocaleRejection::Fetch(FetchError::BadUrl(
                entry.path.clone(),
            )));
        }
    };
    let bytes = net::get_bytes(&url).await.map_err(LocaleRejection::Fetch)?;
    verify_locale(manifest, entry, &bytes)
}

/// The visitor's stored region correction, if any.
pub fn stored_user_region() -> Option<UserRegion> {
    storage::get(REGION_KEY)
        .ok()
        .flatten()
        .and_then(|s| UserRegion::parse(&s))
}

/// Loads the notice: the manifest (bytes → `Manifest::from_json`), then, along the core
/// fallback chain from the visitor's pick, the `language` option, `<html lang>` and
/// `navigator.languages`, the first locale file whose exact bytes hash to the manifest's
/// digest and parse (the digest is compared before parsing; a failing locale is skipped,
/// never shown). The jurisdiction comes from the visitor's correction, the options, the time
/// zone and the languages.
pub async fn load(options: &MountOptions) -> Result<Loaded, LoadError> {
    let bytes = net::get_bytes(&options.manifest_url)
        .await
        .map_err(LoadError::ManifestFetch)?;
    let manifest = Manifest::from_json(&bytes).map_err(LoadError::ManifestInvalid)?;
    let navigator = env::navigator_languages();
    let requested = requested_languages(
        storage::get(LANGUAGE_KEY).ok().flatten(),
        options.language.as_ref(),
        env::html_lang(),
        navigator.clone(),
    );
    let mut attempts = Vec::new();
    for entry in locale_plan(&manifest, &requested) {
        match fetch_verified(&manifest, entry, &options.manifest_url).await {
            Ok((bundle, digest)) => {
                // Region → regime by the notice's own map (`[regions]` in notice.toml).
                let jurisdiction = jurisdiction(
                    options,
                    stored_user_region().as_ref(),
                    env::time_zone().as_deref(),
                    &navigator,
                    &bundle.regions,
                );
                return Ok(Loaded {
                    bundle: Rc::new(bundle),
                    digest,
                    jurisdiction,
                    gpc: env::gpc(),
                    manifest: Rc::new(manifest),
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
