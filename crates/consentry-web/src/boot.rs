//! Booting: fetch the manifest, negotiate, fetch and verify a locale, resolve the region.
//!
//! The first module needs only a locale's first layer; the full widget also needs its
//! details file. Both go through [`load`] ([`FirstLayerOnly`] / [`Complete`]), so the first
//! module links none of the complete bundle's reader.

use std::rc::Rc;

use consentry_core::bundle::{
    FirstLayer, LocaleBundle, Manifest, ManifestEntry, is_plain_file_name,
};
use consentry_core::encoding::Sha256Digest;
use consentry_core::receipt::Jurisdiction;
use consentry_core::region::UserRegion;

use crate::config::{LANGUAGE_KEY, MountOptions, REGION_KEY, UrlUse, jurisdiction, scheme_allowed};
use crate::error::{FetchError, LoadError, LocaleRejection};
use crate::loader::{locale_plan, requested_languages, verify_details, verify_first};
use crate::platform::{dom, env, net, storage};

/// A notice that loaded and verified.
#[derive(Debug, PartialEq, Eq)]
pub struct Loaded {
    /// The manifest.
    pub manifest: Rc<Manifest>,
    /// The locale shown first: its first layer only (first module) or its complete bundle
    /// (full widget); the bytes of each file it came from matched their digests.
    pub bundle: Rc<LocaleBundle>,
    /// The SHA-256 of the locale's first layer, as the manifest publishes it (goes into every
    /// receipt; it commits to the details file too).
    pub digest: Sha256Digest,
    /// The first layer's exact bytes (handed with each receipt to the receipts module).
    pub first_layer: Rc<[u8]>,
    /// Regime, region and how they were determined.
    pub jurisdiction: Jurisdiction,
    /// Whether the browser sent a Global Privacy Control signal.
    pub gpc: bool,
}

/// `path` resolved against `base`, when it is a URL the widget may fetch.
fn fetchable(path: &str, base: &str) -> Result<String, LocaleRejection> {
    match dom::resolve_url(path, base) {
        Some((href, protocol)) if scheme_allowed(&protocol, UrlUse::Fetch) => Ok(href),
        _ => Err(LocaleRejection::Fetch(FetchError::BadUrl(path.to_owned()))),
    }
}

/// How much of a locale to fetch: [`FirstLayerOnly`] (the first module) or [`Complete`] (the
/// full widget). A type, not a flag, so the first module links none of the rest.
#[allow(async_fn_in_trait)]
pub trait Depth {
    /// Fetches and verifies one manifest entry (its path resolved against the manifest URL):
    /// returns what is shown, the first layer's digest (the one receipts record) and its bytes.
    async fn fetch(
        manifest: &Manifest,
        entry: &ManifestEntry,
        manifest_url: &str,
    ) -> Result<(LocaleBundle, Sha256Digest, Rc<[u8]>), LocaleRejection>;
}

/// A locale's first layer only: digest of the exact bytes first, then parse, then notice,
/// version and locale (`crate::loader::verify_first`).
pub struct FirstLayerOnly;

/// A locale's complete bundle: the first layer as [`FirstLayerOnly`], then its details file (a
/// plain file name beside it), verified against the digest the first layer names and checked
/// to be the file the first layer was cut from (`crate::loader::verify_details`).
pub struct Complete;

async fn fetch_first(
    manifest: &Manifest,
    entry: &ManifestEntry,
    manifest_url: &str,
) -> Result<(FirstLayer, Sha256Digest, Vec<u8>, String), LocaleRejection> {
    let url = fetchable(&entry.path, manifest_url)?;
    let bytes = net::get_bytes(&url).await.map_err(LocaleRejection::Fetch)?;
    let (first, digest) = verify_first(manifest, entry, &bytes)?;
    Ok((first, digest, bytes, url))
}

impl Depth for FirstLayerOnly {
    async fn fetch(
        manifest: &Manifest,
        entry: &ManifestEntry,
        manifest_url: &str,
    ) -> Result<(LocaleBundle, Sha256Digest, Rc<[u8]>), LocaleRejection> {
        let (first, digest, bytes, _) = fetch_first(manifest, entry, manifest_url).await?;
        Ok((first.bundle, digest, Rc::from(bytes)))
    }
}

/// The complete bundle of a verified first layer (its exact bytes, fetched from `url`): its
/// details file fetched beside it and verified ([`Complete`]).
async fn complete(
    first: &FirstLayer,
    bytes: &[u8],
    url: &str,
) -> Result<LocaleBundle, LocaleRejection> {
    match &first.details {
        None => verify_details(first, bytes),
        Some(d) => {
            if !is_plain_file_name(&d.path) {
                return Err(LocaleRejection::Fetch(FetchError::BadUrl(d.path.clone())));
            }
            let details = net::get_bytes(&fetchable(&d.path, url)?)
                .await
                .map_err(LocaleRejection::Fetch)?;
            verify_details(first, &details)
        }
    }
}

impl Depth for Complete {
    async fn fetch(
        manifest: &Manifest,
        entry: &ManifestEntry,
        manifest_url: &str,
    ) -> Result<(LocaleBundle, Sha256Digest, Rc<[u8]>), LocaleRejection> {
        let (first, digest, bytes, url) = fetch_first(manifest, entry, manifest_url).await?;
        let full = complete(&first, &bytes, &url).await?;
        Ok((full, digest, Rc::from(bytes)))
    }
}

/// The details of a first layer the first module shows (`first_layer`: the bytes it verified,
/// from the manifest entry `entry`), when the visitor opens the settings: the complete bundle,
/// its details file verified against the digest the first layer names and checked to be the
/// file the first layer was cut from.
pub async fn details(
    manifest: &Manifest,
    entry: &ManifestEntry,
    manifest_url: &str,
    first_layer: &[u8],
) -> Result<LocaleBundle, LocaleRejection> {
    let url = fetchable(&entry.path, manifest_url)?;
    let (first, _) = verify_first(manifest, entry, first_layer)?;
    complete(&first, first_layer, &url).await
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
/// `navigator.languages`, the first locale whose files verify ([`Depth::fetch`]; a failing
/// locale is skipped, never shown). The jurisdiction comes from the visitor's correction, the
/// options, the time zone and the languages, by the notice's own region map.
pub async fn load<D: Depth>(options: &MountOptions) -> Result<Loaded, LoadError> {
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
        match D::fetch(&manifest, entry, &options.manifest_url).await {
            Ok((bundle, digest, first_layer)) => {
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
                    first_layer,
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
