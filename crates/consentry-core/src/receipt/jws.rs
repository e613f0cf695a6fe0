//! The signed envelope: JWS General JSON Serialization (RFC 7515 §7.2.1), ES256.
//!
//! ```json
//! { "payload": "<b64url(canonical receipt)>",
//!   "signatures": [ { "protected": "<b64url(canonical header)>", "signature": "<b64url(r‖s)>" } ] }
//! ```
//! The device header is `{"alg":"ES256","jwk":{…P-256 public key…},"kid":"<RFC 7638
//! thumbprint>","typ":"consentry-receipt+jws"}`. WebCrypto's ECDSA output is the raw 64-byte
//! `r‖s` (IEEE P1363), which is exactly the JWS ES256 signature format: no DER anywhere.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encoding::{Sha256Digest, b64url, b64url_decode};
use crate::json::{self, Value};

/// `typ` of a device-signed receipt.
pub const RECEIPT_TYP: &str = "consentry-receipt+jws";

/// The largest envelope a verifier reads (the server's body limit is the same).
pub const MAX_ENVELOPE_BYTES: usize = 64 * 1024;

/// A P-256 public key as a JWK (RFC 7517 / RFC 7518 §6.2.1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicJwk {
    /// x coordinate, base64url of 32 bytes.
    pub x: String,
    /// y coordinate, base64url of 32 bytes.
    pub y: String,
}

impl PublicJwk {
    /// The JWK as a JSON value: `{"crv":"P-256","kty":"EC","x":…,"y":…}`.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("crv", Value::str("P-256")),
            ("kty", Value::str("EC")),
            ("x", Value::str(self.x.clone())),
            ("y", Value::str(self.y.clone())),
        ])
    }

    /// RFC 7638 thumbprint: base64url(SHA-256(canonical {crv,kty,x,y})). This is the device's
    /// pseudonym and the `kid` of its signatures.
    pub fn thumbprint(&self) -> String {
        b64url(&Sha256Digest::of(json::to_canonical_string(&self.to_value()).as_bytes()).0)
    }

    /// Reads a JWK object; only `crv`, `kty`, `x`, `y` (and the informational `ext`,
    /// `key_ops` that WebCrypto's export adds) are allowed, and the coordinates must decode to
    /// exactly 32 bytes each.
    pub fn from_value(v: &Value) -> Result<Self, JwsError> {
        let m = v.as_object().ok_or(JwsError::BadJwk("not an object"))?;
        if m.iter()
            .any(|(k, _)| !matches!(k.as_str(), "crv" | "kty" | "x" | "y" | "ext" | "key_ops"))
        {
            return Err(JwsError::BadJwk("unexpected member"));
        }
        if v.get("kty").and_then(Value::as_str) != Some("EC") {
            return Err(JwsError::BadJwk("kty must be EC"));
        }
        if v.get("crv").and_then(Value::as_str) != Some("P-256") {
            return Err(JwsError::BadJwk("crv must be P-256"));
        }
        let coord = |k: &str| -> Result<String, JwsError> {
            let s = v
                .get(k)
                .and_then(Value::as_str)
                .ok_or(JwsError::BadJwk("missing coordinate"))?;
            match b64url_decode(s) {
                Some(b) if b.len() == 32 => Ok(s.into()),
                _ => Err(JwsError::BadJwk("coordinate is not 32 bytes of base64url")),
            }
        };
        Ok(Self {
            x: coord("x")?,
            y: coord("y")?,
        })
    }
}

/// The protected header a device signs with, base64url-encoded canonical JSON.
pub fn device_protected_header(jwk: &PublicJwk) -> String {
    typed_protected_header(jwk, RECEIPT_TYP)
}

/// The protected header a device signs a document of type `typ` with (a receipt, a
/// data-subject request), base64url-encoded canonical JSON.
pub fn typed_protected_header(jwk: &PublicJwk, typ: &str) -> String {
    let header = Value::object([
        ("alg", Value::str("ES256")),
        ("jwk", jwk.to_value()),
        ("kid", Value::str(jwk.thumbprint())),
        ("typ", Value::str(typ)),
    ]);
    b64url(json::to_canonical_string(&header).as_bytes())
}

/// The JWS signing input: `ASCII(protected || '.' || payload)`.
pub fn signing_input(protected_b64: &str, payload_b64: &str) -> String {
    let mut s = String::with_capacity(protected_b64.len() + 1 + payload_b64.len());
    s.push_str(protected_b64);
    s.push('.');
    s.push_str(payload_b64);
    s
}

/// One signature of the envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JwsSignature {
    /// base64url of the canonical protected header.
    pub protected: String,
    /// base64url of the signature bytes.
    pub signature: String,
}

/// A receipt envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Jws {
    /// base64url of the canonical payload.
    pub payload: String,
    /// Signatures: the device's first, then any countersignatures.
    pub signatures: Vec<JwsSignature>,
}

impl Jws {
    /// Serializes the envelope (canonical JSON).
    pub fn to_json(&self) -> String {
        json::to_canonical_string(&Value::object([
            ("payload", Value::str(self.payload.clone())),
            (
                "signatures",
                Value::Arr(
                    self.signatures
                        .iter()
                        .map(|s| {
                            Value::object([
                                ("protected", Value::str(s.protected.clone())),
                                ("signature", Value::str(s.signature.clone())),
                            ])
                        })
                        .collect(),
                ),
            ),
        ]))
    }

    /// Reads an envelope. Structure only: nothing is decoded or verified here.
    pub fn from_json(bytes: &[u8]) -> Result<Self, JwsError> {
        if bytes.len() > MAX_ENVELOPE_BYTES {
            return Err(JwsError::TooLarge);
        }
        let v = json::parse(bytes).map_err(JwsError::Json)?;
        let m = v
            .as_object()
            .ok_or(JwsError::Shape("the envelope must be a JSON object"))?;
        if let Some((k, _)) = m.iter().find(|(k, _)| k != "payload" && k != "signatures") {
            return Err(JwsError::UnknownMember(k.clone()));
        }
        let payload = v
            .get("payload")
            .and_then(Value::as_str)
            .ok_or(JwsError::Shape("payload must be a string"))?;
        let sigs = v
            .get("signatures")
            .and_then(Value::as_array)
            .ok_or(JwsError::Shape("signatures must be an array"))?;
        if sigs.is_empty() {
            return Err(JwsError::Shape("signatures must not be empty"));
        }
        let mut signatures = Vec::with_capacity(sigs.len());
        for s in sigs {
            let sm = s
                .as_object()
                .ok_or(JwsError::Shape("each signature must be an object"))?;
            if let Some((k, _)) = sm
                .iter()
                .find(|(k, _)| k != "protected" && k != "signature")
            {
                // An unprotected `header` is not allowed: everything a verifier relies on is signed.
                return Err(JwsError::UnknownMember(k.clone()));
            }
            signatures.push(JwsSignature {
                protected: s
                    .get("protected")
                    .and_then(Value::as_str)
                    .ok_or(JwsError::Shape("protected must be a string"))?
                    .into(),
                signature: s
                    .get("signature")
                    .and_then(Value::as_str)
                    .ok_or(JwsError::Shape("signature must be a string"))?
                    .into(),
            });
        }
        Ok(Self {
            payload: payload.into(),
            signatures,
        })
    }
}

/// Why an envelope is malformed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum JwsError {
    /// Larger than [`MAX_ENVELOPE_BYTES`].
    TooLarge,
    /// Not strict JSON.
    Json(json::JsonError),
    /// Wrong structure.
    Shape(&'static str),
    /// A member the envelope does not define.
    UnknownMember(String),
    /// The embedded key is not a P-256 public JWK.
    BadJwk(&'static str),
}

impl fmt::Display for JwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // Pieces only, no formatting machinery (the widget's first module links this).
            JwsError::TooLarge => {
                let mut s = String::from("envelope larger than ");
                json::push_int(&mut s, MAX_ENVELOPE_BYTES as i64);
                s.push_str(" bytes");
                f.write_str(&s)
            }
            JwsError::Json(e) => {
                f.write_str("envelope is not valid JSON: ")?;
                e.fmt(f)
            }
            JwsError::Shape(s) => f.write_str(s),
            JwsError::UnknownMember(m) => {
                f.write_str("unknown envelope member \"")?;
                f.write_str(m)?;
                f.write_str("\"")
            }
            JwsError::BadJwk(s) => {
                f.write_str("bad JWK: ")?;
                f.write_str(s)
            }
        }
    }
}

impl core::error::Error for JwsError {}
