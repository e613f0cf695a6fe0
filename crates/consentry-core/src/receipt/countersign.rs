//! The server's countersignature: a second entry in the envelope's `signatures[]`.
//!
//! In JWS General JSON Serialization every signature covers only its own protected header and
//! the payload (RFC 7515 §7.2.1), so two parallel signatures would not bind each other. The
//! countersignature's protected header therefore commits to the device signature, and records
//! when and where the server logged the receipt:
//!
//! ```json
//! {"alg":"ES256",
//!  "ccr_cs":"<hex SHA-256 of ASCII(device.protected || '.' || device.signature)>",
//!  "ccr_log":{"index":17,"log_id":"consentry","prev":"<hex hash of ledger entry 16>",
//!             "subject_chain":"linked"},
//!  "ccr_recv":"2026-11-27T10:15:02.123Z",
//!  "crit":["ccr_cs","ccr_log","ccr_recv"],
//!  "kid":"<RFC 7638 thumbprint of the server key>",
//!  "typ":"consentry-countersignature+jws"}
//! ```
//!
//! `crit` lists the non-standard members so that a generic JOSE verifier that does not know
//! them rejects the signature instead of silently ignoring what it commits to (RFC 7515
//! §4.1.11). The header is written in canonical JSON (RFC 8785) and verifiers require that.
//! Building the header needs no cryptography; the server signs `signing_input(header,
//! payload)` with its own key, and [`crate::receipt::verify::verify_countersignature`] checks it.

use alloc::string::String;

use super::jws::{JwsSignature, signing_input};
use crate::encoding::{Sha256Digest, b64url};
use crate::json::{self, Value};
use crate::time::Timestamp;

/// `typ` of a countersignature.
pub const COUNTERSIGN_TYP: &str = "consentry-countersignature+jws";

/// The non-standard header members a countersignature marks critical, in canonical order.
pub const CRIT: [&str; 3] = ["ccr_cs", "ccr_log", "ccr_recv"];

/// The `prev` of the first ledger entry: 32 zero bytes.
pub const GENESIS: Sha256Digest = Sha256Digest([0; 32]);

/// How a receipt fits its subject's chain when the server logged it.
///
/// The chain is per subject (device key) and notice id, exactly as the widget keeps it: a
/// receipt continues it when its `chain.prev_receipt_id` and `chain.prev_receipt_sha256` name
/// the last receipt the server logged for the same subject and notice and its
/// `chain.subject_seq` is that receipt's plus one; the first receipt has `subject_seq` 0 and no
/// previous receipt. The server refuses anything else (`chain_conflict`, see
/// [`ChainTip`]); `broken` is only found in ledgers written before it did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SubjectChain {
    /// The subject's first receipt for this notice: `subject_seq` 0, no previous receipt.
    Start,
    /// It continues the subject's last logged receipt for this notice.
    Linked,
    /// Anything else (a gap, a fork, a jump in `subject_seq`, a restart). Servers since
    /// issue 13 refuse such a receipt; older ledgers kept it flagged for review.
    Broken,
}

/// The last receipt the server logged for one subject and notice: what the next one must
/// continue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainTip {
    /// Its receipt id.
    pub receipt_id: crate::ids::ReceiptId,
    /// SHA-256 of its payload.
    pub payload_sha256: Sha256Digest,
    /// Its `chain.subject_seq`.
    pub subject_seq: u64,
}

impl ChainTip {
    /// The tip a receipt makes once logged.
    pub fn of(receipt: &super::Receipt, payload_sha256: Sha256Digest) -> Self {
        Self {
            receipt_id: receipt.receipt_id.clone(),
            payload_sha256,
            subject_seq: receipt.chain.subject_seq,
        }
    }

    /// The `subject_seq` the next receipt must carry; `None` when the chain has reached the
    /// largest integer a receipt can hold (2^53 − 1).
    pub fn next_seq(&self) -> Option<u64> {
        self.subject_seq
            .checked_add(1)
            .filter(|n| i64::try_from(*n).is_ok_and(|n| n <= json::MAX_SAFE_INT))
    }

    /// What a refused receipt's sender needs to continue the chain, as JSON:
    /// `{"prev_receipt_id","prev_receipt_sha256","subject_seq"}` (`subject_seq` absent when the
    /// chain cannot grow).
    pub fn expected_value(tip: Option<&Self>) -> Value {
        match tip {
            None => Value::object([("subject_seq", Value::Int(0))]),
            Some(t) => {
                let mut m = alloc::vec![
                    (
                        String::from("prev_receipt_id"),
                        Value::str(t.receipt_id.as_str())
                    ),
                    (
                        String::from("prev_receipt_sha256"),
                        Value::str(t.payload_sha256.to_hex())
                    ),
                ];
                if let Some(n) = t.next_seq().and_then(|n| i64::try_from(n).ok()) {
                    m.push((String::from("subject_seq"), Value::Int(n)));
                }
                Value::Obj(m)
            }
        }
    }
}

impl SubjectChain {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectChain::Start => "start",
            SubjectChain::Linked => "linked",
            SubjectChain::Broken => "broken",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "start" => Some(SubjectChain::Start),
            "linked" => Some(SubjectChain::Linked),
            "broken" => Some(SubjectChain::Broken),
            _ => None,
        }
    }

    /// Classifies a receipt's `chain` against the subject's last logged receipt for the same
    /// notice: the one rule the server (to refuse) and `consentry verify --ledger` (to check
    /// the flags) both apply.
    pub fn classify(chain: &super::Chain, tip: Option<&ChainTip>) -> Self {
        match (&chain.prev, tip) {
            (None, None) if chain.subject_seq == 0 => SubjectChain::Start,
            (Some((id, h)), Some(t))
                if *id == t.receipt_id
                    && *h == t.payload_sha256
                    && t.next_seq() == Some(chain.subject_seq) =>
            {
                SubjectChain::Linked
            }
            _ => SubjectChain::Broken,
        }
    }
}

/// Where in the ledger a receipt was logged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerPosition {
    /// Which ledger (one per deployment; e.g. `consentry` or `eu-1`).
    pub log_id: String,
    /// 1 for the first entry, then +1 per entry, without gaps.
    pub index: u64,
    /// Hash of the previous ledger entry ([`GENESIS`] for index 1).
    pub prev: Sha256Digest,
    /// The per-subject chain check.
    pub subject_chain: SubjectChain,
}

/// What a countersignature's protected header states.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Countersignature {
    /// The server key's `kid` (its RFC 7638 thumbprint).
    pub kid: String,
    /// SHA-256 of the device signature (see [`device_commitment`]).
    pub device_commitment: Sha256Digest,
    /// Server time of receipt: the authoritative time of the record.
    pub received_at: Timestamp,
    /// Ledger position.
    pub position: LedgerPosition,
}

/// `SHA-256(ASCII(protected || '.' || signature))` of the device signature: what a
/// countersignature commits to.
pub fn device_commitment(device: &JwsSignature) -> Sha256Digest {
    let mut s = String::with_capacity(device.protected.len() + 1 + device.signature.len());
    s.push_str(&device.protected);
    s.push('.');
    s.push_str(&device.signature);
    Sha256Digest::of(s.as_bytes())
}

impl Countersignature {
    /// The protected header as a JSON value.
    pub fn header_value(&self) -> Value {
        let p = &self.position;
        Value::object([
            ("alg", Value::str("ES256")),
            ("ccr_cs", Value::str(self.device_commitment.to_hex())),
            (
                "ccr_log",
                Value::object([
                    (
                        "index",
                        Value::Int(i64::try_from(p.index).unwrap_or(json::MAX_SAFE_INT)),
                    ),
                    ("log_id", Value::str(p.log_id.clone())),
                    ("prev", Value::str(p.prev.to_hex())),
                    ("subject_chain", Value::str(p.subject_chain.as_str())),
                ]),
            ),
            ("ccr_recv", Value::str(self.received_at.to_rfc3339())),
            (
                "crit",
                Value::Arr(CRIT.iter().map(|c| Value::str(*c)).collect()),
            ),
            ("kid", Value::str(self.kid.clone())),
            ("typ", Value::str(COUNTERSIGN_TYP)),
        ])
    }

    /// The protected header: base64url of its canonical JSON.
    pub fn protected_header(&self) -> String {
        b64url(json::to_canonical_string(&self.header_value()).as_bytes())
    }

    /// The bytes the server signs: `ASCII(protected || '.' || payload)`.
    pub fn signing_input(&self, payload_b64: &str) -> String {
        signing_input(&self.protected_header(), payload_b64)
    }
}
