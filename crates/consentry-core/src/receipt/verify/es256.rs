//! The ES256 primitive (ECDSA over P-256 with SHA-256, raw 64-byte `r‖s` signatures as
//! WebCrypto emits them) under [`verify`](super::verify), the countersignature check and the
//! ledger-head check.
//!
//! Parsing is the same whatever the backend, and always done with `p256`:
//! - a public key is an uncompressed SEC1 point (`0x04‖x‖y`, 32-byte coordinates) that lies on
//!   the curve ([`PublicKey`]);
//! - a signature is exactly 64 bytes with `r` and `s` in `1..n` ([`Signature`]).
//!
//! Only then does a backend check the signature over the message:
//! - [`Backend::P256`]: the `p256` crate (pure Rust), on every target; the only one on wasm32;
//! - [`Backend::Ring`] (feature `fast-verify`, native targets only): `ring`'s P-256, which has
//!   hand-written assembly for x86_64 and aarch64 and is several times faster. The receipt
//!   server and the CLI select it; the widget never does.
//!
//! Both backends accept exactly the same signatures: high-S signatures are valid for both (the
//! device's WebCrypto emits either), everything else that is not a valid signature is refused
//! by both (tests in `es256_tests.rs`, over valid, high-S, bit-flipped, zero, out-of-range and
//! off-curve inputs, also with the parsing step bypassed).

use p256::ecdsa::signature::Verifier as _;
use p256::ecdsa::{Signature as P256Signature, VerifyingKey};

/// A signature backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// The `p256` crate (pure Rust; every target).
    P256,
    /// `ring`'s P-256 (assembly on x86_64 and aarch64; feature `fast-verify`, not on wasm32).
    #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
    Ring,
}

impl Backend {
    /// The backend [`verify`] uses in this build: [`Backend::Ring`] with the `fast-verify`
    /// feature on a native target, else [`Backend::P256`].
    pub const fn active() -> Self {
        #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
        {
            Backend::Ring
        }
        #[cfg(not(all(feature = "fast-verify", not(target_arch = "wasm32"))))]
        {
            Backend::P256
        }
    }

    /// Every backend compiled into this build.
    pub const ALL: &'static [Backend] = &[
        Backend::P256,
        #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
        Backend::Ring,
    ];

    /// A short name with the crate version (`p256 0.14`, `ring 0.17`).
    pub const fn name(self) -> &'static str {
        match self {
            Backend::P256 => "p256 0.14",
            #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
            Backend::Ring => "ring 0.17",
        }
    }
}

/// Why an ES256 key, signature or check failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Es256Error {
    /// The key is not an uncompressed P-256 point on the curve (wrong length or prefix,
    /// coordinate not below the field prime, or not on the curve).
    KeyInvalid,
    /// The signature is not 64 bytes, or `r` or `s` is zero or not below the group order.
    SignatureMalformed(&'static str),
    /// The signature does not verify over the message with the key.
    SignatureInvalid,
}

impl core::fmt::Display for Es256Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Es256Error::KeyInvalid => f.write_str("the key is not a point on the P-256 curve"),
            Es256Error::SignatureMalformed(why) => write!(f, "malformed signature: {why}"),
            Es256Error::SignatureInvalid => f.write_str("the signature does not verify"),
        }
    }
}

impl core::error::Error for Es256Error {}

/// A P-256 public key: a checked point, with its SEC1 bytes for the backends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKey {
    key: VerifyingKey,
    sec1: [u8; 65],
}

impl PublicKey {
    /// From an uncompressed SEC1 encoding (`0x04‖x‖y`): the point must be on the curve.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Es256Error> {
        let sec1: [u8; 65] = bytes.try_into().map_err(|_| Es256Error::KeyInvalid)?;
        if sec1[0] != 0x04 {
            return Err(Es256Error::KeyInvalid);
        }
        let key = VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| Es256Error::KeyInvalid)?;
        Ok(Self { key, sec1 })
    }

    /// From the JWK coordinates `x` and `y` (32 bytes each, big-endian).
    pub fn from_coordinates(x: &[u8], y: &[u8]) -> Result<Self, Es256Error> {
        if x.len() != 32 || y.len() != 32 {
            return Err(Es256Error::KeyInvalid);
        }
        let mut sec1 = [0u8; 65];
        sec1[0] = 0x04;
        sec1[1..33].copy_from_slice(x);
        sec1[33..].copy_from_slice(y);
        Self::from_sec1(&sec1)
    }

    /// The uncompressed SEC1 encoding.
    pub fn sec1(&self) -> &[u8; 65] {
        &self.sec1
    }
}

/// An ES256 signature: 64 bytes `r‖s`, both in `1..n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Signature {
    sig: P256Signature,
    raw: [u8; 64],
}

impl Signature {
    /// From the raw bytes `r‖s` (WebCrypto's format, not DER).
    pub fn from_raw(bytes: &[u8]) -> Result<Self, Es256Error> {
        let raw: [u8; 64] = bytes
            .try_into()
            .map_err(|_| Es256Error::SignatureMalformed("ES256 signatures are 64 bytes (r‖s)"))?;
        let sig = P256Signature::from_slice(&raw)
            .map_err(|_| Es256Error::SignatureMalformed("r or s is zero or not below the order"))?;
        Ok(Self { sig, raw })
    }

    /// The raw bytes `r‖s`.
    pub fn raw(&self) -> &[u8; 64] {
        &self.raw
    }
}

/// Verifies `sig` over `msg` (hashed with SHA-256 here) with `key`, on the active backend.
pub fn verify(key: &PublicKey, msg: &[u8], sig: &Signature) -> Result<(), Es256Error> {
    verify_with(Backend::active(), key, msg, sig)
}

/// Verifies on a given backend (benchmarks and the backend agreement tests).
pub fn verify_with(
    backend: Backend,
    key: &PublicKey,
    msg: &[u8],
    sig: &Signature,
) -> Result<(), Es256Error> {
    let ok = match backend {
        Backend::P256 => key.key.verify(msg, &sig.sig).is_ok(),
        #[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
        Backend::Ring => ring_primitive(&key.sec1, msg, &sig.raw),
    };
    if ok {
        Ok(())
    } else {
        Err(Es256Error::SignatureInvalid)
    }
}

/// `ring`'s check alone, on unchecked bytes (ring parses and checks the point and the scalars
/// itself; the tests use this to show it refuses what the parsing step refuses).
#[cfg(all(feature = "fast-verify", not(target_arch = "wasm32")))]
pub(crate) fn ring_primitive(sec1: &[u8], msg: &[u8], raw: &[u8]) -> bool {
    ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_FIXED, sec1)
        .verify(msg, raw)
        .is_ok()
}

/// `p256`'s parse and check alone, on unchecked bytes (the tests' counterpart of
/// [`ring_primitive`]).
#[cfg(test)]
pub(crate) fn p256_primitive(sec1: &[u8], msg: &[u8], raw: &[u8]) -> bool {
    let Ok(key) = VerifyingKey::from_sec1_bytes(sec1) else {
        return false;
    };
    let Ok(sig) = P256Signature::from_slice(raw) else {
        return false;
    };
    key.verify(msg, &sig).is_ok()
}
