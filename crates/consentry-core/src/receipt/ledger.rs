//! The append-only, hash-chained receipt ledger: entries, the signed head, export lines, and
//! the current consent state computed from a subject's chain.
//!
//! Every receipt the server accepts becomes one ledger entry. An entry is the canonical JSON
//! object
//!
//! ```json
//! {"cs":"<device commitment>","index":17,"kid":"<server kid>","log_id":"consentry",
//!  "prev":"<entry_hash of entry 16>","receipt_id":"urn:uuid:…","receipt_sha256":"<payload hash>",
//!  "recv":"2026-11-27T10:15:02.123Z","subject":"<device thumbprint>","subject_chain":"linked"}
//! ```
//!
//! and its `entry_hash` is the SHA-256 of those canonical bytes. Each entry names the hash of
//! the one before it (`prev`; 64 zeros for index 1), so deleting, inserting, reordering or
//! editing any entry breaks every later link. Every member of an entry is also stated by the
//! receipt's payload (`receipt_id`, `receipt_sha256`, `subject`) or by the server's
//! countersignature (the rest), so an export of countersigned receipts is enough to rebuild
//! and check the whole chain offline: [`crate::receipt::verify::verify_ledger_export`].

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::countersign::{ChainTip, Countersignature, LedgerPosition, SubjectChain};
use super::jws::Jws;
use super::{DecisionState, Receipt};
use crate::encoding::Sha256Digest;
use crate::ids::{PurposeId, ReceiptId};
use crate::json::{self, Value};
use crate::time::Timestamp;

/// `typ` of a signed ledger head.
pub const HEAD_TYP: &str = "consentry-ledger-head+jws";

/// One ledger entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerEntry {
    /// The ledger.
    pub log_id: String,
    /// Position, from 1.
    pub index: u64,
    /// `entry_hash` of the previous entry ([`super::countersign::GENESIS`] for index 1).
    pub prev: Sha256Digest,
    /// The receipt.
    pub receipt_id: ReceiptId,
    /// SHA-256 of the receipt's payload bytes.
    pub receipt_sha256: Sha256Digest,
    /// The receipt's subject (device key thumbprint).
    pub subject: String,
    /// SHA-256 of the device signature (`ccr_cs`).
    pub device_commitment: Sha256Digest,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// The server key that countersigned it.
    pub kid: String,
    /// The per-subject chain check.
    pub subject_chain: SubjectChain,
}

impl LedgerEntry {
    /// The entry a countersignature and its receipt describe.
    pub fn from_countersigned(
        receipt: &Receipt,
        receipt_sha256: Sha256Digest,
        cs: &Countersignature,
    ) -> Self {
        Self {
            log_id: cs.position.log_id.clone(),
            index: cs.position.index,
            prev: cs.position.prev,
            receipt_id: receipt.receipt_id.clone(),
            receipt_sha256,
            subject: receipt.subject.clone(),
            device_commitment: cs.device_commitment,
            received_at: cs.received_at,
            kid: cs.kid.clone(),
            subject_chain: cs.position.subject_chain,
        }
    }

    /// The countersignature that states this entry.
    pub fn countersignature(&self) -> Countersignature {
        Countersignature {
            kid: self.kid.clone(),
            device_commitment: self.device_commitment,
            received_at: self.received_at,
            position: LedgerPosition {
                log_id: self.log_id.clone(),
                index: self.index,
                prev: self.prev,
                subject_chain: self.subject_chain,
            },
        }
    }

    /// The entry as a JSON value.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("cs", Value::str(self.device_commitment.to_hex())),
            (
                "index",
                Value::Int(i64::try_from(self.index).unwrap_or(json::MAX_SAFE_INT)),
            ),
            ("kid", Value::str(self.kid.clone())),
            ("log_id", Value::str(self.log_id.clone())),
            ("prev", Value::str(self.prev.to_hex())),
            ("receipt_id", Value::str(self.receipt_id.as_str())),
            ("receipt_sha256", Value::str(self.receipt_sha256.to_hex())),
            ("recv", Value::str(self.received_at.to_rfc3339())),
            ("subject", Value::str(self.subject.clone())),
            ("subject_chain", Value::str(self.subject_chain.as_str())),
        ])
    }

    /// The canonical bytes that [`LedgerEntry::hash`] hashes.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        json::to_canonical_string(&self.to_value()).into_bytes()
    }

    /// `entry_hash`: SHA-256 of the canonical bytes.
    pub fn hash(&self) -> Sha256Digest {
        Sha256Digest::of(&self.canonical_bytes())
    }

    /// Reads an entry object strictly (exactly the ten members, each well-formed).
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let m = v.as_object().ok_or("an entry must be an object")?;
        const MEMBERS: [&str; 10] = [
            "cs",
            "index",
            "kid",
            "log_id",
            "prev",
            "receipt_id",
            "receipt_sha256",
            "recv",
            "subject",
            "subject_chain",
        ];
        if let Some((k, _)) = m.iter().find(|(k, _)| !MEMBERS.contains(&k.as_str())) {
            return Err(alloc::format!("unknown entry member {k:?}"));
        }
        let s = |k: &str| -> Result<&str, String> {
            v.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| alloc::format!("entry.{k} must be a string"))
        };
        let digest = |k: &str| -> Result<Sha256Digest, String> {
            Sha256Digest::from_hex(s(k)?)
                .ok_or_else(|| alloc::format!("entry.{k} must be 64 lowercase hex digits"))
        };
        let index = v
            .get("index")
            .and_then(Value::as_i64)
            .and_then(|i| u64::try_from(i).ok())
            .filter(|i| *i >= 1)
            .ok_or("entry.index must be an integer ≥ 1")?;
        Ok(Self {
            log_id: s("log_id")?.into(),
            index,
            prev: digest("prev")?,
            receipt_id: ReceiptId::parse(s("receipt_id")?).map_err(|e| e.to_string())?,
            receipt_sha256: digest("receipt_sha256")?,
            subject: s("subject")?.into(),
            device_commitment: digest("cs")?,
            received_at: Timestamp::parse_rfc3339(s("recv")?)
                .map_err(|_| String::from("entry.recv must be an RFC 3339 UTC timestamp"))?,
            kid: s("kid")?.into(),
            subject_chain: SubjectChain::parse(s("subject_chain")?)
                .ok_or("entry.subject_chain must be start, linked or broken")?,
        })
    }
}

/// Assigns ledger positions: the one piece of sequencing logic every store runs inside its
/// write transaction (after reading the last entry's index and hash, under the ledger's lock).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sequencer {
    /// The ledger.
    pub log_id: String,
    /// Index of the last entry (0 when empty).
    pub last_index: u64,
    /// Hash of the last entry ([`super::countersign::GENESIS`] when empty).
    pub last_hash: Sha256Digest,
}

/// What [`Sequencer::next`] needs to know about one accepted receipt.
#[derive(Clone, Debug)]
pub struct Accepted<'a> {
    /// The verified receipt.
    pub receipt: &'a Receipt,
    /// SHA-256 of its payload bytes.
    pub receipt_sha256: Sha256Digest,
    /// SHA-256 of its device signature.
    pub device_commitment: Sha256Digest,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// The countersigning key.
    pub kid: &'a str,
    /// The subject's last logged receipt for the same notice, if any.
    pub subject_tip: Option<&'a ChainTip>,
}

impl Sequencer {
    /// A sequencer that continues after the given last entry.
    pub fn new(log_id: impl Into<String>, last_index: u64, last_hash: Sha256Digest) -> Self {
        Self {
            log_id: log_id.into(),
            last_index,
            last_hash,
        }
    }

    /// The next entry (index + 1, `prev` = last hash, the subject-chain flag), and advances.
    pub fn next(&mut self, a: &Accepted<'_>) -> LedgerEntry {
        let entry = LedgerEntry {
            log_id: self.log_id.clone(),
            index: self.last_index + 1,
            prev: self.last_hash,
            receipt_id: a.receipt.receipt_id.clone(),
            receipt_sha256: a.receipt_sha256,
            subject: a.receipt.subject.clone(),
            device_commitment: a.device_commitment,
            received_at: a.received_at,
            kid: a.kid.into(),
            subject_chain: SubjectChain::classify(&a.receipt.chain, a.subject_tip),
        };
        self.last_index = entry.index;
        self.last_hash = entry.hash();
        entry
    }
}

/// The state of the ledger at one moment: its size and the hash of its last entry. The server
/// signs it (`GET /v1/ledger/head`); an auditor compares it with an export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerHead {
    /// The ledger.
    pub log_id: String,
    /// Number of entries (= index of the last one; 0 when empty).
    pub size: u64,
    /// `entry_hash` of the last entry ([`super::countersign::GENESIS`] when empty).
    pub hash: Sha256Digest,
    /// Server time when the head was signed.
    pub time: Timestamp,
}

impl LedgerHead {
    /// The head as a JSON value (the signed payload).
    pub fn to_value(&self) -> Value {
        Value::object([
            ("hash", Value::str(self.hash.to_hex())),
            ("log_id", Value::str(self.log_id.clone())),
            (
                "size",
                Value::Int(i64::try_from(self.size).unwrap_or(json::MAX_SAFE_INT)),
            ),
            ("time", Value::str(self.time.to_rfc3339())),
        ])
    }

    /// The canonical payload bytes.
    pub fn payload_bytes(&self) -> Vec<u8> {
        json::to_canonical_string(&self.to_value()).into_bytes()
    }

    /// The protected header for a head signed by the server key `kid` (base64url of canonical
    /// `{"alg":"ES256","kid":…,"typ":"consentry-ledger-head+jws"}`).
    pub fn protected_header(kid: &str) -> String {
        crate::encoding::b64url(
            json::to_canonical_string(&Value::object([
                ("alg", Value::str("ES256")),
                ("kid", Value::str(kid)),
                ("typ", Value::str(HEAD_TYP)),
            ]))
            .as_bytes(),
        )
    }

    /// Reads a head payload strictly.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let m = v.as_object().ok_or("a ledger head must be an object")?;
        if let Some((k, _)) = m
            .iter()
            .find(|(k, _)| !matches!(k.as_str(), "hash" | "log_id" | "size" | "time"))
        {
            return Err(alloc::format!("unknown head member {k:?}"));
        }
        let s = |k: &str| -> Result<&str, String> {
            v.get(k)
                .and_then(Value::as_str)
                .ok_or_else(|| alloc::format!("head.{k} must be a string"))
        };
        Ok(Self {
            log_id: s("log_id")?.into(),
            size: v
                .get("size")
                .and_then(Value::as_i64)
                .and_then(|i| u64::try_from(i).ok())
                .ok_or("head.size must be an integer ≥ 0")?,
            hash: Sha256Digest::from_hex(s("hash")?)
                .ok_or("head.hash must be 64 lowercase hex digits")?,
            time: Timestamp::parse_rfc3339(s("time")?)
                .map_err(|_| String::from("head.time must be an RFC 3339 UTC timestamp"))?,
        })
    }
}

/// One line of a ledger export (NDJSON): `{"entry":{…},"entry_hash":"…","receipt":{…}}`,
/// where `receipt` is the countersigned envelope. Canonical JSON, no trailing newline.
pub fn export_line(entry: &LedgerEntry, countersigned: &Jws) -> String {
    let receipt = json::parse(countersigned.to_json().as_bytes()).unwrap_or(Value::Null);
    json::to_canonical_string(&Value::object([
        ("entry", entry.to_value()),
        ("entry_hash", Value::str(entry.hash().to_hex())),
        ("receipt", receipt),
    ]))
}

/// One receipt of a subject's history, as the ledger holds it.
#[derive(Clone, Debug)]
pub struct HistoryItem<'a> {
    /// The receipt.
    pub receipt: &'a Receipt,
    /// Its ledger index.
    pub index: u64,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// The server's chain check.
    pub subject_chain: SubjectChain,
}

/// The current state of one notice's purposes for a subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoticeState {
    /// The notice.
    pub notice_id: String,
    /// The version the current decision was taken on.
    pub version: String,
    /// The locale shown.
    pub locale: String,
    /// The receipt that holds the current decision.
    pub receipt_id: ReceiptId,
    /// Its ledger index.
    pub index: u64,
    /// Its server time.
    pub received_at: Timestamp,
    /// Its position in the device's chain.
    pub subject_seq: u64,
    /// How many receipts the subject has for this notice.
    pub receipts: usize,
    /// Whether every one of them was `start` or `linked` (no gap, fork or replay).
    pub chain_intact: bool,
    /// State per purpose, in notice order.
    pub decisions: Vec<(PurposeId, DecisionState)>,
}

impl NoticeState {
    /// As JSON.
    pub fn to_value(&self) -> Value {
        Value::object([
            ("notice_id", Value::str(self.notice_id.clone())),
            ("version", Value::str(self.version.clone())),
            ("locale", Value::str(self.locale.clone())),
            ("receipt_id", Value::str(self.receipt_id.as_str())),
            (
                "index",
                Value::Int(i64::try_from(self.index).unwrap_or(json::MAX_SAFE_INT)),
            ),
            ("received_at", Value::str(self.received_at.to_rfc3339())),
            (
                "subject_seq",
                Value::Int(i64::try_from(self.subject_seq).unwrap_or(json::MAX_SAFE_INT)),
            ),
            (
                "receipts",
                Value::Int(i64::try_from(self.receipts).unwrap_or(json::MAX_SAFE_INT)),
            ),
            ("chain_intact", Value::Bool(self.chain_intact)),
            (
                "purposes",
                Value::Obj(
                    self.decisions
                        .iter()
                        .map(|(p, s)| (String::from(p.as_str()), Value::str(s.as_str())))
                        .collect(),
                ),
            ),
        ])
    }
}

/// Why a purpose may or may not be processed for a subject ([`may_process`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CheckReason {
    /// Consent given (`given`).
    Given,
    /// An optional purpose on another basis the person did not object to (`not_objected`).
    NotObjected,
    /// A required purpose that does not rest on consent (`not_applicable`).
    Required,
    /// Consent refused.
    Refused,
    /// Consent withdrawn.
    Withdrawn,
    /// Consent lapsed at the end of its validity period.
    Expired,
    /// The person objected or opted out.
    Objected,
    /// The subject has no receipt (for that notice).
    NoReceipt,
    /// The subject's current receipt does not name the purpose.
    NotInNotice,
    /// The subject's latest receipt for the notice does not continue its chain (a gap, fork
    /// or replay kept by a server from before it enforced the chain): it cannot be trusted to
    /// be the latest decision, so nothing is allowed until a new receipt continues it.
    ChainBroken,
}

impl CheckReason {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Given => "given",
            Self::NotObjected => "not_objected",
            Self::Required => "required",
            Self::Refused => "refused",
            Self::Withdrawn => "withdrawn",
            Self::Expired => "expired",
            Self::Objected => "objected",
            Self::NoReceipt => "no_receipt",
            Self::NotInNotice => "not_in_notice",
            Self::ChainBroken => "chain_broken",
        }
    }

    /// Whether processing is allowed.
    pub fn allowed(self) -> bool {
        matches!(self, Self::Given | Self::NotObjected | Self::Required)
    }

    fn of(state: DecisionState) -> Self {
        match state {
            DecisionState::Given => Self::Given,
            DecisionState::NotObjected => Self::NotObjected,
            DecisionState::NotApplicable => Self::Required,
            DecisionState::Refused => Self::Refused,
            DecisionState::Withdrawn => Self::Withdrawn,
            DecisionState::Expired => Self::Expired,
            DecisionState::Objected => Self::Objected,
        }
    }
}

/// The answer to "may this purpose be processed for this subject?" ([`may_process`]).
#[derive(Clone, Debug)]
pub struct CheckAnswer<'a> {
    /// Why (and so whether: [`CheckReason::allowed`]).
    pub reason: CheckReason,
    /// The subject's receipt that holds the current decision (`None`: no receipt).
    pub current: Option<&'a HistoryItem<'a>>,
    /// The purpose's state in it (`None`: not named there).
    pub state: Option<DecisionState>,
    /// The earliest receipt since which the purpose has been in that state without a break
    /// (the same as `current` when it just changed).
    pub since: Option<&'a HistoryItem<'a>>,
}

/// Whether `purpose` may be processed for the subject whose receipts are `history` (any
/// order), under `notice_id`, or, without one, under the notice of the subject's latest
/// receipt that names the purpose (the person's latest decision about it). The same chain
/// rule as [`current_state`]: the last receipt the server logged holds the decision. Allowed
/// only for `given`, `not_objected` and a required purpose; never when the latest receipt
/// does not continue the chain. A hotline agent's receipt speaks only for the purposes whose
/// lines the agent read out (`agent.read_out`): about any other the caller was not asked, so it
/// is passed over as if it were not there.
pub fn may_process<'a>(
    history: &'a [HistoryItem<'a>],
    purpose: &PurposeId,
    notice_id: Option<&str>,
) -> CheckAnswer<'a> {
    let mut sorted: Vec<&HistoryItem<'a>> = history
        .iter()
        .filter(|h| {
            h.receipt
                .agent
                .as_ref()
                .is_none_or(|a| a.read_out.contains(purpose))
        })
        .collect();
    sorted.sort_by_key(|h| h.index);
    let notice = match notice_id {
        Some(n) => Some(n),
        None => sorted
            .iter()
            .rev()
            .find(|h| h.receipt.decisions.iter().any(|d| &d.purpose_id == purpose))
            .or(sorted.last())
            .map(|h| h.receipt.notice.notice_id.as_str()),
    };
    let chain: Vec<&HistoryItem<'a>> = sorted
        .into_iter()
        .filter(|h| Some(h.receipt.notice.notice_id.as_str()) == notice)
        .collect();
    let state_in = |h: &HistoryItem<'_>| {
        h.receipt
            .decisions
            .iter()
            .find(|d| &d.purpose_id == purpose)
            .map(|d| d.state)
    };
    let Some(&current) = chain.last() else {
        return CheckAnswer {
            reason: CheckReason::NoReceipt,
            current: None,
            state: None,
            since: None,
        };
    };
    let state = state_in(current);
    let mut since = current;
    for h in chain.iter().rev().skip(1) {
        if state_in(h) != state {
            break;
        }
        since = h;
    }
    // The latest receipt must itself continue the chain: then it is the person's latest act
    // (signed and linked to what the server held before it), whatever an old ledger holds
    // further back. A latest receipt that does not (a gap, a fork or a replay the server kept
    // before it enforced the chain) may not be the latest decision.
    let intact = matches!(
        current.subject_chain,
        SubjectChain::Start | SubjectChain::Linked
    );
    let reason = match state {
        _ if !intact => CheckReason::ChainBroken,
        None => CheckReason::NotInNotice,
        Some(s) => CheckReason::of(s),
    };
    CheckAnswer {
        reason,
        current: Some(current),
        state,
        since: Some(since),
    }
}

/// The current consent state of a subject, per notice, computed from its chain: the last
/// receipt the server logged for it holds the current decision. The server only logs a
/// receipt that continues the chain (`chain_conflict` otherwise), so ledger order is chain
/// order; the `subject_seq` a client writes never decides it (a receipt claiming a huge
/// number cannot outrank a later withdrawal). `history` may be in any order.
pub fn current_state(history: &[HistoryItem<'_>]) -> Vec<NoticeState> {
    let mut out: Vec<NoticeState> = Vec::new();
    let mut sorted: Vec<&HistoryItem<'_>> = history.iter().collect();
    sorted.sort_by_key(|h| h.index);
    for h in sorted {
        let r = h.receipt;
        let intact = matches!(h.subject_chain, SubjectChain::Start | SubjectChain::Linked);
        let state = NoticeState {
            notice_id: r.notice.notice_id.as_str().into(),
            version: r.notice.version.clone(),
            locale: r.notice.locale.as_str().into(),
            receipt_id: r.receipt_id.clone(),
            index: h.index,
            received_at: h.received_at,
            subject_seq: r.chain.subject_seq,
            receipts: 1,
            chain_intact: intact,
            decisions: r
                .decisions
                .iter()
                .map(|d| (d.purpose_id.clone(), d.state))
                .collect(),
        };
        match out.iter_mut().find(|s| s.notice_id == state.notice_id) {
            None => out.push(state),
            Some(cur) => {
                let receipts = cur.receipts + 1;
                let chain_intact = cur.chain_intact && intact;
                // Sorted by ledger index: the later entry holds the decision.
                *cur = state;
                cur.receipts = receipts;
                cur.chain_intact = chain_intact;
            }
        }
    }
    out
}
