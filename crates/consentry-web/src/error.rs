//! The widget's typed errors.
//!
//! Every error has a stable machine `code()` (snake_case, the `code` of the `consentry:error`
//! event detail) and a human `Display` message. None of them carries host-page secrets.

use core::fmt;

use consentry_core::bundle::BundleError;
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{IdError, LocaleTag};

/// Why `mount(element, options)` refused to start. Thrown to JavaScript as a `JsError` whose
/// message is this error's `Display`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MountError {
    /// The first argument is not an `HTMLElement` (`null`, `undefined`, a selector string, …).
    NotAnElement,
    /// `options` is not a plain object.
    OptionsNotAnObject,
    /// A required option is missing (or `undefined` / `null`).
    MissingOption(&'static str),
    /// An option has the wrong JavaScript type.
    OptionType {
        /// The option (camelCase, as the page spells it).
        option: &'static str,
        /// What it must be.
        expected: &'static str,
    },
    /// An option name the widget does not know (usually a typo such as `manifestURL`).
    UnknownOption(String),
    /// A URL option cannot be parsed or uses a scheme the widget does not fetch.
    BadUrl {
        /// The option.
        option: &'static str,
        /// The value as given.
        value: String,
        /// The rule it breaks.
        reason: &'static str,
    },
    /// `language` is not a BCP 47 tag the widget supports.
    BadLanguage(IdError),
    /// `region` is not an ISO 3166 code such as `DE` or `US-CA`.
    BadRegion(IdError),
    /// `edgeRegion` is neither an ISO 3166 code nor a CDN "unknown" value (`XX`, `T1`, …).
    BadEdgeRegion(IdError),
    /// No `window` / `document` (not running in a browser page).
    NoDocument,
    /// A shadow root cannot be attached to (or reused on) the element.
    ShadowRoot(String),
}

impl fmt::Display for MountError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: &[&str] = match self {
            MountError::NotAnElement => &[
                "the first argument must be an HTMLElement (got null, undefined or another value)",
            ],
            MountError::OptionsNotAnObject => &[
                "options must be an object such as { manifestUrl: '/notice/manifest.json', endpoint: '/v1/receipts' }",
            ],
            MountError::MissingOption(o) => &["the option `", o, "` is required"],
            MountError::OptionType { option, expected } => {
                &["the option `", option, "` must be ", expected]
            }
            MountError::UnknownOption(o) => &[
                "unknown option `",
                o,
                "` (known: manifestUrl, endpoint, language, region, edgeRegion, expiryDays, stylesheetUrl)",
            ],
            MountError::BadUrl {
                option,
                value,
                reason,
            } => &["the option `", option, "` (\"", value, "\") ", reason],
            MountError::BadLanguage(e) => {
                return put(f, &["Consentry.mount: the option `language`: "], e);
            }
            MountError::BadRegion(e) => {
                return put(f, &["Consentry.mount: the option `region`: "], e);
            }
            MountError::BadEdgeRegion(e) => {
                return put(f, &["Consentry.mount: the option `edgeRegion`: "], e);
            }
            MountError::NoDocument => &["no window or document: mount runs in a browser page"],
            MountError::ShadowRoot(m) => &["cannot attach a shadow root to the element: ", m],
        };
        f.write_str("Consentry.mount: ")?;
        parts.iter().try_for_each(|p| f.write_str(p))
    }
}

/// Writes `parts`, then `inner`: messages from pieces, without the formatting machinery (the
/// first module links these).
fn put(f: &mut fmt::Formatter<'_>, parts: &[&str], inner: &dyn fmt::Display) -> fmt::Result {
    parts.iter().try_for_each(|p| f.write_str(p))?;
    inner.fmt(f)
}

impl core::error::Error for MountError {}

/// Why a fetch failed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FetchError {
    /// The request never got an HTTP answer (offline, DNS, CORS, refused connection, …).
    Network(String),
    /// The server answered with a status outside 200–299.
    Status(u16),
    /// The answer's body could not be read.
    Body(String),
    /// The URL cannot be resolved or uses a scheme the widget does not fetch.
    BadUrl(String),
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status;
        let parts: &[&str] = match self {
            FetchError::Network(m) => &["network error: ", m],
            FetchError::Status(s) => {
                let mut n = String::new();
                consentry_core::json::push_int(&mut n, i64::from(*s));
                status = n;
                &["HTTP status ", &status]
            }
            FetchError::Body(m) => &["unreadable response body: ", m],
            FetchError::BadUrl(u) => &["unusable URL \"", u, "\""],
        };
        parts.iter().try_for_each(|p| f.write_str(p))
    }
}

impl core::error::Error for FetchError {}

/// Why one locale file of the manifest was not shown.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LocaleRejection {
    /// It could not be fetched.
    Fetch(FetchError),
    /// Its bytes do not hash to the published digest (checked before parsing): the manifest's
    /// for the first layer, the first layer's for its details file.
    DigestMismatch {
        /// The digest published.
        expected: Sha256Digest,
        /// The digest of the bytes received.
        actual: Sha256Digest,
    },
    /// The bytes match but are not a valid compiled locale file.
    Invalid(BundleError),
    /// A valid file, but of another notice, version or locale than the manifest entry says.
    WrongNotice(&'static str),
    /// A details file that hashes to the digest its first layer names, but is not the
    /// complete bundle the first layer was cut from.
    NotItsLayer,
}

impl fmt::Display for LocaleRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocaleRejection::Fetch(e) => e.fmt(f),
            LocaleRejection::DigestMismatch { expected, actual } => {
                for p in [
                    "SHA-256 mismatch (manifest ",
                    &expected.to_hex(),
                    ", received ",
                    &actual.to_hex(),
                    ")",
                ] {
                    f.write_str(p)?;
                }
                Ok(())
            }
            LocaleRejection::Invalid(e) => put(f, &["invalid locale file: "], e),
            LocaleRejection::WrongNotice(what) => {
                for p in ["the file's ", what, " differs from the manifest"] {
                    f.write_str(p)?;
                }
                Ok(())
            }
            LocaleRejection::NotItsLayer => {
                f.write_str("the details file is not the one the first layer was cut from")
            }
        }
    }
}

/// Why the notice could not be shown at all. Reported as a `consentry:error` event and
/// `data-consentry-state="error"` on the host.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// The manifest could not be fetched.
    ManifestFetch(FetchError),
    /// The manifest is not a valid `consentry-manifest/1` document.
    ManifestInvalid(BundleError),
    /// No locale of the fallback chain could be fetched and verified; each attempt is listed.
    NoVerifiedLocale(Vec<(LocaleTag, LocaleRejection)>),
}

impl LoadError {
    /// Stable machine code: `manifest_unavailable`, `manifest_invalid` or `notice_unverified`.
    pub fn code(&self) -> &'static str {
        match self {
            LoadError::ManifestFetch(_) => "manifest_unavailable",
            LoadError::ManifestInvalid(_) => "manifest_invalid",
            LoadError::NoVerifiedLocale(_) => "notice_unverified",
        }
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::ManifestFetch(e) => {
                put(f, &["the notice manifest could not be loaded: "], e)
            }
            LoadError::ManifestInvalid(e) => put(f, &["the notice manifest is invalid: "], e),
            LoadError::NoVerifiedLocale(attempts) => {
                f.write_str("no locale of the notice could be verified")?;
                for (i, (tag, why)) in attempts.iter().enumerate() {
                    f.write_str(if i == 0 { ": " } else { "; " })?;
                    put(f, &[tag.as_str(), ": "], why)?;
                }
                Ok(())
            }
        }
    }
}

impl core::error::Error for LoadError {}

/// A failure after a decision, while keeping it or producing its receipt. The decision itself
/// still applies on the page (the `consentry:change` event has already fired).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeError {
    /// Browser storage refused a write (quota, disabled storage, sandboxed frame).
    Storage(String),
    /// No receipt id could be drawn (no `crypto` object).
    ReceiptId(String),
    /// The device key could not be created or loaded (no WebCrypto, e.g. an insecure context).
    DeviceKey(String),
    /// Signing the receipt failed.
    Signing(String),
    /// The outbox in storage was unreadable; its raw text was moved aside, not deleted.
    OutboxCorrupt(String),
    /// A session action was refused (e.g. turning a required purpose off).
    Transition(String),
    /// The language picked in the switcher could not be fetched and verified; the notice stays
    /// in its current language.
    Locale(String),
    /// "Download my receipt" found no receipt to offer, or the browser refused the download.
    Download(String),
    /// A region picked in the corrector is not a region code.
    Region(String),
    /// The rest of the widget (settings, full notice, consent steps), loaded when the visitor
    /// opens it, could not be loaded; the banner stays as it was.
    Widget(String),
    /// The receipts module (fetched once the banner is up) could not be loaded or refused a
    /// decision's receipt; the decision itself is kept.
    Receipts(String),
    /// A receipt waiting in storage was not signed: it is not one the visitor could have made
    /// on this device recently (a planted or stale hand-off job), or the chain could not be
    /// resumed; it is kept where it was.
    NotSigned(String),
}

impl RuntimeError {
    /// Stable machine code: `storage_failed`, `receipt_id_unavailable`,
    /// `device_key_unavailable`, `signing_failed`, `outbox_corrupt`, `action_refused`,
    /// `locale_unverified`, `receipt_unavailable`, `region_invalid`, `widget_unavailable`,
    /// `receipts_unavailable` or `receipt_not_signed`.
    pub fn code(&self) -> &'static str {
        match self {
            RuntimeError::Storage(_) => "storage_failed",
            RuntimeError::ReceiptId(_) => "receipt_id_unavailable",
            RuntimeError::DeviceKey(_) => "device_key_unavailable",
            RuntimeError::Signing(_) => "signing_failed",
            RuntimeError::OutboxCorrupt(_) => "outbox_corrupt",
            RuntimeError::Transition(_) => "action_refused",
            RuntimeError::Locale(_) => "locale_unverified",
            RuntimeError::Download(_) => "receipt_unavailable",
            RuntimeError::Region(_) => "region_invalid",
            RuntimeError::Widget(_) => "widget_unavailable",
            RuntimeError::Receipts(_) => "receipts_unavailable",
            RuntimeError::NotSigned(_) => "receipt_not_signed",
        }
    }
}

impl fmt::Display for RuntimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (what, m) = match self {
            RuntimeError::Storage(m) => ("browser storage failed: ", m),
            RuntimeError::ReceiptId(m) => ("no receipt id could be drawn: ", m),
            RuntimeError::DeviceKey(m) => ("the device signing key is unavailable: ", m),
            RuntimeError::Signing(m) => ("the receipt could not be signed: ", m),
            RuntimeError::OutboxCorrupt(m) => ("the receipt outbox was unreadable: ", m),
            RuntimeError::Transition(m) => ("action refused: ", m),
            RuntimeError::Locale(m) => ("the language could not be switched: ", m),
            RuntimeError::Download(m) => ("no receipt to download: ", m),
            RuntimeError::Region(m) => ("not a region: ", m),
            RuntimeError::Widget(m) => ("the settings could not be loaded: ", m),
            RuntimeError::Receipts(m) => ("the receipt could not be made: ", m),
            RuntimeError::NotSigned(m) => ("a stored receipt was not signed: ", m),
        };
        f.write_str(what)?;
        f.write_str(m)
    }
}

impl core::error::Error for RuntimeError {}
