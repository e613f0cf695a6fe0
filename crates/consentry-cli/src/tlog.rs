//! The transparency-log checks of `consentry verify` (ADR 0011), offline:
//!
//! - a receipt's `tlog_proof` (C2SP tlog-proof@v1): the log's signature on its checkpoint,
//!   each `--witness-key`'s cosignature, and inclusion of the receipt's ledger entry at its
//!   index;
//! - two checkpoints and a consistency proof: the newer tree extends the older;
//! - a ledger export against a checkpoint: its first entries make exactly that tree.
//!
//! Failures print `invalid …: <reason> [<code>]` (codes `checkpoint_malformed`,
//! `checkpoint_signature_invalid`, `checkpoint_unwitnessed`, `proof_malformed`,
//! `inclusion_invalid`, `log_inconsistent`, `tlog_proof_missing`) and exit 1; unreadable
//! files or malformed keys exit 2.

use std::path::Path;
use std::process::ExitCode;

use consentry_core::json::{self, Value};
use consentry_core::receipt::countersign::Countersignature;
use consentry_core::receipt::ledger::LedgerEntry;
use consentry_core::receipt::verify::VerifiedReceipt;
use consentry_tlog::{CosignatureVerifier, StandardVerifier, TlogError, VerifiedCheckpoint};

use crate::args::VerifyArgs;

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

fn invalid(what: &str, e: &TlogError) -> ExitCode {
    eprintln!("invalid {what}: {} [{}]", e.message, e.code);
    ExitCode::from(1)
}

fn keys(
    args: &VerifyArgs,
) -> Result<Option<(StandardVerifier, Vec<CosignatureVerifier>)>, ExitCode> {
    let Some(k) = &args.log_key else {
        return Ok(None);
    };
    let log =
        consentry_tlog::log_verifier(k).map_err(|e| usage(format!("--log-key: {}", e.message)))?;
    let ws = args
        .witness_keys
        .iter()
        .map(|w| {
            CosignatureVerifier::new(w).map_err(|e| usage(format!("--witness-key: {}", e.message)))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some((log, ws)))
}

fn read(p: &Path) -> Result<Vec<u8>, ExitCode> {
    std::fs::read(p).map_err(|e| usage(format!("cannot read {}: {e}", p.display())))
}

pub(crate) fn witnessed_line(cp: &VerifiedCheckpoint) -> String {
    if cp.witnessed.is_empty() {
        "no witness required (give --witness-key)".to_string()
    } else {
        cp.witnessed
            .iter()
            .map(|(n, t)| format!("{n} at unix {t}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The countersigned envelope and the `tlog_proof` of a downloaded receipt
/// (`{"receipt": …, "server": {…, "receipt": …, "tlog_proof": …}}`) or of a server answer
/// (`{"receipt": …, "tlog_proof": …}`); anything else is returned as is.
pub fn unwrap_receipt(bytes: Vec<u8>) -> (Vec<u8>, Option<String>) {
    let Ok(v) = json::parse(&bytes) else {
        return (bytes, None);
    };
    let answer = match v.get("server") {
        Some(s) => s,
        None if v.get("receipt").is_some() => &v,
        None => return (bytes, None),
    };
    let Some(env) = answer.get("receipt").or_else(|| v.get("receipt")) else {
        return (bytes, None);
    };
    let proof = answer
        .get("tlog_proof")
        .and_then(Value::as_str)
        .map(str::to_owned);
    (json::to_canonical_string(env).into_bytes(), proof)
}

/// With `--log-key`: the receipt's log proof must hold. Returns the summary line.
pub fn check_receipt(
    args: &VerifyArgs,
    verified: &VerifiedReceipt,
    cs: Option<&Countersignature>,
    proof: Option<&str>,
) -> Result<String, ExitCode> {
    let Some((log, ws)) = keys(args)? else {
        return Ok(match proof {
            Some(_) => "  log proof:     present, NOT checked (give --log-key)\n".into(),
            None => String::new(),
        });
    };
    let Some(cs) = cs else {
        return Err(usage(
            "--log-key with a receipt needs --keys (the entry is read from the countersignature)",
        ));
    };
    let Some(text) = proof else {
        eprintln!(
            "invalid receipt: it carries no tlog_proof (keep the server's whole answer) [tlog_proof_missing]"
        );
        return Err(ExitCode::from(1));
    };
    let entry = LedgerEntry::from_countersigned(verified.receipt(), verified.payload_sha256(), cs);
    let leaf = consentry_tlog::leaf_hash(&entry.hash().0);
    let p = consentry_tlog::Proof::parse(text).map_err(|e| invalid("receipt", &e))?;
    if p.index + 1 != entry.index {
        return Err(invalid(
            "receipt",
            &TlogError::new(
                "inclusion_invalid",
                format!(
                    "the proof is for leaf {}, the receipt is ledger entry {}",
                    p.index, entry.index
                ),
            ),
        ));
    }
    let cp = p
        .verify(leaf, &log, &ws)
        .map_err(|e| invalid("receipt", &e))?;
    Ok(format!(
        "  log proof:     entry {} included in checkpoint {} size {}; witnesses: {}\n",
        entry.index,
        cp.checkpoint.origin(),
        cp.checkpoint.size(),
        witnessed_line(&cp)
    ))
}

/// `--ledger` with `--checkpoint`: the export must make the checkpoint's tree.
pub fn check_export(args: &VerifyArgs, export: &[u8]) -> Result<String, ExitCode> {
    if args.checkpoints.is_empty() {
        return Ok(String::new());
    }
    let Some((log, ws)) = keys(args)? else {
        return Err(usage("--checkpoint needs --log-key"));
    };
    let mut hashes = Vec::new();
    for line in export.split(|b| *b == b'\n').filter(|l| !l.is_empty()) {
        let h = json::parse(line)
            .ok()
            .and_then(|v| {
                v.get("entry_hash")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .and_then(|h| consentry_core::encoding::Sha256Digest::from_hex(&h))
            .ok_or_else(|| usage("the export has a line without entry_hash"))?;
        hashes.push(h.0);
    }
    let mut out = String::new();
    for p in &args.checkpoints {
        let cp = consentry_tlog::verify_checkpoint(&read(p)?, &log, &ws)
            .map_err(|e| invalid("checkpoint", &e))?;
        consentry_tlog::check_entries(&hashes, &cp.checkpoint)
            .map_err(|e| invalid("ledger", &e))?;
        out.push_str(&format!(
            "  log:         the first {} entries make checkpoint {} size {}; witnesses: {}\n",
            cp.checkpoint.size(),
            cp.checkpoint.origin(),
            cp.checkpoint.size(),
            witnessed_line(&cp)
        ));
    }
    Ok(out)
}

/// `--checkpoint old --checkpoint new --proof p`: the newer tree extends the older.
pub fn run_consistency(args: &VerifyArgs) -> ExitCode {
    let (log, ws) = match keys(args) {
        Ok(Some(k)) => k,
        Ok(None) => return usage("--checkpoint needs --log-key"),
        Err(c) => return c,
    };
    let [old, new] = &args.checkpoints[..] else {
        return usage("give two --checkpoint (older, newer) and --proof, or a receipt or --ledger");
    };
    let Some(proof) = &args.proof else {
        return usage("a consistency check needs --proof");
    };
    let load = |p: &Path| -> Result<VerifiedCheckpoint, ExitCode> {
        consentry_tlog::verify_checkpoint(&read(p)?, &log, &ws)
            .map_err(|e| invalid("checkpoint", &e))
    };
    let (old, new) = match (load(old), load(new)) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(c), _) | (_, Err(c)) => return c,
    };
    let text = match read(proof) {
        Ok(t) => t,
        Err(c) => return c,
    };
    let mut hashes = Vec::new();
    for l in String::from_utf8_lossy(&text)
        .lines()
        .filter(|l| !l.is_empty())
    {
        match consentry_tlog::parse_hash_line(l) {
            Some(h) => hashes.push(h),
            None => {
                return invalid(
                    "proof",
                    &TlogError::new("proof_malformed", "a line is not a base64 hash"),
                );
            }
        }
    }
    let (o, n) = (&old.checkpoint, &new.checkpoint);
    if let Err(e) =
        consentry_tlog::check_consistency(&hashes, o.size(), *o.hash(), n.size(), *n.hash())
    {
        return invalid("log", &e);
    }
    println!(
        "consistent log {}: size {} extends size {}\n  witnesses: {}",
        n.origin(),
        n.size(),
        o.size(),
        witnessed_line(&new)
    );
    ExitCode::SUCCESS
}
