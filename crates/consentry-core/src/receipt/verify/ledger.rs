//! Offline check of a whole ledger export (NDJSON, one [`export_line`] per entry).
//!
//! [`export_line`]: crate::receipt::ledger::export_line

use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use super::keys::KeySet;
use super::server::verify_countersigned;
use super::{VerifyError, VerifyPolicy};
use crate::encoding::Sha256Digest;
use crate::ids::ReceiptId;
use crate::json::{self, Value};
use crate::receipt::countersign::{ChainTip, GENESIS, SubjectChain};
use crate::receipt::ledger::{LedgerEntry, LedgerHead};

/// What a successful [`verify_ledger_export`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerCheck {
    /// The ledger's id (`None` for an empty export).
    pub log_id: Option<String>,
    /// Number of entries (= index of the last one).
    pub entries: u64,
    /// `entry_hash` of the last entry ([`GENESIS`] when empty).
    pub head: Sha256Digest,
    /// Entries the server flagged as not continuing their subject's chain (kept, but to be
    /// reviewed): index, receipt id.
    pub flagged: Vec<(u64, ReceiptId)>,
    /// Whether a signed head was given and matched.
    pub head_checked: bool,
}

/// What is wrong with a ledger export.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LedgerErrorKind {
    /// A line is not a JSON object `{"entry","entry_hash","receipt"}` with a well-formed entry
    /// (`ledger_line_malformed`).
    LineMalformed(String),
    /// The receipt on the line fails verification (device signature, receipt, policy or
    /// countersignature); the code is the receipt's own (`signature_invalid`, …).
    Receipt(VerifyError),
    /// The line's `entry` differs from the entry its countersigned receipt states
    /// (`ledger_entry_mismatch`): the entry was edited.
    EntryMismatch,
    /// The line's `entry_hash` is not the hash of its entry (`ledger_entry_hash_mismatch`).
    EntryHashMismatch,
    /// An entry belongs to another ledger than the first line's (`ledger_log_mismatch`).
    LogMismatch,
    /// Entries are missing before this one and nowhere else in the export (`ledger_gap`): an
    /// entry was deleted.
    Gap {
        /// The index that should come next.
        expected: u64,
        /// The index found.
        found: u64,
    },
    /// This entry is not the next one, and the next one is elsewhere in the export
    /// (`ledger_reordered`).
    Reordered {
        /// The index that should come next.
        expected: u64,
        /// The index found.
        found: u64,
    },
    /// A receipt appears twice (`ledger_duplicate`).
    Duplicate(ReceiptId),
    /// The entry's `prev` is not the previous entry's hash (`ledger_chain_broken`).
    ChainBroken,
    /// The server's per-subject chain flag does not follow from the entries before it
    /// (`ledger_subject_chain_mismatch`).
    SubjectChainMismatch {
        /// The flag the server signed.
        stated: SubjectChain,
        /// The flag the export implies.
        derived: SubjectChain,
    },
    /// The export ends before the signed head (`ledger_truncated`): entries were removed from
    /// the end.
    Truncated {
        /// Entries in the export.
        entries: u64,
        /// Size of the signed head.
        head_size: u64,
    },
    /// The entry at the signed head's size does not have the head's hash, or the head is of
    /// another ledger (`ledger_head_mismatch`).
    HeadMismatch,
}

/// A ledger export failure, with the line it was found on (1-based; 0 for the whole export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerError {
    /// Line number in the export (0: the export as a whole).
    pub line: usize,
    /// What is wrong.
    pub kind: LedgerErrorKind,
}

impl LedgerError {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match &self.kind {
            LedgerErrorKind::LineMalformed(_) => "ledger_line_malformed",
            LedgerErrorKind::Receipt(e) => e.code(),
            LedgerErrorKind::EntryMismatch => "ledger_entry_mismatch",
            LedgerErrorKind::EntryHashMismatch => "ledger_entry_hash_mismatch",
            LedgerErrorKind::LogMismatch => "ledger_log_mismatch",
            LedgerErrorKind::Gap { .. } => "ledger_gap",
            LedgerErrorKind::Reordered { .. } => "ledger_reordered",
            LedgerErrorKind::Duplicate(_) => "ledger_duplicate",
            LedgerErrorKind::ChainBroken => "ledger_chain_broken",
            LedgerErrorKind::SubjectChainMismatch { .. } => "ledger_subject_chain_mismatch",
            LedgerErrorKind::Truncated { .. } => "ledger_truncated",
            LedgerErrorKind::HeadMismatch => "ledger_head_mismatch",
        }
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: ", self.line)?;
        }
        match &self.kind {
            LedgerErrorKind::LineMalformed(why) => write!(f, "malformed export line: {why}"),
            LedgerErrorKind::Receipt(e) => write!(f, "receipt fails verification: {e}"),
            LedgerErrorKind::EntryMismatch => {
                f.write_str("the entry differs from what its countersigned receipt states")
            }
            LedgerErrorKind::EntryHashMismatch => {
                f.write_str("entry_hash is not the SHA-256 of the entry")
            }
            LedgerErrorKind::LogMismatch => f.write_str("the entry belongs to another ledger"),
            LedgerErrorKind::Gap { expected, found } => write!(
                f,
                "entry {found} follows entry {}: entries are missing",
                expected.saturating_sub(1)
            ),
            LedgerErrorKind::Reordered { expected, found } => write!(
                f,
                "entry {found} appears where entry {expected} belongs: entries are out of order"
            ),
            LedgerErrorKind::Duplicate(id) => {
                write!(f, "receipt {id} appears twice for the same subject")
            }
            LedgerErrorKind::ChainBroken => {
                f.write_str("prev is not the hash of the previous entry: the chain is broken")
            }
            LedgerErrorKind::SubjectChainMismatch { stated, derived } => write!(
                f,
                "the server flagged the subject chain {:?}, but the entries before it imply {:?}",
                stated.as_str(),
                derived.as_str()
            ),
            LedgerErrorKind::Truncated { entries, head_size } => write!(
                f,
                "the export has {entries} entries but the signed head has {head_size}: \
                 entries were removed from the end"
            ),
            LedgerErrorKind::HeadMismatch => {
                f.write_str("the export does not contain the signed head's entry")
            }
        }
    }
}

impl core::error::Error for LedgerError {}

/// Checks a whole ledger export, line by line: each receipt verifies (device signature,
/// receipt, `policy`, countersignature against `keys`); each line's entry is exactly what its
/// countersigned receipt states and hashes to `entry_hash`; indexes run 1, 2, 3, … without
/// gap, repeat or reordering; each `prev` is the previous entry's hash; each per-subject
/// chain flag follows from the entries before it. With a verified signed `head`, the export
/// must reach the head's size and hold the head's hash there.
///
/// Blank lines are ignored. The first failure is returned.
pub fn verify_ledger_export(
    ndjson: &[u8],
    policy: &VerifyPolicy,
    keys: &KeySet,
    head: Option<&LedgerHead>,
) -> Result<LedgerCheck, LedgerError> {
    let mut log_id: Option<String> = None;
    let mut last_index = 0u64;
    let mut last_hash = GENESIS;
    // A receipt id is unique per subject (two devices may use the same id).
    let mut seen: BTreeSet<(String, ReceiptId)> = BTreeSet::new();
    let mut subjects: BTreeMap<(String, String), ChainTip> = BTreeMap::new();
    let mut flagged = Vec::new();
    let mut head_hash_seen: Option<Sha256Digest> = head.filter(|h| h.size == 0).map(|_| GENESIS);
    // Every index the export holds (a cheap first pass), to tell a missing entry (gap) from
    // one that is present but out of place (reordered).
    let present: BTreeSet<u64> = ndjson
        .split(|b| *b == b'\n')
        .filter_map(|raw| {
            let v = json::parse(raw.strip_suffix(b"\r").unwrap_or(raw)).ok()?;
            v.get("entry")?
                .get("index")?
                .as_i64()
                .and_then(|i| u64::try_from(i).ok())
        })
        .collect();

    for (n, raw) in ndjson.split(|b| *b == b'\n').enumerate() {
        let line = n + 1;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let err = |kind| LedgerError { line, kind };
        let malformed = |why: String| err(LedgerErrorKind::LineMalformed(why));

        let v = json::parse(raw).map_err(|e| malformed(e.to_string()))?;
        let m = v
            .as_object()
            .ok_or_else(|| malformed("not a JSON object".into()))?;
        if let Some((k, _)) = m
            .iter()
            .find(|(k, _)| !matches!(k.as_str(), "entry" | "entry_hash" | "receipt"))
        {
            return Err(malformed(alloc::format!("unknown member {k:?}")));
        }
        let stated =
            LedgerEntry::from_value(v.get("entry").unwrap_or(&Value::Null)).map_err(malformed)?;
        let stated_hash = v
            .get("entry_hash")
            .and_then(Value::as_str)
            .and_then(Sha256Digest::from_hex)
            .ok_or_else(|| malformed("entry_hash must be 64 lowercase hex digits".into()))?;
        let receipt = v
            .get("receipt")
            .filter(|r| r.as_object().is_some())
            .ok_or_else(|| malformed("receipt must be the countersigned envelope".into()))?;
        let envelope = json::to_canonical_string(receipt);

        let (verified, cs) = verify_countersigned(envelope.as_bytes(), policy, keys)
            .map_err(|e| err(LedgerErrorKind::Receipt(e)))?;
        let r = verified.receipt();
        let derived = LedgerEntry::from_countersigned(r, verified.payload_sha256(), &cs);
        if derived != stated {
            return Err(err(LedgerErrorKind::EntryMismatch));
        }
        let hash = derived.hash();
        if hash != stated_hash {
            return Err(err(LedgerErrorKind::EntryHashMismatch));
        }
        match &log_id {
            None => log_id = Some(derived.log_id.clone()),
            Some(l) if *l != derived.log_id => return Err(err(LedgerErrorKind::LogMismatch)),
            Some(_) => {}
        }
        if !seen.insert((r.subject.clone(), r.receipt_id.clone())) {
            return Err(err(LedgerErrorKind::Duplicate(r.receipt_id.clone())));
        }
        let expected = last_index + 1;
        if derived.index > expected {
            return Err(err(if present.contains(&expected) {
                LedgerErrorKind::Reordered {
                    expected,
                    found: derived.index,
                }
            } else {
                LedgerErrorKind::Gap {
                    expected,
                    found: derived.index,
                }
            }));
        }
        if derived.index < expected {
            return Err(err(LedgerErrorKind::Reordered {
                expected,
                found: derived.index,
            }));
        }
        if derived.prev != last_hash {
            return Err(err(LedgerErrorKind::ChainBroken));
        }
        let key = (r.subject.clone(), String::from(r.notice.notice_id.as_str()));
        let implied = SubjectChain::classify(&r.chain, subjects.get(&key));
        if implied != derived.subject_chain {
            return Err(err(LedgerErrorKind::SubjectChainMismatch {
                stated: derived.subject_chain,
                derived: implied,
            }));
        }
        if implied == SubjectChain::Broken {
            flagged.push((derived.index, r.receipt_id.clone()));
        }
        subjects.insert(key, ChainTip::of(r, verified.payload_sha256()));
        last_index = derived.index;
        last_hash = hash;
        if head.is_some_and(|h| h.size == derived.index) {
            head_hash_seen = Some(hash);
        }
    }

    if let Some(h) = head {
        if log_id.as_ref().is_some_and(|l| *l != h.log_id) {
            return Err(LedgerError {
                line: 0,
                kind: LedgerErrorKind::HeadMismatch,
            });
        }
        if h.size > last_index {
            return Err(LedgerError {
                line: 0,
                kind: LedgerErrorKind::Truncated {
                    entries: last_index,
                    head_size: h.size,
                },
            });
        }
        if head_hash_seen != Some(h.hash) {
            return Err(LedgerError {
                line: 0,
                kind: LedgerErrorKind::HeadMismatch,
            });
        }
    }
    Ok(LedgerCheck {
        log_id,
        entries: last_index,
        head: last_hash,
        flagged,
        head_checked: head.is_some(),
    })
}
