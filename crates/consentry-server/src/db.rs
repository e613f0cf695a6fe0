//! What every storage module shares, below them all: why a store failed ([`StoreError`]),
//! the boxed future its methods return ([`StoreFuture`]), and reading a stored digest.
//! `store` (the ledger's trait), `tlog` (the log kept in the same database), `sqlite` and
//! `postgres` import it; it imports none of them.

use std::future::Future;
use std::pin::Pin;

use consentry_core::encoding::Sha256Digest;

/// The future a `store::ReceiptStore` method returns (boxed, so the trait is object-safe and the
/// server can hold any store as `Arc<dyn ReceiptStore>`).
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// Why the store failed. The server logs these and answers `500 internal`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// SQLite refused or failed an operation.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// PostgreSQL refused or failed an operation.
    #[error("database error: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    /// The database file or its directory could not be created.
    #[error("cannot prepare the database file: {0}")]
    Io(#[from] std::io::Error),
    /// The store has been shut down (or its worker died).
    #[error("the receipt store is closed")]
    Closed,
    /// The database could not be configured as the store requires.
    #[error("database configuration refused: {0}")]
    Config(String),
    /// A stored row does not hold what the schema promises.
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// The write queue is full: the receipt was not taken (the server answers `503
    /// overloaded`; the client sends it again later).
    #[error("the write queue is full")]
    Overloaded,
}

/// Parses a stored digest column.
pub(crate) fn digest_col(what: &str, s: &str) -> Result<Sha256Digest, StoreError> {
    Sha256Digest::from_hex(s).ok_or_else(|| StoreError::Corrupt(format!("{what}: not a digest")))
}
