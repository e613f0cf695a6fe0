//! Receipt verification: one function for the server, the CLI and (later) the widget.
//!
//! [`verify`] takes the exact envelope bytes and authenticates before it interprets:
//!
//! 1. size ≤ [`MAX_ENVELOPE_BYTES`], then the strict envelope reader ([`Jws::from_json`]);
//! 2. `signatures[0]` is the device signature; later entries are countersignatures, ignored
//!    here (their presence is not an error);
//! 3. the device's protected header: strict base64url → strict JSON → canonical bytes → `alg`
//!    on the allow-list (ES256 only) → members exactly `alg`, `jwk`, `kid`, `typ` → `typ` →
//!    `jwk` (a P-256 point on the curve) → `kid` is the key's RFC 7638 thumbprint;
//! 4. the ES256 signature (raw 64-byte `r‖s`) over `protected.payload`;
//! 5. only now the payload: strict base64url → strict JSON → canonical bytes →
//!    [`Receipt::from_value`] → the receipt re-serialises to exactly the signed bytes;
//! 6. the receipt's subject is the signing key's thumbprint;
//! 7. policy: purposes are unique, required purposes are not refused, non-consent purposes are
//!    `not_applicable`; with a [`NoticeRegistry`], the notice digest is a published one and the
//!    decisions match that notice's purposes one for one.
//!
//! `alg` is checked before the member set so that an `alg: none` or `HS256` header is reported
//! as what it is, whatever else it carries. Every failure has a stable machine code
//! ([`VerifyError::code`]) that the server returns and the CLI prints.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::jws::{self, Jws, JwsError, MAX_ENVELOPE_BYTES, PublicJwk};
use super::{DecisionState, Receipt, ReceiptError};
use crate::bundle::{
    BundleError, LocaleBundle, Manifest, PublishedError, manifest_details, read_published_locale,
};
use crate::encoding::{Sha256Digest, b64url_decode};
use crate::json::{self, Value};
use crate::regime::{Gate, requirement};
use crate::time::Timestamp;

/// The only signature algorithm accepted for device signatures.
pub const ALLOWED_ALGS: &[&str] = &["ES256"];

/// The notice builds a verifier accepts: each compiled locale, by the SHA-256 of the exact bytes
/// of the file the manifest names (a first layer, or a complete bundle from a build before the
/// split), with its complete bundle. Built from bytes the caller has already read (core does
/// no file IO).
#[derive(Clone, Debug, Default)]
pub struct NoticeRegistry {
    published: Vec<(Sha256Digest, LocaleBundle)>,
}

impl NoticeRegistry {
    /// An empty registry: every notice digest is unknown to it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one complete compiled locale file (schema `consentry-notice/1`; a first layer needs
    /// its details file, so it is added with [`NoticeRegistry::add_build`]). The digest is
    /// computed here over exactly `bytes`; adding the same bytes twice is harmless. Returns the
    /// digest.
    pub fn add_bundle(&mut self, bytes: &[u8]) -> Result<Sha256Digest, RegistryError> {
        let digest = Sha256Digest::of(bytes);
        let bundle = LocaleBundle::from_json(bytes)
            .map_err(|error| RegistryError::Bundle { path: None, error })?;
        if !self.published.iter().any(|(d, _)| *d == digest) {
            self.published.push((digest, bundle));
        }
        Ok(digest)
    }

    /// Adds a whole notice build: `manifest` is the bytes of `manifest.json`, and `read` returns
    /// the bytes of a file the manifest lists, by its path relative to the manifest (the
    /// caller does the IO). Each locale's file must hash to the manifest's digest; a first
    /// layer's details file must hash to the digest the first layer names and be the file the
    /// first layer was cut from (see [`crate::bundle::FirstLayer`]); the notice id, version
    /// and locale must be the manifest's. Paths must be plain file names (no directories, no
    /// `..`), so a manifest cannot make the caller read outside its directory. Each locale is
    /// published under its first layer's digest (the one receipts record) with its complete
    /// bundle. Returns the number of locales added. On error nothing is added.
    pub fn add_build<F>(&mut self, manifest: &[u8], mut read: F) -> Result<usize, RegistryError>
    where
        F: FnMut(&str) -> Result<Vec<u8>, String>,
    {
        let m = Manifest::from_json(manifest).map_err(RegistryError::Manifest)?;
        let listed = manifest_details(manifest).map_err(RegistryError::Manifest)?;
        let mut staged = Vec::with_capacity(m.locales.len());
        for (i, e) in m.locales.iter().enumerate() {
            let listed = listed.get(i).and_then(Option::as_deref);
            let bundle =
                read_published_locale(e, listed, &mut read).map_err(RegistryError::from)?;
            if bundle.notice_id != m.notice_id
                || bundle.version != m.version
                || bundle.locale != e.locale
            {
                return Err(RegistryError::ManifestMismatch {
                    path: e.path.clone(),
                });
            }
            staged.push((e.sha256, bundle));
        }
        let n = staged.len();
        for (d, b) in staged {
            if !self.published.iter().any(|(known, _)| *known == d) {
                self.published.push((d, b));
            }
        }
        Ok(n)
    }

    /// Whether a locale of this notice id and version is published (whatever its digest): a
    /// receipt naming an unknown digest of a known version names text that was never
    /// published ([`VerifyError::NoticeUnknown`]); one naming a version not published here
    /// may name one published later ([`VerifyError::NoticeVersionUnknown`]).
    pub fn has_version(&self, notice_id: &str, version: &str) -> bool {
        self.published
            .iter()
            .any(|(_, b)| b.notice_id.as_str() == notice_id && b.version == version)
    }

    /// The published bundle with this digest, if any.
    pub fn get(&self, digest: &Sha256Digest) -> Option<&LocaleBundle> {
        self.published
            .iter()
            .find(|(d, _)| d == digest)
            .map(|(_, b)| b)
    }

    /// Number of published locale files.
    pub fn len(&self) -> usize {
        self.published.len()
    }

    /// Whether no locale file is published.
    pub fn is_empty(&self) -> bool {
        self.published.is_empty()
    }
}

/// Why a notice build could not be loaded into a [`NoticeRegistry`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RegistryError {
    /// `manifest.json` is not a valid manifest.
    Manifest(BundleError),
    /// A compiled locale file is not a valid bundle (`path` is `None` for [`NoticeRegistry::add_bundle`]).
    Bundle {
        /// The file, as named in the manifest.
        path: Option<String>,
        /// What is wrong with it.
        error: BundleError,
    },
    /// A locale file's bytes do not hash to the digest published for it (in the manifest, or
    /// for a details file in its first layer).
    DigestMismatch {
        /// The file.
        path: String,
        /// Digest in the manifest.
        expected: Sha256Digest,
        /// Digest of the bytes read.
        actual: Sha256Digest,
    },
    /// A locale file's notice id, version or locale differs from the manifest's.
    ManifestMismatch {
        /// The file.
        path: String,
    },
    /// The manifest names a path that is not a plain file name.
    UnsafePath(String),
    /// The caller could not read a listed file.
    Read {
        /// The file.
        path: String,
        /// The caller's reason.
        reason: String,
    },
    /// A first layer is not the cut of its details file, or the manifest lists another details
    /// file than the first layer names.
    NotItsLayer {
        /// The first layer.
        path: String,
    },
}

impl From<PublishedError> for RegistryError {
    fn from(e: PublishedError) -> Self {
        match e {
            PublishedError::UnsafePath(p) => RegistryError::UnsafePath(p),
            PublishedError::Read { path, reason } => RegistryError::Read { path, reason },
            PublishedError::DigestMismatch {
                path,
                expected,
                actual,
            } => RegistryError::DigestMismatch {
                path,
                expected,
                actual,
            },
            PublishedError::Bundle { path, error } => RegistryError::Bundle {
                path: Some(path),
                error,
            },
            PublishedError::NotItsLayer { path } => RegistryError::NotItsLayer { path },
        }
    }
}

impl fmt::Display for RegistryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::Manifest(e) => write!(f, "manifest.json: {e}"),
            RegistryError::Bundle {
                path: Some(p),
                error,
            } => write!(f, "{p}: {error}"),
            RegistryError::Bundle { path: None, error } => write!(f, "notice bundle: {error}"),
            RegistryError::DigestMismatch {
                path,
                expected,
                actual,
            } => write!(
                f,
                "{path}: SHA-256 is {} but the build publishes {}",
                actual.to_hex(),
                expected.to_hex()
            ),
            RegistryError::ManifestMismatch { path } => write!(
                f,
                "{path}: notice id, version or locale differs from the manifest"
            ),
            RegistryError::UnsafePath(p) => {
                write!(f, "manifest lists {p:?}, which is not a plain file name")
            }
            RegistryError::Read { path, reason } => write!(f, "{path}: {reason}"),
            RegistryError::NotItsLayer { path } => write!(
                f,
                "{path}: the first layer is not the cut of its details file"
            ),
        }
    }
}

impl core::error::Error for RegistryError {}

/// What [`verify`] checks beyond the signature and the receipt's own consistency.
#[derive(Clone, Debug, Default)]
pub struct VerifyPolicy {
    /// The published notices. `None`: signatures and receipt consistency are verified, but not
    /// that the notice digest is a published one.
    pub notices: Option<NoticeRegistry>,
}

/// A receipt whose device signature, canonical form and policy checks all passed. Only
/// [`verify`] makes one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedReceipt {
    receipt: Receipt,
    payload: Vec<u8>,
    payload_sha256: Sha256Digest,
    kid: String,
    payload_b64: String,
    device: jws::JwsSignature,
    signatures: usize,
}

impl VerifiedReceipt {
    /// The receipt.
    pub fn receipt(&self) -> &Receipt {
        &self.receipt
    }
    /// The exact payload bytes that were signed.
    pub fn payload_bytes(&self) -> &[u8] {
        &self.payload
    }
    /// SHA-256 of the payload bytes: the receipt's hash for chaining and deduplication.
    pub fn payload_sha256(&self) -> Sha256Digest {
        self.payload_sha256
    }
    /// The device key's thumbprint (`kid` of signature 0, equal to the receipt's subject).
    pub fn kid(&self) -> &str {
        &self.kid
    }
    /// The envelope's `payload` member (base64url), exactly as received.
    pub fn payload_b64(&self) -> &str {
        &self.payload_b64
    }
    /// The device signature (`signatures[0]`), exactly as received.
    pub fn device_signature(&self) -> &jws::JwsSignature {
        &self.device
    }
    /// How many signatures the envelope carried: 1 when only the device signed it (what a
    /// receipt server accepts), more when countersignatures follow.
    pub fn signature_count(&self) -> usize {
        self.signatures
    }
    /// Takes the receipt out.
    pub fn into_receipt(self) -> Receipt {
        self.receipt
    }
}

/// Why an envelope is not a valid receipt. [`VerifyError::code`] is stable; the `Display`
/// text is for people.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// The envelope is larger than [`MAX_ENVELOPE_BYTES`] (`envelope_too_large`).
    EnvelopeTooLarge {
        /// Its size in bytes.
        size: usize,
    },
    /// The envelope is not strict JSON of the JWS general serialization shape
    /// (`envelope_malformed`).
    EnvelopeMalformed(JwsError),
    /// The device signature's protected header is not base64url of a JSON object with the
    /// required members of the right types, or has other members (`header_malformed`).
    HeaderMalformed(String),
    /// The protected header's bytes are not its RFC 8785 canonical form
    /// (`header_not_canonical`).
    HeaderNotCanonical,
    /// `alg` is `none`: an unsigned JWS (`alg_none`).
    AlgNone,
    /// `alg` is an HMAC algorithm (`HS256`, …): a shared secret proves nothing to a third
    /// party (`alg_hmac`).
    AlgHmac(String),
    /// `alg` is not on the allow-list [`ALLOWED_ALGS`] (`alg_not_allowed`).
    AlgNotAllowed(String),
    /// `typ` is not [`jws::RECEIPT_TYP`] (`typ_mismatch`).
    TypMismatch(String),
    /// `jwk` is not a P-256 public key (`jwk_invalid`).
    JwkInvalid(String),
    /// `kid` is not the RFC 7638 thumbprint of `jwk` (`kid_mismatch`).
    KidMismatch,
    /// The signature is not base64url of 64 bytes forming a valid `r‖s` pair
    /// (`signature_malformed`).
    SignatureMalformed(&'static str),
    /// The signature does not verify over the header and payload with the header's key
    /// (`signature_invalid`).
    SignatureInvalid,
    /// The payload is not base64url of strict JSON (`payload_malformed`).
    PayloadMalformed(String),
    /// The payload bytes are not their RFC 8785 canonical form (`payload_not_canonical`).
    PayloadNotCanonical,
    /// A string or member name in the payload is not in Unicode Normalization Form C
    /// (`payload_not_nfc`): the same text could then be signed in two byte forms.
    PayloadNotNfc,
    /// The payload is JSON but not a valid receipt (`receipt_invalid`).
    ReceiptInvalid(ReceiptError),
    /// The payload is a valid receipt but uses a value spelling the receipt writer never
    /// emits (an alias, another timestamp form), so it would not re-serialise to the signed
    /// bytes (`receipt_not_round_trip`).
    ReceiptNotRoundTrip,
    /// The receipt's subject is not the signing key's thumbprint (`subject_mismatch`).
    SubjectMismatch,
    /// The notice digest is not a published one (`notice_unknown`).
    NoticeUnknown {
        /// The digest the receipt names.
        sha256: Sha256Digest,
    },
    /// The receipt names a notice id and version of which no locale is published
    /// (`notice_version_unknown`): unlike [`VerifyError::NoticeUnknown`] this can change when
    /// that version is published later, so a receipt server answers it as retryable.
    NoticeVersionUnknown {
        /// The notice id the receipt names.
        notice_id: String,
        /// The version the receipt names.
        version: String,
    },
    /// The digest is published, but for another notice id, version or locale than the
    /// receipt states (`notice_mismatch`).
    NoticeMismatch {
        /// Which field differs: `notice_id`, `version` or `locale`.
        field: &'static str,
    },
    /// A decision names a purpose the notice does not have (`purpose_unknown`).
    PurposeUnknown(String),
    /// A purpose of the notice has no decision (`purpose_missing`).
    PurposeMissing(String),
    /// A purpose has more than one decision (`purpose_duplicate`).
    PurposeDuplicate(String),
    /// The decisions are not in the notice's purpose order (`purpose_order`); the first
    /// purpose out of place is named.
    PurposeOrder(String),
    /// A decision's copy of the notice's terms (legal basis, `required`, …) differs from the
    /// notice (`purpose_mismatch`).
    PurposeMismatch {
        /// The purpose.
        purpose: String,
        /// The member that differs.
        field: &'static str,
    },
    /// A required purpose is recorded as refused, withdrawn or expired (`required_refused`).
    RequiredRefused(String),
    /// The regimes the receipt records (or its guardian age) are not those the published
    /// notice's region map gives for its region (`jurisdiction_mismatch`).
    JurisdictionMismatch,
    /// A purpose that the regimes applied allow only through a consent step of its own is
    /// recorded as given without that step, or marked as decided in such a step that it
    /// never needs (`separate_consent_mismatch`).
    SeparateConsentMismatch(String),
    /// A purpose the law bars for a child is recorded as given in a decision a guardian made
    /// for a child (`barred_for_child`).
    BarredForChild(String),
    /// The envelope has only the device signature where a countersignature is required
    /// (`countersignature_missing`).
    CountersignatureMissing,
    /// The countersignature's protected header is not base64url of a JSON object with exactly
    /// the countersignature members (`crit` included) of the right types, or the envelope has
    /// more than one countersignature (`countersignature_malformed`).
    CountersignatureMalformed(String),
    /// The countersignature's protected header is not in canonical JSON form
    /// (`countersignature_not_canonical`).
    CountersignatureNotCanonical,
    /// The countersignature's `kid` is not in the server key set (`countersignature_key_unknown`).
    CountersignatureKeyUnknown(String),
    /// The countersignature is dated outside the signing key's lifetime: after its retirement
    /// or before its creation (`countersignature_outside_key_lifetime`).
    CountersignatureOutsideKeyLifetime {
        /// The key's `kid`.
        kid: String,
        /// The date the countersignature states (`ccr_recv`).
        at: Timestamp,
    },
    /// The countersignature commits to another device signature than the envelope's
    /// (`countersignature_binding_mismatch`): it was moved from another receipt.
    CountersignatureBindingMismatch,
    /// The receipt's link token is not one the server signed: its key is not in the key set,
    /// or its signature does not verify (`link_invalid`).
    LinkInvalid(String),
    /// The receipt's link token had expired when the server received it (`link_expired`).
    LinkExpired {
        /// When the token expired.
        exp: Timestamp,
        /// When the server received the receipt.
        received: Timestamp,
    },
    /// An agent-attested receipt is signed by a key that is not in the agent key set
    /// (`agent_key_unknown`).
    AgentKeyUnknown(String),
    /// The agent key belongs to another agent than the receipt names (`agent_key_mismatch`).
    AgentKeyMismatch {
        /// The agent the receipt names.
        claimed: String,
        /// The agent the key set gives for the key.
        holder: String,
    },
    /// The agent key was not registered yet, or already revoked, when the receipt was
    /// received (`agent_key_revoked`).
    AgentKeyNotValid {
        /// The key.
        kid: String,
        /// When the receipt was received.
        at: Timestamp,
    },
    /// The receipt says other purposes were read out than the notice's hotline purposes
    /// (`agent_script_mismatch`).
    AgentScriptMismatch,
    /// The countersignature does not verify with the server key it names
    /// (`countersignature_invalid`).
    CountersignatureInvalid,
    /// A signed ledger head is not well-formed (`head_malformed`).
    HeadMalformed(String),
    /// A signed ledger head names a key that is not in the server key set (`head_key_unknown`).
    HeadKeyUnknown(String),
    /// A signed ledger head is dated outside its key's lifetime (`head_outside_key_lifetime`).
    HeadOutsideKeyLifetime {
        /// The key's `kid`.
        kid: String,
        /// The head's time.
        at: Timestamp,
    },
    /// A signed ledger head's signature does not verify (`head_signature_invalid`).
    HeadSignatureInvalid,
    /// A decision's state does not fit its legal basis: a non-consent basis must be
    /// `not_applicable`, and consent must be given, refused, withdrawn or expired
    /// (`state_mismatch`).
    StateMismatch {
        /// The purpose.
        purpose: String,
        /// Its legal basis.
        legal_basis: String,
        /// The state recorded.
        state: DecisionState,
    },
}

impl VerifyError {
    /// The stable snake_case machine code of this failure.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::EnvelopeTooLarge { .. } => "envelope_too_large",
            VerifyError::EnvelopeMalformed(_) => "envelope_malformed",
            VerifyError::HeaderMalformed(_) => "header_malformed",
            VerifyError::HeaderNotCanonical => "header_not_canonical",
            VerifyError::AlgNone => "alg_none",
            VerifyError::AlgHmac(_) => "alg_hmac",
            VerifyError::AlgNotAllowed(_) => "alg_not_allowed",
            VerifyError::TypMismatch(_) => "typ_mismatch",
            VerifyError::JwkInvalid(_) => "jwk_invalid",
            VerifyError::KidMismatch => "kid_mismatch",
            VerifyError::SignatureMalformed(_) => "signature_malformed",
            VerifyError::SignatureInvalid => "signature_invalid",
            VerifyError::PayloadMalformed(_) => "payload_malformed",
            VerifyError::PayloadNotCanonical => "payload_not_canonical",
            VerifyError::PayloadNotNfc => "payload_not_nfc",
            VerifyError::ReceiptInvalid(_) => "receipt_invalid",
            VerifyError::ReceiptNotRoundTrip => "receipt_not_round_trip",
            VerifyError::SubjectMismatch => "subject_mismatch",
            VerifyError::NoticeUnknown { .. } => "notice_unknown",
            VerifyError::NoticeVersionUnknown { .. } => "notice_version_unknown",
            VerifyError::NoticeMismatch { .. } => "notice_mismatch",
            VerifyError::PurposeUnknown(_) => "purpose_unknown",
            VerifyError::PurposeMissing(_) => "purpose_missing",
            VerifyError::PurposeDuplicate(_) => "purpose_duplicate",
            VerifyError::PurposeOrder(_) => "purpose_order",
            VerifyError::PurposeMismatch { .. } => "purpose_mismatch",
            VerifyError::RequiredRefused(_) => "required_refused",
            VerifyError::JurisdictionMismatch => "jurisdiction_mismatch",
            VerifyError::SeparateConsentMismatch(_) => "separate_consent_mismatch",
            VerifyError::BarredForChild(_) => "barred_for_child",
            VerifyError::StateMismatch { .. } => "state_mismatch",
            VerifyError::CountersignatureMissing => "countersignature_missing",
            VerifyError::CountersignatureMalformed(_) => "countersignature_malformed",
            VerifyError::CountersignatureNotCanonical => "countersignature_not_canonical",
            VerifyError::CountersignatureKeyUnknown(_) => "countersignature_key_unknown",
            VerifyError::CountersignatureOutsideKeyLifetime { .. } => {
                "countersignature_outside_key_lifetime"
            }
            VerifyError::CountersignatureBindingMismatch => "countersignature_binding_mismatch",
            VerifyError::LinkInvalid(_) => "link_invalid",
            VerifyError::LinkExpired { .. } => "link_expired",
            VerifyError::AgentKeyUnknown(_) => "agent_key_unknown",
            VerifyError::AgentKeyMismatch { .. } => "agent_key_mismatch",
            VerifyError::AgentKeyNotValid { .. } => "agent_key_revoked",
            VerifyError::AgentScriptMismatch => "agent_script_mismatch",
            VerifyError::CountersignatureInvalid => "countersignature_invalid",
            VerifyError::HeadMalformed(_) => "head_malformed",
            VerifyError::HeadKeyUnknown(_) => "head_key_unknown",
            VerifyError::HeadOutsideKeyLifetime { .. } => "head_outside_key_lifetime",
            VerifyError::HeadSignatureInvalid => "head_signature_invalid",
        }
    }

    /// Whether the envelope itself could not be read (as opposed to being read and found
    /// wanting). The server answers the first kind with 400 and the second with 422.
    pub fn is_malformed_envelope(&self) -> bool {
        matches!(
            self,
            VerifyError::EnvelopeTooLarge { .. } | VerifyError::EnvelopeMalformed(_)
        )
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::EnvelopeTooLarge { size } => write!(
                f,
                "the envelope is {size} bytes; the limit is {MAX_ENVELOPE_BYTES}"
            ),
            VerifyError::EnvelopeMalformed(e) => write!(f, "malformed envelope: {e}"),
            VerifyError::HeaderMalformed(why) => write!(f, "malformed protected header: {why}"),
            VerifyError::HeaderNotCanonical => {
                f.write_str("the protected header is not in canonical JSON form")
            }
            VerifyError::AlgNone => f.write_str("the receipt is unsigned (alg \"none\")"),
            VerifyError::AlgHmac(a) => write!(
                f,
                "alg {a:?} is a shared-secret MAC, not a signature; only ES256 is accepted"
            ),
            VerifyError::AlgNotAllowed(a) => {
                write!(f, "alg {a:?} is not allowed; only ES256 is accepted")
            }
            VerifyError::TypMismatch(t) => write!(
                f,
                "typ is {t:?}, not this kind of document's (a receipt is {:?}, a request {:?})",
                jws::RECEIPT_TYP,
                crate::receipt::request::REQUEST_TYP
            ),
            VerifyError::JwkInvalid(why) => write!(f, "the header's key is not usable: {why}"),
            VerifyError::KidMismatch => {
                f.write_str("kid is not the RFC 7638 thumbprint of the header's key")
            }
            VerifyError::SignatureMalformed(why) => write!(f, "malformed signature: {why}"),
            VerifyError::SignatureInvalid => {
                f.write_str("the signature does not match the payload and the header's key")
            }
            VerifyError::PayloadMalformed(why) => write!(f, "malformed payload: {why}"),
            VerifyError::PayloadNotCanonical => {
                f.write_str("the payload is not in canonical JSON (RFC 8785) form")
            }
            VerifyError::PayloadNotNfc => {
                f.write_str("a string in the payload is not in Unicode Normalization Form C")
            }
            VerifyError::ReceiptInvalid(e) => write!(f, "not a valid receipt: {e}"),
            VerifyError::ReceiptNotRoundTrip => f.write_str(
                "the receipt uses a value form the receipt format never writes (alias or \
                 non-standard timestamp)",
            ),
            VerifyError::SubjectMismatch => {
                f.write_str("the receipt's subject is not the signing key's thumbprint")
            }
            VerifyError::NoticeUnknown { sha256 } => write!(
                f,
                "notice digest {} is not a published notice",
                sha256.to_hex()
            ),
            VerifyError::NoticeVersionUnknown { notice_id, version } => write!(
                f,
                "notice {notice_id:?} version {version:?} is not published (yet)"
            ),
            VerifyError::NoticeMismatch { field } => write!(
                f,
                "the notice digest is published for another {field} than the receipt states"
            ),
            VerifyError::PurposeUnknown(p) => {
                write!(f, "purpose {p:?} is not a purpose of this notice")
            }
            VerifyError::PurposeMissing(p) => write!(f, "no decision for purpose {p:?}"),
            VerifyError::PurposeDuplicate(p) => {
                write!(f, "purpose {p:?} has more than one decision")
            }
            VerifyError::PurposeOrder(p) => write!(
                f,
                "the decisions are not in the notice's purpose order (first out of place: {p:?})"
            ),
            VerifyError::PurposeMismatch { purpose, field } => write!(
                f,
                "purpose {purpose:?}: {field} differs from the published notice"
            ),
            VerifyError::RequiredRefused(p) => {
                write!(
                    f,
                    "required purpose {p:?} is recorded as refused, withdrawn or expired"
                )
            }
            VerifyError::JurisdictionMismatch => f.write_str(
                "the regimes applied are not those the published notice gives for the region",
            ),
            VerifyError::SeparateConsentMismatch(p) => write!(
                f,
                "purpose {p:?}: given without the consent step of its own that the regimes applied require, or marked separate without needing it"
            ),
            VerifyError::BarredForChild(p) => write!(
                f,
                "purpose {p:?} is given for a child, which a regime applied does not allow"
            ),
            VerifyError::StateMismatch {
                purpose,
                legal_basis,
                state,
            } => write!(
                f,
                "purpose {purpose:?} rests on {legal_basis:?} but is recorded as {:?}",
                state.as_str()
            ),
            VerifyError::CountersignatureMissing => {
                f.write_str("the receipt carries no server countersignature")
            }
            VerifyError::CountersignatureMalformed(why) => {
                write!(f, "malformed countersignature: {why}")
            }
            VerifyError::CountersignatureNotCanonical => {
                f.write_str("the countersignature's protected header is not in canonical JSON form")
            }
            VerifyError::CountersignatureKeyUnknown(kid) => write!(
                f,
                "the countersignature names server key {kid:?}, which is not in the key set"
            ),
            VerifyError::CountersignatureOutsideKeyLifetime { kid, at } => write!(
                f,
                "the countersignature is dated {}, outside the lifetime of server key {kid:?} \
                 (after its retirement or before its creation)",
                at.to_rfc3339()
            ),
            VerifyError::LinkInvalid(why) => write!(f, "the link token is not valid: {why}"),
            VerifyError::LinkExpired { exp, received } => write!(
                f,
                "the link token expired at {}; the receipt was received at {}",
                exp.to_rfc3339(),
                received.to_rfc3339()
            ),
            VerifyError::AgentKeyUnknown(kid) => write!(
                f,
                "the receipt is signed by the agent key {kid:?}, which is not in the agent key set"
            ),
            VerifyError::AgentKeyMismatch { claimed, holder } => write!(
                f,
                "the receipt names the agent {claimed:?}, but its key belongs to {holder:?}"
            ),
            VerifyError::AgentKeyNotValid { kid, at } => write!(
                f,
                "the agent key {kid:?} was not registered, or already revoked, at {}",
                at.to_rfc3339()
            ),
            VerifyError::AgentScriptMismatch => f.write_str(
                "agent.read_out is not the notice's hotline purposes: the script was not read in full",
            ),
            VerifyError::CountersignatureBindingMismatch => f.write_str(
                "the countersignature commits to another device signature (taken from another \
                 receipt)",
            ),
            VerifyError::CountersignatureInvalid => {
                f.write_str("the countersignature does not verify with the server key it names")
            }
            VerifyError::HeadMalformed(why) => write!(f, "malformed ledger head: {why}"),
            VerifyError::HeadKeyUnknown(kid) => write!(
                f,
                "the ledger head names server key {kid:?}, which is not in the key set"
            ),
            VerifyError::HeadOutsideKeyLifetime { kid, at } => write!(
                f,
                "the ledger head is dated {}, outside the lifetime of server key {kid:?} \
                 (after its retirement or before its creation)",
                at.to_rfc3339()
            ),
            VerifyError::HeadSignatureInvalid => {
                f.write_str("the ledger head's signature does not verify")
            }
        }
    }
}

impl core::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn core::error::Error + 'static)> {
        match self {
            VerifyError::EnvelopeMalformed(e) => Some(e),
            VerifyError::ReceiptInvalid(e) => Some(e),
            _ => None,
        }
    }
}

/// Verifies a receipt envelope: see the module documentation for the checks and their order.
pub fn verify(envelope: &[u8], policy: &VerifyPolicy) -> Result<VerifiedReceipt, VerifyError> {
    let Opened {
        jws,
        kid,
        payload,
        value,
    } = open(envelope, jws::RECEIPT_TYP)?;
    let receipt = Receipt::from_value(&value).map_err(VerifyError::ReceiptInvalid)?;
    if receipt.payload_bytes() != payload {
        return Err(VerifyError::ReceiptNotRoundTrip);
    }

    // 6. The subject is the device key.
    if receipt.subject != kid {
        return Err(VerifyError::SubjectMismatch);
    }

    // 7. Policy.
    check_policy(&receipt, policy)?;

    let payload_sha256 = Sha256Digest::of(&payload);
    let device = jws.signatures[0].clone();
    Ok(VerifiedReceipt {
        receipt,
        payload,
        payload_sha256,
        kid,
        payload_b64: jws.payload,
        device,
        signatures: jws.signatures.len(),
    })
}

/// A device-signed envelope whose signature checked out: its payload read strictly.
pub(crate) struct Opened {
    pub(crate) jws: Jws,
    pub(crate) kid: String,
    pub(crate) payload: Vec<u8>,
    pub(crate) value: Value,
}

/// Steps 1 to 5 of [`verify`], for any device-signed document of type `typ` (a receipt, a
/// data-subject request): size, envelope, the first signature's header and signature, then
/// the payload as canonical, NFC JSON.
pub(crate) fn open(envelope: &[u8], typ: &str) -> Result<Opened, VerifyError> {
    // 1. Size, then the envelope's structure.
    if envelope.len() > MAX_ENVELOPE_BYTES {
        return Err(VerifyError::EnvelopeTooLarge {
            size: envelope.len(),
        });
    }
    let jws = Jws::from_json(envelope).map_err(VerifyError::EnvelopeMalformed)?;

    // 2. The device signature comes first; countersignatures after it are not checked here.
    let device = jws
        .signatures
        .first()
        .ok_or(VerifyError::EnvelopeMalformed(JwsError::Shape(
            "signatures must not be empty",
        )))?;

    // 3. Its protected header.
    let (key, kid) = read_device_header(&device.protected, typ)?;

    // 4. The signature over `protected.payload`.
    let sig = es256_signature(&device.signature).map_err(VerifyError::SignatureMalformed)?;
    let input = jws::signing_input(&device.protected, &jws.payload);
    es256::verify(&key, input.as_bytes(), &sig).map_err(|_| VerifyError::SignatureInvalid)?;

    // 5. Only now the payload: authenticated bytes, still read strictly.
    let payload = b64url_decode(&jws.payload)
        .ok_or_else(|| VerifyError::PayloadMalformed("not unpadded base64url".into()))?;
    let value = json::parse(&payload).map_err(|e| VerifyError::PayloadMalformed(e.to_string()))?;
    if json::to_canonical_string(&value).as_bytes() != payload.as_slice() {
        return Err(VerifyError::PayloadNotCanonical);
    }
    if !all_nfc(&value) {
        return Err(VerifyError::PayloadNotNfc);
    }
    Ok(Opened {
        jws,
        kid,
        payload,
        value,
    })
}

/// Whether every string and member name in `v` is in Unicode NFC (receipt-format §3).
fn all_nfc(v: &Value) -> bool {
    use unicode_normalization::{IsNormalized, is_nfc_quick};
    let nfc = |s: &str| {
        s.is_ascii()
            || match is_nfc_quick(s.chars()) {
                IsNormalized::Yes => true,
                IsNormalized::No => false,
                IsNormalized::Maybe => unicode_normalization::is_nfc(s),
            }
    };
    match v {
        Value::Str(s) => nfc(s),
        Value::Arr(items) => items.iter().all(all_nfc),
        Value::Obj(members) => members.iter().all(|(k, v)| nfc(k) && all_nfc(v)),
        _ => true,
    }
}

/// A 64-byte raw `r‖s` ES256 signature from base64url.
pub(crate) fn es256_signature(b64: &str) -> Result<es256::Signature, &'static str> {
    let sig_bytes = b64url_decode(b64).ok_or("not unpadded base64url")?;
    es256::Signature::from_raw(&sig_bytes).map_err(|e| match e {
        es256::Es256Error::SignatureMalformed(why) => why,
        _ => "not an ES256 signature",
    })
}

/// A protected header: strict base64url → strict JSON object → canonical bytes. Errors are
/// built by `malformed` (the caller's variant) except for non-canonical form.
pub(crate) fn read_canonical_header(
    protected: &str,
    malformed: fn(String) -> VerifyError,
    not_canonical: VerifyError,
) -> Result<Value, VerifyError> {
    let bytes =
        b64url_decode(protected).ok_or_else(|| malformed("not unpadded base64url".into()))?;
    let header = json::parse(&bytes).map_err(|e| malformed(e.to_string()))?;
    if json::to_canonical_string(&header).as_bytes() != bytes.as_slice() {
        return Err(not_canonical);
    }
    if header.as_object().is_none() {
        return Err(malformed("not a JSON object".into()));
    }
    Ok(header)
}

/// `alg` of a header, on the allow-list (distinct errors for `none` and HMAC).
pub(crate) fn check_alg(
    header: &Value,
    malformed: fn(String) -> VerifyError,
) -> Result<(), VerifyError> {
    let alg = match header.get("alg") {
        Some(Value::Str(a)) => a.as_str(),
        Some(_) => return Err(malformed("alg must be a string".into())),
        None => return Err(malformed("missing alg".into())),
    };
    if alg.eq_ignore_ascii_case("none") {
        return Err(VerifyError::AlgNone);
    }
    if alg.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("HS")) {
        return Err(VerifyError::AlgHmac(alg.into()));
    }
    if !ALLOWED_ALGS.contains(&alg) {
        return Err(VerifyError::AlgNotAllowed(alg.into()));
    }
    Ok(())
}

fn read_device_header(
    protected: &str,
    expected_typ: &str,
) -> Result<(es256::PublicKey, String), VerifyError> {
    let malformed = |why: &str| VerifyError::HeaderMalformed(why.into());
    let header = read_canonical_header(
        protected,
        VerifyError::HeaderMalformed,
        VerifyError::HeaderNotCanonical,
    )?;
    let members = header.as_object().unwrap_or_default();
    check_alg(&header, VerifyError::HeaderMalformed)?;

    const MEMBERS: [&str; 4] = ["alg", "jwk", "kid", "typ"];
    if let Some((k, _)) = members.iter().find(|(k, _)| !MEMBERS.contains(&k.as_str())) {
        return Err(VerifyError::HeaderMalformed(alloc::format!(
            "unexpected member {k:?}"
        )));
    }
    if let Some(k) = MEMBERS.iter().find(|k| header.get(k).is_none()) {
        return Err(VerifyError::HeaderMalformed(alloc::format!(
            "missing member {k:?}"
        )));
    }

    let typ = header
        .get("typ")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("typ must be a string"))?;
    if typ != expected_typ {
        return Err(VerifyError::TypMismatch(typ.into()));
    }

    let jwk_value = header.get("jwk").unwrap_or(&Value::Null);
    let jwk =
        PublicJwk::from_value(jwk_value).map_err(|e| VerifyError::JwkInvalid(e.to_string()))?;
    let key = verifying_key(&jwk)?;

    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or_else(|| malformed("kid must be a string"))?;
    if kid != jwk.thumbprint() {
        return Err(VerifyError::KidMismatch);
    }
    Ok((key, kid.into()))
}

pub(crate) fn verifying_key(jwk: &PublicJwk) -> Result<es256::PublicKey, VerifyError> {
    let (Some(x), Some(y)) = (b64url_decode(&jwk.x), b64url_decode(&jwk.y)) else {
        return Err(VerifyError::JwkInvalid(
            "coordinates are not base64url".into(),
        ));
    };
    es256::PublicKey::from_coordinates(&x, &y)
        .map_err(|_| VerifyError::JwkInvalid("the point is not on the P-256 curve".into()))
}

fn check_policy(receipt: &Receipt, policy: &VerifyPolicy) -> Result<(), VerifyError> {
    // With a registry: the notice is a published one and the decisions are its purposes.
    if let Some(registry) = &policy.notices {
        let n = &receipt.notice;
        let Some(bundle) = registry.get(&n.sha256) else {
            // Text that was never published under a version that was is final; a version that
            // is not published here at all may be published later.
            return Err(if registry.has_version(n.notice_id.as_str(), &n.version) {
                VerifyError::NoticeUnknown { sha256: n.sha256 }
            } else {
                VerifyError::NoticeVersionUnknown {
                    notice_id: n.notice_id.as_str().into(),
                    version: n.version.clone(),
                }
            });
        };
        if bundle.notice_id != n.notice_id {
            return Err(VerifyError::NoticeMismatch { field: "notice_id" });
        }
        if bundle.version != n.version {
            return Err(VerifyError::NoticeMismatch { field: "version" });
        }
        if bundle.locale != n.locale {
            return Err(VerifyError::NoticeMismatch { field: "locale" });
        }
        for d in &receipt.decisions {
            if bundle.purpose(d.purpose_id.as_str()).is_none() {
                return Err(VerifyError::PurposeUnknown(d.purpose_id.as_str().into()));
            }
        }
        check_unique(receipt)?;
        if let Some(a) = &receipt.agent
            && !a
                .read_out
                .iter()
                .eq(crate::receipt::agent::hotline_purposes(bundle).map(|p| &p.id))
        {
            return Err(VerifyError::AgentScriptMismatch);
        }
        // Receipts since several regimes could apply at once record them all: they must be
        // what the notice's map gives, and each purpose is checked against what they require.
        let j = &receipt.jurisdiction;
        let multi = !j.regimes.is_empty();
        if multi && crate::region::regimes_of(j, &bundle.regions) != j.regimes {
            return Err(VerifyError::JurisdictionMismatch);
        }
        let child = receipt.indicated_by == crate::receipt::IndicatedBy::Guardian;
        if child && multi && j.child_age().is_none() {
            return Err(VerifyError::JurisdictionMismatch);
        }
        let applied = j.applied();
        let plain = j.in_force(&applied, false, false);
        let actual = j.in_force(&applied, receipt.gpc, child);
        // Every purpose once, none other (checked above and here), and in notice order.
        for (p, d) in bundle.purposes.iter().zip(&receipt.decisions) {
            if p.id != d.purpose_id && receipt.decisions.iter().any(|x| x.purpose_id == p.id) {
                return Err(VerifyError::PurposeOrder(d.purpose_id.as_str().into()));
            }
        }
        for p in &bundle.purposes {
            let Some(d) = receipt.decisions.iter().find(|d| d.purpose_id == p.id) else {
                return Err(VerifyError::PurposeMissing(p.id.as_str().into()));
            };
            let (basis, separate_ok) = if multi {
                let needs = requirement(p, &plain).gate == Gate::Separate;
                let opted_in = receipt.gpc_opt_ins.contains(&p.id);
                if requirement(p, &actual).gate == Gate::Barred && d.state == DecisionState::Given {
                    return Err(VerifyError::BarredForChild(p.id.as_str().into()));
                }
                let ok = if d.separate_consent {
                    needs || opted_in
                } else {
                    !(needs && d.state == DecisionState::Given)
                };
                (requirement(p, &plain).basis, ok)
            } else {
                (
                    p.legal_basis.as_str(),
                    d.separate_consent == p.separate_consent,
                )
            };
            if !separate_ok && multi {
                return Err(VerifyError::SeparateConsentMismatch(p.id.as_str().into()));
            }
            let field = if d.legal_basis != basis {
                Some("legal_basis")
            } else if d.required != p.required {
                Some("required")
            } else if !separate_ok {
                Some("separate_consent")
            } else if d.sensitive != p.sensitive {
                Some("sensitive")
            } else if d.retention != p.retention {
                Some("retention")
            } else if d.recipients != p.recipients {
                Some("recipients")
            } else if !same_transfers(&d.transfers, &p.transfers) {
                Some("transfers")
            } else {
                None
            };
            if let Some(field) = field {
                return Err(VerifyError::PurposeMismatch {
                    purpose: p.id.as_str().into(),
                    field,
                });
            }
        }
    } else {
        check_unique(receipt)?;
    }

    // Always: the states fit the purposes as the receipt (now checked) describes them.
    for d in &receipt.decisions {
        if d.required
            && matches!(
                d.state,
                DecisionState::Refused | DecisionState::Withdrawn | DecisionState::Expired
            )
        {
            return Err(VerifyError::RequiredRefused(d.purpose_id.as_str().into()));
        }
        let consent = d.legal_basis == "consent";
        let fits = match d.state {
            // Before several regimes, an optional purpose on another basis was recorded as
            // not applicable; since, only a required one is.
            DecisionState::NotApplicable => {
                !consent && (d.required || receipt.jurisdiction.regimes.is_empty())
            }
            DecisionState::Objected | DecisionState::NotObjected => !consent && !d.required,
            // Receipts from before `objected` existed recorded an optional purpose on another
            // basis as given or refused only when its main basis was consent.
            _ => consent,
        };
        if !fits {
            return Err(VerifyError::StateMismatch {
                purpose: d.purpose_id.as_str().into(),
                legal_basis: d.legal_basis.clone(),
                state: d.state,
            });
        }
    }
    Ok(())
}

/// A receipt records each transfer's destination and safeguard (not the recipient's name or
/// contact link, which are notice text): those must match the published notice, in order.
fn same_transfers(
    recorded: &[crate::bundle::Transfer],
    published: &[crate::bundle::Transfer],
) -> bool {
    recorded.len() == published.len()
        && recorded
            .iter()
            .zip(published)
            .all(|(r, p)| r.destination == p.destination && r.safeguard == p.safeguard)
}

fn check_unique(receipt: &Receipt) -> Result<(), VerifyError> {
    for (i, d) in receipt.decisions.iter().enumerate() {
        if receipt.decisions[..i]
            .iter()
            .any(|e| e.purpose_id == d.purpose_id)
        {
            return Err(VerifyError::PurposeDuplicate(d.purpose_id.as_str().into()));
        }
    }
    Ok(())
}

pub mod es256;
mod keys;
mod ledger;
mod server;

pub use keys::{
    AgentJwk, AgentKey, JwksEntry, KeySet, KeySetError, KeyStatus, ServerKey, agent_jwks_json,
    jwks_json,
};
pub use ledger::{LedgerCheck, LedgerError, LedgerErrorKind, verify_ledger_export};
pub use server::{
    check_agent, check_link, check_receipt_link, verify_countersignature, verify_countersigned,
    verify_ledger_head, verify_request,
};

#[cfg(test)]
mod agent_tests;
#[cfg(test)]
mod es256_tests;
#[cfg(test)]
mod request_tests;
#[cfg(test)]
mod server_tests;
#[cfg(test)]
mod tests;
