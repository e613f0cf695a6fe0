//! The arguments of `consentry verify`, apart from both of its halves: `verify` (receipts,
//! ledger exports, notices) and `tlog` (the transparency log's proofs and witnesses) each read
//! them, and neither has to import the other for it.

use std::path::PathBuf;

/// Arguments of `consentry verify`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["receipt", "ledger", "checkpoints", "evidence"]).multiple(true)))]
pub struct VerifyArgs {
    /// The receipt envelope (JWS JSON) to verify: device-signed, or countersigned as the
    /// server returns it.
    pub(crate) receipt: Option<PathBuf>,
    /// A ledger export (NDJSON from `GET /v1/admin/receipts`) to check as a whole, instead of
    /// one receipt. Needs --keys.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "receipt",
        requires = "keys"
    )]
    pub(crate) ledger: Option<PathBuf>,
    /// An evidence pack (`GET /v1/admin/evidence`, or the console's export) to check as a
    /// whole: its notices, every receipt, the ledger's chain, the checkpoint and its witnesses,
    /// and that its report is exactly what its parts make. Trusts the keys given with --keys,
    /// --agent-keys, --log-key and --witness-key, else the pack's own (and says so).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["receipt", "ledger", "head", "notices", "checkpoints", "proof"])]
    pub(crate) evidence: Option<PathBuf>,
    /// The published notices: a `consentry build` output directory (every version in its
    /// archive/) or a single build (a directory with `manifest.json`); when given, the
    /// receipt's notice digest must be one of their files and its decisions must match that
    /// notice, and the notice text shown is printed.
    #[arg(long, value_name = "DIR")]
    pub(crate) notices: Option<PathBuf>,
    /// The server's key set (JWKS, as published at /.well-known/consentry/keys.json); when
    /// given, the server's countersignature is required and checked. With --evidence it must
    /// be the pack's set, as published then or later (keys retired since, keys added since).
    #[arg(long, value_name = "FILE")]
    pub(crate) keys: Option<PathBuf>,
    /// The server's hotline agent key set (as published at
    /// /.well-known/consentry/agent-keys.json, revoked keys included). A receipt a hotline
    /// agent recorded is signed by the agent's console key: with --keys (a receipt, --ledger)
    /// it verifies only against this set (`agent_key_unknown` otherwise). With --evidence it
    /// must be the pack's set, as published then or later (keys revoked since, agents added
    /// since).
    #[arg(long, value_name = "FILE")]
    pub(crate) agent_keys: Option<PathBuf>,
    /// A signed ledger head (`GET /v1/ledger/head`) the export must reach (with --ledger).
    #[arg(long, value_name = "FILE", requires = "ledger")]
    pub(crate) head: Option<PathBuf>,
    /// The transparency log's verifier key (`<origin>+<id>+<key>`, from the server's
    /// /.well-known/consentry/log.json). With a receipt: its `tlog_proof` is required and
    /// checked (inclusion in a log-signed checkpoint). With --ledger and --checkpoint: the
    /// export must make the checkpoint's tree. With two --checkpoint and --proof: the newer
    /// tree must extend the older.
    #[arg(long, value_name = "VERIFIER")]
    pub(crate) log_key: Option<String>,
    /// A witness's cosignature/v1 verifier key (repeatable): every checkpoint used must carry
    /// a valid cosignature of each (`checkpoint_unwitnessed` otherwise).
    #[arg(long = "witness-key", value_name = "VERIFIER")]
    pub(crate) witness_keys: Vec<String>,
    /// A signed checkpoint (`/v1/log/checkpoint`, or one from a witness or a saved proof).
    /// Once with --ledger; twice (older, newer) with --proof for a consistency check.
    #[arg(long = "checkpoint", value_name = "FILE", requires = "log_key")]
    pub(crate) checkpoints: Vec<PathBuf>,
    /// The consistency proof between the two --checkpoint (base64 hashes, one a line, as
    /// `/v1/log/consistency/<old>/<new>` serves it).
    #[arg(long, value_name = "FILE", requires = "checkpoints")]
    pub(crate) proof: Option<PathBuf>,
}
