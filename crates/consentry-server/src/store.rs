//! Receipt storage: an append-only ledger behind the async [`ReceiptStore`] trait.
//!
//! The server only ever appends and reads. [`crate::sqlite::SqliteStore`] is the embedded
//! default; a PostgreSQL implementation can sit behind the same trait.

use std::future::Future;
use std::pin::Pin;

use consentry_core::encoding::Sha256Digest;
use consentry_core::time::Timestamp;

/// The future a [`ReceiptStore`] method returns (boxed, so the trait is object-safe and the
/// server can hold any store as `Arc<dyn ReceiptStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// A verified receipt to append.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReceipt {
    /// `urn:uuid:…` of the receipt.
    pub receipt_id: String,
    /// The device key thumbprint (receipt subject, signature kid).
    pub subject: String,
    /// Notice id.
    pub notice_id: String,
    /// Notice version.
    pub notice_version: String,
    /// Notice locale.
    pub notice_locale: String,
    /// SHA-256 of the notice file shown.
    pub notice_sha256: Sha256Digest,
    /// SHA-256 of the signed payload bytes.
    pub payload_sha256: Sha256Digest,
    /// Server time of receipt.
    pub received_at: Timestamp,
    /// The envelope exactly as received.
    pub envelope: Vec<u8>,
}

/// A receipt as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredReceipt {
    /// Position in the ledger (1, 2, …; gaps only where an insert was rolled back).
    pub sequence: i64,
    /// `urn:uuid:…` of the receipt.
    pub receipt_id: String,
    /// SHA-256 of the signed payload bytes.
    pub payload_sha256: Sha256Digest,
    /// Server time when it was first stored.
    pub received_at: Timestamp,
    /// The envelope bytes exactly as stored.
    pub envelope: Vec<u8>,
}

/// What [`ReceiptStore::append`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppendOutcome {
    /// A new row.
    Inserted(StoredReceipt),
    /// The same receipt id with the same envelope bytes was already stored; nothing changed.
    AlreadyStored(StoredReceipt),
    /// The receipt id is already stored with different envelope bytes; nothing changed.
    Conflict,
}

/// Why the store failed. The server logs these and answers `500 internal`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database refused or failed an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The database file or its directory could not be created.
    #[error("cannot prepare the database file: {0}")]
    Io(#[from] std::io::Error),
    /// The store has been shut down (or its worker thread died).
    #[error("the receipt store is closed")]
    Closed,
    /// The database could not be configured as the store requires (WAL journal).
    #[error("database configuration refused: {0}")]
    Config(String),
    /// A stored row does not hold what the schema promises (a bad digest or timestamp).
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

/// Append-only receipt storage.
pub trait ReceiptStore: Send + Sync + 'static {
    /// Appends a receipt unless its id is already stored (see [`AppendOutcome`]). When this
    /// resolves to `Inserted`, the row is durable.
    fn append(&self, receipt: NewReceipt) -> StoreFuture<'_, AppendOutcome>;

    /// The stored receipt with this id (`urn:uuid:…`), if any.
    fn get(&self, receipt_id: &str) -> StoreFuture<'_, Option<StoredReceipt>>;
}
