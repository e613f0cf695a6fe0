//! Receipt storage: the append-only, hash-chained ledger behind the async [`ReceiptStore`]
//! trait, with two implementations: [`crate::sqlite::SqliteStore`] (embedded default) and
//! [`crate::postgres::PgStore`] (several stateless server replicas on one database).
//!
//! Both run the same sequencing code ([`seal_batch`]) inside one write transaction per batch
//! of concurrent receipts (group commit: one fsync for the batch), under the ledger's lock,
//! so the chain stays linear whatever the number of writers.

use std::collections::HashMap;
use std::sync::Arc;

use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::ReceiptId;
use consentry_core::receipt::Receipt;
use consentry_core::receipt::countersign::{ChainTip, GENESIS, SubjectChain, device_commitment};
use consentry_core::receipt::jws::{Jws, JwsSignature};
use consentry_core::receipt::ledger::{Accepted, LedgerEntry, Sequencer};
use consentry_core::receipt::verify::VerifiedReceipt;
use consentry_core::time::Timestamp;

use crate::db::{StoreError, StoreFuture, digest_col};
use crate::keys::ServerSigner;

/// A verified receipt to append.
#[derive(Clone, Debug)]
pub struct NewReceipt {
    /// The receipt (verified).
    pub receipt: Receipt,
    /// SHA-256 of its payload bytes.
    pub payload_sha256: Sha256Digest,
    /// The device envelope's payload (base64url) and device signature, for the countersigned
    /// envelope.
    pub payload_b64: String,
    /// The device signature (`signatures[0]`).
    pub device: JwsSignature,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// The request body exactly as received.
    pub received: Vec<u8>,
}

impl NewReceipt {
    /// From a verified receipt and the exact bytes it was verified from.
    pub fn new(verified: VerifiedReceipt, body: &[u8], received_at: Timestamp) -> Self {
        Self {
            payload_sha256: verified.payload_sha256(),
            payload_b64: verified.payload_b64().to_owned(),
            device: verified.device_signature().clone(),
            receipt: verified.into_receipt(),
            received_at,
            received: body.to_vec(),
        }
    }

    /// The receipt id (`urn:uuid:…`).
    pub fn receipt_id(&self) -> &str {
        self.receipt.receipt_id.as_str()
    }
}

/// One ledger entry as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerRecord {
    /// The entry (index, prev, times, flags, kid, …).
    pub entry: LedgerEntry,
    /// Its hash.
    pub entry_hash: Sha256Digest,
    /// Notice id the receipt names.
    pub notice_id: String,
    /// Notice version.
    pub notice_version: String,
    /// Notice locale.
    pub notice_locale: String,
    /// Notice digest.
    pub notice_sha256: Sha256Digest,
    /// The request body exactly as received (the device-signed envelope).
    pub received: Vec<u8>,
    /// The countersigned envelope (payload and device signature unchanged, plus the server's
    /// countersignature).
    pub countersigned: Vec<u8>,
}

/// What [`ReceiptStore::append`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendOutcome {
    /// A new ledger entry, durable.
    Inserted(LedgerRecord),
    /// The same receipt id with the same bytes was already stored for this subject; nothing
    /// changed.
    AlreadyStored(LedgerRecord),
    /// The subject already has a receipt with this id and different bytes; nothing changed.
    /// (A receipt id is unique per subject: another device's receipt with the same id is a
    /// receipt of its own.)
    Conflict,
    /// The receipt does not continue its subject's chain for its notice (a gap, a fork, a
    /// `subject_seq` that is not the last one's plus one, or a restart): nothing changed. The
    /// tip is what it must continue (`None`: the subject has no receipt for this notice yet,
    /// so the first one has `subject_seq` 0 and no previous receipt).
    ChainConflict(Option<ChainTip>),
}

/// The last entry of the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// Its index (0: empty ledger).
    pub size: u64,
    /// Its hash ([`GENESIS`] when empty).
    pub hash: Sha256Digest,
}

/// A filter over the ledger, in ledger order. Every condition given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Receipts of this subject (device key thumbprint).
    pub subject: Option<String>,
    /// Receipts naming this notice id.
    pub notice_id: Option<String>,
    /// … and this version (with `notice_id`).
    pub notice_version: Option<String>,
    /// Received at or after this server time.
    pub from: Option<Timestamp>,
    /// Received before this server time.
    pub to: Option<Timestamp>,
    /// Only entries with an index above this (paging).
    pub after_index: u64,
    /// At most this many entries.
    pub limit: usize,
}

/// Appends waiting for the writer, at most, by default (beyond it [`StoreError::Overloaded`]).
pub const DEFAULT_WRITE_QUEUE: usize = 1024;

/// Append-only, hash-chained receipt storage.
pub trait ReceiptStore: Send + Sync + 'static {
    /// Appends a receipt unless its subject already has a receipt with its id (see
    /// [`AppendOutcome`]): assigns the next ledger index, checks the subject's chain,
    /// countersigns, and stores. When this resolves to `Inserted`, the entry is durable.
    fn append(&self, receipt: NewReceipt) -> StoreFuture<'_, AppendOutcome>;

    /// The entries holding this receipt id (`urn:uuid:…`), in ledger order: none, one, or one
    /// per subject that used the id.
    fn get(&self, receipt_id: &str) -> StoreFuture<'_, Vec<LedgerRecord>>;

    /// The last entry's index and hash.
    fn head(&self) -> StoreFuture<'_, Head>;

    /// The index of the last committed entry when this process knows it without a read,
    /// because its only writer runs here (SQLite: the writer thread updates it after each
    /// commit, before any append is answered). `None` when other processes may append
    /// (PostgreSQL replicas): ask the database. A caller that has seen every entry up to it
    /// has seen every entry acknowledged before its call began.
    fn committed_size(&self) -> Option<u64> {
        None
    }

    /// Entries matching `query`, in ledger order.
    fn query(&self, query: Query) -> StoreFuture<'_, Vec<LedgerRecord>>;

    /// The entries at these ledger indexes (those that exist), in ledger order: one read for
    /// a person's receipts found by the reference index (`crate::links::history`).
    fn entries(&self, indexes: Vec<u64>) -> StoreFuture<'_, Vec<LedgerRecord>>;

    /// The transparency log this store keeps over the ledger (ADR 0011), if any.
    fn log(&self) -> Option<&dyn crate::tlog::LogStore> {
        None
    }

    /// The per-identifier keys of subject references (ADR 0019), kept beside the ledger so
    /// every replica sees the same ones.
    fn subject_keys(&self) -> &dyn crate::subject_keys::SubjectKeyStore;
}

/// The ledger's name and the key that countersigns for it.
#[derive(Clone, Debug)]
pub struct LedgerConfig {
    /// `log_id` of every entry.
    pub log_id: String,
    /// The countersigning key.
    pub signer: Arc<ServerSigner>,
    /// The transparency log's checkpoint key (ADR 0011); `None`: no log is kept.
    pub log: Option<Arc<crate::tlog::Log>>,
}

/// What a store knows about one stored receipt id, for idempotency.
pub(crate) enum Existing {
    /// Not stored.
    None,
    /// Stored with these received bytes (and this record).
    Stored(Box<LedgerRecord>),
}

/// The database side of [`seal_batch`]: look-ups inside the write transaction.
pub(crate) trait BatchView {
    /// The subject's entry with this receipt id.
    fn existing(&mut self, subject: &str, receipt_id: &str) -> Result<Existing, StoreError>;
    /// The subject's last logged receipt for this notice.
    fn subject_tip(
        &mut self,
        subject: &str,
        notice_id: &str,
    ) -> Result<Option<ChainTip>, StoreError>;
}

/// The sequencing of one batch, shared by every store: for each receipt in order, either the
/// idempotent answer (already stored / conflict, also within the batch), a refusal because it
/// does not continue its subject's chain, or a new entry with the next index, the chain flag
/// and the countersignature. Returns the outcomes and the new
/// records to insert, in order. Nothing is written here.
pub(crate) fn seal_batch(
    cfg: &LedgerConfig,
    seq: &mut Sequencer,
    view: &mut dyn BatchView,
    batch: &[NewReceipt],
) -> Result<(Vec<AppendOutcome>, Vec<LedgerRecord>), StoreError> {
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut inserts: Vec<LedgerRecord> = Vec::with_capacity(batch.len());
    let mut in_batch: HashMap<(&str, &str), usize> = HashMap::new();
    let mut tips: HashMap<(&str, &str), ChainTip> = HashMap::new();
    for r in batch {
        let id = r.receipt_id();
        let subject = r.receipt.subject.as_str();
        if let Some(&i) = in_batch.get(&(subject, id)) {
            let rec = &inserts[i];
            outcomes.push(if rec.received == r.received {
                AppendOutcome::AlreadyStored(rec.clone())
            } else {
                AppendOutcome::Conflict
            });
            continue;
        }
        if let Existing::Stored(rec) = view.existing(subject, id)? {
            outcomes.push(if rec.received == r.received {
                AppendOutcome::AlreadyStored(*rec)
            } else {
                AppendOutcome::Conflict
            });
            continue;
        }
        let notice = r.receipt.notice.notice_id.as_str();
        let tip = match tips.get(&(subject, notice)) {
            Some(t) => Some(t.clone()),
            None => view.subject_tip(subject, notice)?,
        };
        // The chain is the server's to enforce: a receipt that does not continue it is not
        // logged (the sender learns the tip and can continue from it).
        if SubjectChain::classify(&r.receipt.chain, tip.as_ref()) == SubjectChain::Broken {
            outcomes.push(AppendOutcome::ChainConflict(tip));
            continue;
        }
        let kid = cfg.signer.kid();
        let entry = seq.next(&Accepted {
            receipt: &r.receipt,
            receipt_sha256: r.payload_sha256,
            device_commitment: device_commitment(&r.device),
            received_at: r.received_at,
            kid,
            subject_tip: tip.as_ref(),
        });
        let protected = entry.countersignature().protected_header();
        let signature = cfg.signer.sign(
            consentry_core::receipt::jws::signing_input(&protected, &r.payload_b64).as_bytes(),
        );
        let countersigned = Jws {
            payload: r.payload_b64.clone(),
            signatures: vec![
                r.device.clone(),
                JwsSignature {
                    protected,
                    signature,
                },
            ],
        }
        .to_json()
        .into_bytes();
        let n = &r.receipt.notice;
        let rec = LedgerRecord {
            entry_hash: seq.last_hash,
            entry,
            notice_id: n.notice_id.as_str().into(),
            notice_version: n.version.clone(),
            notice_locale: n.locale.as_str().into(),
            notice_sha256: n.sha256,
            received: r.received.clone(),
            countersigned,
        };
        tips.insert(
            (subject, notice),
            ChainTip::of(&r.receipt, r.payload_sha256),
        );
        in_batch.insert((subject, id), inserts.len());
        outcomes.push(AppendOutcome::Inserted(rec.clone()));
        inserts.push(rec);
    }
    Ok((outcomes, inserts))
}

/// The chain tip a stored row makes: its `subject_seq` is read from the payload it holds
/// (the columns do not carry it).
pub(crate) fn tip_from_row(
    receipt_id: &str,
    payload_sha256: &str,
    received: &[u8],
) -> Result<ChainTip, StoreError> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("{receipt_id}: {what}"));
    let jws = Jws::from_json(received).map_err(|_| corrupt("stored envelope"))?;
    let payload = consentry_core::encoding::b64url_decode(&jws.payload)
        .ok_or_else(|| corrupt("stored payload"))?;
    let value = consentry_core::json::parse(&payload).map_err(|_| corrupt("stored payload"))?;
    let receipt = Receipt::from_value(&value).map_err(|_| corrupt("stored receipt"))?;
    if receipt.receipt_id.as_str() != receipt_id {
        return Err(corrupt("stored receipt names another id"));
    }
    Ok(ChainTip {
        receipt_id: receipt.receipt_id,
        payload_sha256: digest_col("payload_sha256", payload_sha256)?,
        subject_seq: receipt.chain.subject_seq,
    })
}

/// Head of an empty ledger.
pub const EMPTY_HEAD: Head = Head {
    size: 0,
    hash: GENESIS,
};

/// A row as the database holds it; [`RawRow::into_record`] checks every column.
pub(crate) struct RawRow {
    pub(crate) idx: i64,
    pub(crate) receipt_id: String,
    pub(crate) subject: String,
    pub(crate) notice_id: String,
    pub(crate) notice_version: String,
    pub(crate) notice_locale: String,
    pub(crate) notice_sha256: String,
    pub(crate) payload_sha256: String,
    pub(crate) received_at: i64,
    pub(crate) kid: String,
    pub(crate) subject_chain: String,
    pub(crate) device_commitment: String,
    pub(crate) prev_hash: String,
    pub(crate) entry_hash: String,
    pub(crate) received: Vec<u8>,
    pub(crate) countersigned: Vec<u8>,
}

impl RawRow {
    pub(crate) fn into_record(self, log_id: &str) -> Result<LedgerRecord, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("{}: {what}", self.receipt_id));
        let entry = LedgerEntry {
            log_id: log_id.into(),
            index: u64::try_from(self.idx).map_err(|_| corrupt("negative index"))?,
            prev: digest_col("prev_hash", &self.prev_hash)?,
            receipt_id: ReceiptId::parse(&self.receipt_id).map_err(|_| corrupt("receipt id"))?,
            receipt_sha256: digest_col("payload_sha256", &self.payload_sha256)?,
            subject: self.subject,
            device_commitment: digest_col("device_commitment", &self.device_commitment)?,
            received_at: Timestamp(self.received_at),
            kid: self.kid,
            subject_chain: SubjectChain::parse(&self.subject_chain)
                .ok_or_else(|| corrupt("subject_chain"))?,
        };
        Ok(LedgerRecord {
            entry,
            entry_hash: digest_col("entry_hash", &self.entry_hash)?,
            notice_id: self.notice_id,
            notice_version: self.notice_version,
            notice_locale: self.notice_locale,
            notice_sha256: digest_col("notice_sha256", &self.notice_sha256)?,
            received: self.received,
            countersigned: self.countersigned,
        })
    }
}
