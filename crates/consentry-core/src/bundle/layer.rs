//! The first layer of a compiled locale, and its details file.
//!
//! `consentry build` writes each locale as two files:
//!
//! - the **details file** `notice.<tag>.details.<hash>.json`: the complete [`LocaleBundle`]
//!   (schema `consentry-notice/1`, unchanged), everything the settings and the full notice
//!   show;
//! - the **first layer** `notice.<tag>.<hash>.json` ([`FirstLayer`], schema
//!   `consentry-first-layer/1`): what the banner shows and what a receipt records, cut from
//!   the complete bundle: the notice's identity and direction, every purpose's facts (legal
//!   bases, required, separate consent, sensitive, retention, recipients, processors,
//!   transfer destinations and safeguards, sold or shared; no texts), the region map, the
//!   messages of [`FIRST_LAYER_MESSAGES`], and the path and SHA-256 of the details file.
//!
//! The manifest names the first layer (its `path` and `sha256`) and lists the details file's
//! name beside it (`details`). A receipt's `notice.sha256` is the first layer's digest: since
//! the first layer carries the details file's SHA-256, that one digest commits to every word
//! the visitor could be shown, in the banner or later in the settings and the full notice. A reader
//! checks each file's bytes against its digest before it parses them, and that the first
//! layer is exactly the cut of the details file ([`FirstLayer::is_layer_of`]), so a receipt
//! built from either records the same facts.
//!
//! Builds from before the split have one complete file per locale; every reader here still
//! takes them (a complete file is its own first layer, with no details file).

use alloc::string::String;
use alloc::vec::Vec;

use super::{
    BUNDLE_SCHEMA, BundleError, BundleLink, BundlePurpose, LocaleBundle, ManifestEntry, Rich,
    ccpa_from, facts_members, identity_from, links_from, messages_from, purpose_facts, push_ccpa,
    push_links, push_regions, regions_from, req, req_arr, req_str,
};
use crate::encoding::Sha256Digest;
use crate::json::{self, Value};

/// Schema tag of a first-layer file.
pub const FIRST_LAYER_SCHEMA: &str = "consentry-first-layer/1";

/// The messages a first layer carries: the banner's texts, the persistent "privacy settings"
/// button, and the settings list as it shows at once on a tap (title, intro, the purposes'
/// badges and the three decisions; the descriptions and facts follow in the details file).
/// Everything the widget shows before the details arrive.
pub const FIRST_LAYER_MESSAGES: &[&str] = &[
    "banner-title",
    "banner-body",
    "accept-all",
    "reject-all",
    "open-settings",
    "open-full-notice",
    "language-label",
    "gpc-honoured",
    "guardian-label",
    "privacy-settings",
    "decision-saved",
    "settings-title",
    "settings-intro",
    "close",
    "save-choices",
    "required-purpose",
    "separate-consent-label",
    "barred-for-child-label",
    "gpc-held-label",
    "opt-out-label",
    "region-label",
    "region-other",
    "download-receipt",
];

/// How many of [`FIRST_LAYER_MESSAGES`], from the start, first layers carried before the
/// settings list moved into the first module (the banner's; their purposes carry no names
/// either): archived builds keep verifying.
const BANNER_ONLY_MESSAGES: usize = 11;

/// Where a first layer's details file is and what its bytes hash to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DetailsRef {
    /// File name, relative to the first layer (and the manifest): a plain name, no directory.
    pub path: String,
    /// SHA-256 of the details file's exact bytes.
    pub sha256: Sha256Digest,
}

/// The first layer of one locale (see the module docs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstLayer {
    /// The notice's identity and direction, the purposes' facts (their texts empty), the
    /// first-layer messages and the region map; every other member empty.
    pub bundle: LocaleBundle,
    /// The details file; `None` when the file read was a complete bundle (a build from before
    /// the split), which is then its own details.
    pub details: Option<DetailsRef>,
}

/// The links the banner shows on its own, of `links`: the US opt-out and limit links.
fn banner_links(mut links: Vec<BundleLink>, b: &LocaleBundle) -> Vec<BundleLink> {
    links.retain(|l| {
        b.ccpa_opt_out_link.as_deref() == Some(l.name.as_str())
            || b.ccpa_limit_link.as_deref() == Some(l.name.as_str())
    });
    links
}

/// A purpose as the first layer keeps it: its facts and its name, without its description
/// (see [`facts_members`]).
fn purpose_cut(p: &BundlePurpose) -> BundlePurpose {
    BundlePurpose {
        name: p.name.clone(),
        legal_bases: p.legal_bases.clone(),
        separate_consent: p.separate_consent,
        sensitive: p.sensitive,
        retention: p.retention.clone(),
        recipients: p.recipients.clone(),
        processors: p.processors.clone(),
        transfers: p
            .transfers
            .iter()
            .map(|t| super::Transfer {
                destination: t.destination.clone(),
                safeguard: t.safeguard.clone(),
                ..super::Transfer::default()
            })
            .collect(),
        sold_or_shared: p.sold_or_shared,
        dpv: p.dpv.clone(),
        channels: p.channels.clone(),
        automated_decisions: p.automated_decisions,
        on_until_opt_out: p.on_until_opt_out.clone(),
        ..BundlePurpose::new(
            p.id.clone(),
            p.required,
            p.legal_basis.clone(),
            Rich::default(),
            Rich::default(),
        )
    }
}

impl FirstLayer {
    /// The first layer cut from the complete bundle `full`, pointing at its details file.
    pub fn of(full: &LocaleBundle, details: DetailsRef) -> Self {
        Self {
            bundle: LocaleBundle {
                purposes: full.purposes.iter().map(purpose_cut).collect(),
                messages: full
                    .messages
                    .iter()
                    .filter(|(id, _)| FIRST_LAYER_MESSAGES.contains(&id.as_str()))
                    .cloned()
                    .collect(),
                regions: full.regions.clone(),
                // The banner itself links to "Do Not Sell or Share" (and "Limit the Use") where
                // a US state law applies (CCPA 1798.135(a); 11 CCR §7013).
                links: banner_links(full.links.clone(), full),
                ccpa_opt_out_link: full.ccpa_opt_out_link.clone(),
                ccpa_limit_link: full.ccpa_limit_link.clone(),
                ..LocaleBundle::new(
                    full.notice_id.clone(),
                    full.version.clone(),
                    full.locale.clone(),
                    full.dir,
                )
            },
            details: Some(details),
        }
    }

    /// Whether this first layer is exactly the cut of `full` (same identity, facts, messages
    /// and regions): then a receipt built from either records the same. Builds published
    /// before several regimes could apply at once cut less (no DPV term, channels, automated
    /// decisions or `on_until_opt_out` per purpose, no banner links): their first layers are
    /// exactly that earlier cut, so archived builds keep verifying the receipts made on them.
    pub fn is_layer_of(&self, full: &LocaleBundle) -> bool {
        match &self.details {
            Some(d) => {
                let cut = Self::of(full, d.clone());
                let banner_only = cut.clone().banner_only();
                *self == cut || *self == banner_only || *self == banner_only.before_regimes()
            }
            None => false,
        }
    }

    /// The cut as builds made it before the settings list moved into the first module: no
    /// purpose names, the banner's messages only.
    fn banner_only(mut self) -> Self {
        for p in &mut self.bundle.purposes {
            p.name = Rich::default();
        }
        self.bundle
            .messages
            .retain(|(id, _)| FIRST_LAYER_MESSAGES[..BANNER_ONLY_MESSAGES].contains(&id.as_str()));
        self
    }

    /// The cut as builds made it before several regimes could apply at once.
    fn before_regimes(mut self) -> Self {
        for p in &mut self.bundle.purposes {
            p.dpv.clear();
            p.channels.clear();
            p.automated_decisions = false;
            p.on_until_opt_out.clear();
        }
        self.bundle.links.clear();
        self.bundle.ccpa_opt_out_link = None;
        self.bundle.ccpa_limit_link = None;
        self
    }

    /// The published first-layer file of `full` with its details file `details`: canonical
    /// JSON of [`FirstLayer::of`] (the exact bytes that get hashed and published).
    pub fn file_of(full: &LocaleBundle, details: DetailsRef) -> String {
        let layer = Self::of(full, details.clone());
        layer.write(&details)
    }

    /// Serializes to canonical JSON (the exact bytes that get hashed and published). `None`
    /// without a details file: a complete bundle read as its own first layer has no
    /// first-layer form (a first layer always names its details file; publish the complete
    /// bundle instead).
    pub fn to_json(&self) -> Option<String> {
        self.details.as_ref().map(|d| self.write(d))
    }

    fn write(&self, d: &DetailsRef) -> String {
        let b = &self.bundle;
        let mut top = alloc::vec![
            ("schema", Value::str(FIRST_LAYER_SCHEMA)),
            ("notice_id", Value::str(b.notice_id.as_str())),
            ("version", Value::str(b.version.clone())),
            ("locale", Value::str(b.locale.as_str())),
            ("dir", Value::str(b.dir.as_str())),
            (
                "purposes",
                Value::Arr(
                    b.purposes
                        .iter()
                        .map(|p| {
                            let mut m = facts_members(p, false);
                            if !p.name.0.is_empty() {
                                m.push(("name", p.name.to_value()));
                            }
                            Value::object(m)
                        })
                        .collect(),
                ),
            ),
            (
                "messages",
                Value::Obj(
                    b.messages
                        .iter()
                        .map(|(k, v)| (k.clone(), v.to_value()))
                        .collect(),
                ),
            ),
        ];
        top.push((
            "details",
            Value::object([
                ("path", Value::str(d.path.clone())),
                ("sha256", Value::str(d.sha256.to_hex())),
            ]),
        ));
        push_links(&mut top, &b.links);
        push_ccpa(&mut top, b);
        push_regions(&mut top, &b.regions);
        json::to_canonical_string(&Value::object(top))
    }

    /// Reads a first layer; a complete bundle (schema `consentry-notice/1`) is read as its own
    /// first layer (`details: None`): only what a first layer has is read from it.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BundleError> {
        let v = json::parse(bytes).map_err(BundleError::Json)?;
        let schema = req_str(&v, "schema", "")?;
        let details = match schema.as_str() {
            FIRST_LAYER_SCHEMA => {
                let d = req(&v, "details", "")?;
                Some(DetailsRef {
                    path: req_str(d, "path", "details")?,
                    sha256: Sha256Digest::from_hex(&req_str(d, "sha256", "details")?).ok_or(
                        BundleError::Invalid {
                            at: "details.sha256",
                            expected: "64 lowercase hex digits",
                        },
                    )?,
                })
            }
            BUNDLE_SCHEMA => None,
            _ => return Err(BundleError::Schema(schema)),
        };
        let mut purposes = Vec::new();
        for p in req_arr(&v, "purposes", "")? {
            let mut purpose = purpose_facts(p)?;
            if let Some(name) = p.get("name") {
                purpose.name = Rich::from_value(name, "purpose.name")?;
            }
            purposes.push(purpose);
        }
        let mut messages = messages_from(req(&v, "messages", "")?)?;
        if details.is_none() {
            messages.retain(|(id, _)| FIRST_LAYER_MESSAGES.contains(&id.as_str()));
        }
        let (ccpa_opt_out_link, ccpa_limit_link) = ccpa_from(&v)?;
        let mut bundle = LocaleBundle {
            purposes,
            messages,
            regions: regions_from(&v)?,
            ccpa_opt_out_link,
            ccpa_limit_link,
            ..identity_from(&v)?
        };
        bundle.links = banner_links(links_from(&v)?, &bundle);
        Ok(Self { bundle, details })
    }
}

/// Why one locale of a published build could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublishedError {
    /// A file name that is not a plain name (a directory, `..`, a leading dot).
    UnsafePath(String),
    /// The caller could not read a file.
    Read {
        /// The file.
        path: String,
        /// The caller's reason.
        reason: String,
    },
    /// A file's bytes do not hash to the digest published for it.
    DigestMismatch {
        /// The file.
        path: String,
        /// The digest published (in the manifest, or in the first layer for its details).
        expected: Sha256Digest,
        /// The digest of the bytes read.
        actual: Sha256Digest,
    },
    /// A file is not a valid compiled locale file.
    Bundle {
        /// The file.
        path: String,
        /// What is wrong with it.
        error: BundleError,
    },
    /// A first layer is not the cut of its details file, or the manifest lists another
    /// details file than the first layer names.
    NotItsLayer {
        /// The first layer.
        path: String,
    },
}

impl core::fmt::Display for PublishedError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            PublishedError::UnsafePath(p) => {
                write!(f, "{p:?} is not a plain file name")
            }
            PublishedError::Read { path, reason } => write!(f, "{path}: {reason}"),
            PublishedError::DigestMismatch {
                path,
                expected,
                actual,
            } => write!(
                f,
                "{path}: SHA-256 is {} but {} is published",
                actual.to_hex(),
                expected.to_hex()
            ),
            PublishedError::Bundle { path, error } => write!(f, "{path}: {error}"),
            PublishedError::NotItsLayer { path } => write!(
                f,
                "{path}: the first layer is not the cut of its details file"
            ),
        }
    }
}

impl core::error::Error for PublishedError {}

/// Whether `p` is a plain file name (no directory, no `..`, no leading dot), so a manifest or
/// a first layer cannot make a reader open a file outside the build directory.
pub fn is_plain_file_name(p: &str) -> bool {
    !p.is_empty()
        && p != "."
        && p != ".."
        && !p.contains(['/', '\\', ':', '\0'])
        && !p.starts_with('.')
}

fn read_checked(
    path: &str,
    expected: &Sha256Digest,
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<Vec<u8>, PublishedError> {
    if !is_plain_file_name(path) {
        return Err(PublishedError::UnsafePath(path.into()));
    }
    let bytes = read(path).map_err(|reason| PublishedError::Read {
        path: path.into(),
        reason,
    })?;
    let actual = Sha256Digest::of(&bytes);
    if actual != *expected {
        return Err(PublishedError::DigestMismatch {
            path: path.into(),
            expected: *expected,
            actual,
        });
    }
    Ok(bytes)
}

/// Reads one locale of a published build, with `read` returning a file's bytes by its name
/// (the caller does the IO): the file the manifest `entry` names, whose bytes must hash to the
/// entry's digest, and for a first layer its details file, whose bytes must hash to the digest
/// the first layer names (and, when the manifest lists a details file for the locale,
/// `listed`, be that one), and of which the first layer must be the exact cut. Returns the
/// complete bundle. Identity (notice, version, locale) against the manifest is the caller's
/// check.
pub fn read_published_locale(
    entry: &ManifestEntry,
    listed: Option<&str>,
    read: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<LocaleBundle, PublishedError> {
    let bytes = read_checked(&entry.path, &entry.sha256, read)?;
    let bad = |path: &str, error| PublishedError::Bundle {
        path: path.into(),
        error,
    };
    let first = FirstLayer::from_json(&bytes).map_err(|e| bad(&entry.path, e))?;
    let Some(details) = &first.details else {
        if listed.is_some() {
            return Err(PublishedError::NotItsLayer {
                path: entry.path.clone(),
            });
        }
        return LocaleBundle::from_json(&bytes).map_err(|e| bad(&entry.path, e));
    };
    if listed.is_some_and(|l| l != details.path) {
        return Err(PublishedError::NotItsLayer {
            path: entry.path.clone(),
        });
    }
    let full_bytes = read_checked(&details.path, &details.sha256, read)?;
    let full = LocaleBundle::from_json(&full_bytes).map_err(|e| bad(&details.path, e))?;
    if !first.is_layer_of(&full) {
        return Err(PublishedError::NotItsLayer {
            path: entry.path.clone(),
        });
    }
    Ok(full)
}

/// The details files a manifest lists, per locale (`locales.<tag>.details`, a file name), in
/// manifest order; `None` for a locale without one (a build from before the split).
pub fn manifest_details(manifest: &[u8]) -> Result<Vec<Option<String>>, BundleError> {
    let v = json::parse(manifest).map_err(BundleError::Json)?;
    let Some(Value::Obj(locales)) = v.get("locales") else {
        return Err(BundleError::Invalid {
            at: "locales",
            expected: "an object",
        });
    };
    locales
        .iter()
        .map(|(_, e)| match e.get("details") {
            None => Ok(None),
            Some(Value::Str(path)) => Ok(Some(path.clone())),
            Some(other) => Err(BundleError::field("locales.details", "a string", other)),
        })
        .collect()
}

#[cfg(test)]
// Without `verify` the registry tests and their helpers are left out.
#[cfg_attr(not(feature = "verify"), allow(unused_imports, dead_code))]
mod tests {
    use alloc::borrow::ToOwned;
    use alloc::format;
    use alloc::vec;

    use super::*;
    use crate::bundle::{Direction, Manifest, Span};
    #[cfg(feature = "verify")]
    use crate::receipt::verify::{NoticeRegistry, RegistryError};
    use crate::testing::sample_bundle;

    /// The sample notice published as a split build: `(manifest bytes, files)`.
    fn split_build(full: &LocaleBundle) -> (Vec<u8>, Vec<(String, Vec<u8>)>) {
        let details_bytes = full.to_json().into_bytes();
        let details = DetailsRef {
            path: "notice.en.details.json".into(),
            sha256: Sha256Digest::of(&details_bytes),
        };
        let first = FirstLayer::file_of(full, details.clone()).into_bytes();
        let manifest = Manifest {
            notice_id: full.notice_id.clone(),
            version: full.version.clone(),
            default_locale: full.locale.clone(),
            build_time: None,
            locales: vec![ManifestEntry {
                locale: full.locale.clone(),
                path: "notice.en.json".into(),
                sha256: Sha256Digest::of(&first),
                dir: Direction::Ltr,
                name: "English".into(),
            }],
        };
        (
            manifest.to_json_with_details(&[Some(details)]).into_bytes(),
            vec![
                ("notice.en.json".into(), first),
                ("notice.en.details.json".into(), details_bytes),
            ],
        )
    }

    fn reader(files: &[(String, Vec<u8>)]) -> impl FnMut(&str) -> Result<Vec<u8>, String> + '_ {
        |name| {
            files
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.clone())
                .ok_or_else(|| format!("no file {name}"))
        }
    }

    /// The English locale of the demo notice as `consentry build` published it before several
    /// regimes could apply at once (version 2026.11.2): archived builds keep verifying.
    #[test]
    fn a_build_from_before_several_regimes_still_reads() {
        let dir = "fixtures/before-regimes/";
        let file = |name: &str| -> Result<Vec<u8>, String> {
            match name {
                "manifest.json" => {
                    Ok(include_bytes!("fixtures/before-regimes/manifest.json").to_vec())
                }
                "notice.en.c84783e441d0.json" => Ok(include_bytes!(
                    "fixtures/before-regimes/notice.en.c84783e441d0.json"
                )
                .to_vec()),
                "notice.en.details.58980a0a8dc9.json" => Ok(include_bytes!(
                    "fixtures/before-regimes/notice.en.details.58980a0a8dc9.json"
                )
                .to_vec()),
                other => Err(format!("{dir}{other} is not in the fixture")),
            }
        };
        let manifest_bytes = file("manifest.json").unwrap();
        let manifest = Manifest::from_json(&manifest_bytes).unwrap();
        let listed = manifest_details(&manifest_bytes).unwrap();
        let entry = manifest
            .locales
            .iter()
            .find(|e| e.locale.as_str() == "en")
            .unwrap();
        let i = manifest.locales.iter().position(|e| e == entry).unwrap();
        let mut read = file;
        let full = read_published_locale(entry, listed[i].as_deref(), &mut read)
            .expect("an archived build reads");
        assert_eq!(full.version, "2026.11.2");
        // The old cut is recognised, and only it: a first layer with one fact changed is not.
        let first = FirstLayer::from_json(&file("notice.en.c84783e441d0.json").unwrap()).unwrap();
        assert!(first.is_layer_of(&full));
        let mut edited = first;
        edited.bundle.purposes[1].retention = "P5Y".into();
        assert!(!edited.is_layer_of(&full));
    }

    #[test]
    fn the_first_layer_keeps_facts_and_banner_text_only_and_round_trips() {
        let full = sample_bundle();
        let d = DetailsRef {
            path: "notice.en.details.0123456789ab.json".into(),
            sha256: Sha256Digest::of(b"details"),
        };
        let first = FirstLayer::of(&full, d);
        let back = FirstLayer::from_json(first.to_json().unwrap().as_bytes()).unwrap();
        assert_eq!(back, first);
        assert!(back.is_layer_of(&full));
        let b = &back.bundle;
        assert_eq!(
            (&b.notice_id, &b.version, &b.locale, b.dir, &b.regions),
            (
                &full.notice_id,
                &full.version,
                &full.locale,
                full.dir,
                &full.regions
            )
        );
        assert!(!b.messages.is_empty());
        assert!(
            b.messages
                .iter()
                .all(|(id, _)| FIRST_LAYER_MESSAGES.contains(&id.as_str()))
        );
        assert_eq!(b.message("banner-title"), full.message("banner-title"));
        assert_eq!(b.message("settings-title"), full.message("settings-title"));
        assert!(full.message("dpo-heading").is_some() && b.message("dpo-heading").is_none());
        assert_eq!(b.purposes.len(), full.purposes.len());
        for (p, q) in b.purposes.iter().zip(&full.purposes) {
            // Everything a receipt records and the regimes read, and the name the settings
            // list shows; no description.
            assert_eq!(
                (
                    &p.id,
                    p.required,
                    &p.legal_basis,
                    &p.legal_bases,
                    p.separate_consent
                ),
                (
                    &q.id,
                    q.required,
                    &q.legal_basis,
                    &q.legal_bases,
                    q.separate_consent
                )
            );
            assert_eq!(
                (p.sensitive, &p.retention, &p.recipients, &p.processors),
                (q.sensitive, &q.retention, &q.recipients, &q.processors)
            );
            assert_eq!(p.sold_or_shared, q.sold_or_shared);
            assert_eq!(p.transfers.len(), q.transfers.len());
            assert_eq!(p.name, q.name);
            assert!(p.description.0.is_empty());
        }
        // A first layer whose facts differ from the complete bundle is not its layer.
        let mut other = full.clone();
        other.purposes[0].retention = "P99Y".into();
        assert!(!back.is_layer_of(&other));
        let mut other = full;
        other.messages.retain(|(id, _)| id != "banner-title");
        assert!(!back.is_layer_of(&other));
    }

    #[test]
    fn a_complete_bundle_reads_as_its_own_first_layer() {
        let full = sample_bundle();
        let first = FirstLayer::from_json(full.to_json().as_bytes()).unwrap();
        assert_eq!(first.details, None);
        // Without a details file it has no first-layer form (found by the `manifest` fuzz
        // target: the form written before did not read back).
        assert_eq!(first.to_json(), None);
        assert_eq!(
            first.bundle.message("banner-title"),
            full.message("banner-title")
        );
        assert!(first.bundle.message("dpo-heading").is_none());
        assert_eq!(first.bundle.purposes[0].id, full.purposes[0].id);
        assert!(
            !first.is_layer_of(&full),
            "no details file to be the cut of"
        );
        // Anything else is refused by its schema.
        assert!(matches!(
            FirstLayer::from_json(br#"{"schema":"consentry-manifest/1"}"#),
            Err(BundleError::Schema(_))
        ));
        let missing = br#"{"schema":"consentry-first-layer/1","notice_id":"n","version":"1","locale":"en","dir":"ltr","purposes":[],"messages":{}}"#;
        assert!(matches!(
            FirstLayer::from_json(missing),
            Err(BundleError::Missing { key: "details", .. })
        ));
    }

    #[test]
    #[cfg(feature = "verify")]
    fn a_split_build_publishes_the_first_layer_digest_with_the_complete_bundle() {
        let full = sample_bundle();
        let (manifest, files) = split_build(&full);
        let mut reg = NoticeRegistry::new();
        assert_eq!(reg.add_build(&manifest, reader(&files)).unwrap(), 1);
        let first_digest = Sha256Digest::of(&files[0].1);
        assert_eq!(reg.get(&first_digest), Some(&full));
        assert!(
            reg.get(&Sha256Digest::of(&files[1].1)).is_none(),
            "receipts name the first layer, never the details file"
        );
        let listed = manifest_details(&manifest).unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].as_deref(), Some("notice.en.details.json"));
    }

    #[test]
    #[cfg(feature = "verify")]
    fn a_split_build_is_refused_when_a_file_does_not_match() {
        let full = sample_bundle();
        let (manifest, files) = split_build(&full);
        let m = Manifest::from_json(&manifest).unwrap();
        let entry = &m.locales[0];
        let read = |files: &[(String, Vec<u8>)]| {
            let files = files.to_vec();
            read_published_locale(entry, None, &mut |name: &str| {
                files
                    .iter()
                    .find(|(n, _)| n == name)
                    .map(|(_, b)| b.clone())
                    .ok_or_else(|| name.to_owned())
            })
        };
        assert_eq!(read(&files), Ok(full.clone()));

        // One changed byte in the details file: its digest no longer matches the first layer.
        let mut tampered = files.clone();
        let at = tampered[1].1.len() / 2;
        tampered[1].1[at] ^= 1;
        assert!(matches!(
            read(&tampered),
            Err(PublishedError::DigestMismatch { path, .. }) if path == "notice.en.details.json"
        ));
        // A details file that hashes right but is not what the first layer was cut from (the
        // first layer rewritten to name it, the manifest to name that first layer).
        let mut other = full;
        other.messages.iter_mut().for_each(|(id, m)| {
            if id == "banner-title" {
                *m = Rich(vec![Span::Text("Another title".into())]);
            }
        });
        let other_bytes = other.to_json().into_bytes();
        let mut layer = FirstLayer::from_json(&files[0].1).unwrap();
        layer.details = Some(DetailsRef {
            path: "notice.en.details.json".into(),
            sha256: Sha256Digest::of(&other_bytes),
        });
        let first = layer.to_json().unwrap().into_bytes();
        let mut e = entry.clone();
        e.sha256 = Sha256Digest::of(&first);
        let swapped = [
            ("notice.en.json".to_owned(), first),
            ("notice.en.details.json".to_owned(), other_bytes),
        ];
        let got = read_published_locale(&e, None, &mut |name: &str| {
            swapped
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, b)| b.clone())
                .ok_or_else(|| name.to_owned())
        });
        assert_eq!(
            got,
            Err(PublishedError::NotItsLayer {
                path: "notice.en.json".into()
            })
        );
        // A details path that leaves the build directory is refused before it is read.
        let mut layer = FirstLayer::from_json(&files[0].1).unwrap();
        layer.details = Some(DetailsRef {
            path: "../secret.json".into(),
            sha256: Sha256Digest::of(b""),
        });
        let first = layer.to_json().unwrap().into_bytes();
        let mut e = entry.clone();
        e.sha256 = Sha256Digest::of(&first);
        let got = read_published_locale(&e, None, &mut |name: &str| {
            if name == "notice.en.json" {
                Ok(first.clone())
            } else {
                panic!("read {name}")
            }
        });
        assert_eq!(
            got,
            Err(PublishedError::UnsafePath("../secret.json".into()))
        );
        // The manifest lists another details file than the first layer names.
        let got = read_published_locale(
            entry,
            Some("notice.en.details.other.json"),
            &mut reader(&files),
        );
        assert!(matches!(got, Err(PublishedError::NotItsLayer { .. })));
        // The registry refuses the whole build, adding nothing.
        let mut reg = NoticeRegistry::new();
        assert!(matches!(
            reg.add_build(&manifest, reader(&tampered)),
            Err(RegistryError::DigestMismatch { .. })
        ));
        assert!(reg.is_empty());
        // A first layer cannot be added on its own: it needs its details file.
        assert!(matches!(
            reg.add_bundle(&files[0].1),
            Err(RegistryError::Bundle { .. })
        ));
    }
}
