//! `consentry verify <receipt.json> [--notices <build dir>] [--keys <keys.json> [--agent-keys <agent-keys.json>]]`
//! `consentry verify --ledger <export.ndjson> --keys <keys.json> [--agent-keys <agent-keys.json>] [--head <head.json>] [--notices <dir>]`
//!
//! The offline audit. Runs core's verifiers (the same code the receipt server runs) on exact
//! bytes:
//!
//! - a receipt: the device signature, canonical form and receipt; with `--keys` (the server's
//!   published JWKS, `/.well-known/consentry/keys.json`) also the server's countersignature
//!   (server time, ledger position, per-subject chain flag); with `--notices` (the published
//!   notices: a `consentry build` output with its archive of every version, or one build)
//!   the notice digest and purposes, and then it prints the exact notice text the person saw,
//!   in their language; a receipt a hotline agent recorded also needs `--agent-keys` (the
//!   server's agent key set, `/.well-known/consentry/agent-keys.json`): its key must be that
//!   agent's, registered and not revoked when the server received it (fail closed: without
//!   the set, or without `--keys`, it is `agent_key_unknown`);
//! - a ledger export (`GET /v1/admin/receipts`, NDJSON): every receipt and countersignature,
//!   and the chain itself: no gap, no reordering, no edit, no duplicate; with `--head` (a saved
//!   `GET /v1/ledger/head`) also that nothing was cut from the end; agents' receipts in it
//!   need `--agent-keys` as well.
//!
//! Exit 0 with a summary on stdout when valid; exit 1 with `invalid receipt: <reason> [<code>]`
//! or `invalid ledger: <reason> [<code>]` on stderr when not; exit 2 when the files cannot be
//! read or the notice build or key set is itself broken.

use std::fmt::Write as _;
use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::args::VerifyArgs;
use consentry_core::bundle::archive::{ARCHIVE_DIR, is_in_progress};
use consentry_core::bundle::notice_text;
use consentry_core::receipt::Receipt;
use consentry_core::receipt::countersign::Countersignature;
use consentry_core::receipt::jws::{Jws, MAX_ENVELOPE_BYTES};
use consentry_core::receipt::verify::{
    KeySet, KeyStatus, NoticeRegistry, VerifiedReceipt, VerifyPolicy, verify, verify_countersigned,
    verify_ledger_export, verify_ledger_head,
};

/// The server's key set (`--keys`) with the agent key set (`--agent-keys`) added, if given.
fn load_keys(path: &Path, agent_keys: Option<&Path>) -> Result<KeySet, String> {
    let read = |p: &Path| std::fs::read(p).map_err(|e| format!("cannot read {}: {e}", p.display()));
    let mut keys = KeySet::from_jwks(&read(path)?)
        .map_err(|e| format!("{}: {e} [{}]", path.display(), e.code()))?;
    if let Some(p) = agent_keys {
        keys.add_agent_jwks(&read(p)?)
            .map_err(|e| format!("{}: {e} [{}]", p.display(), e.code()))?;
    }
    Ok(keys)
}

/// What to add to a failure when the agent key set was not given and is what is missing.
fn agent_hint(code: &str, args: &VerifyArgs) -> &'static str {
    if code == "agent_key_unknown" && args.agent_keys.is_none() {
        "; a hotline agent recorded it: give the server's agent key set with --agent-keys \
         (/.well-known/consentry/agent-keys.json)"
    } else {
        ""
    }
}

/// Runs the subcommand.
pub fn run(args: &VerifyArgs) -> ExitCode {
    if let Some(pack) = &args.evidence {
        return crate::evidence::run(args, pack);
    }
    if !args.witness_keys.is_empty() && args.log_key.is_none() {
        eprintln!("error: --witness-key needs --log-key (or --evidence)");
        return ExitCode::from(2);
    }
    if args.agent_keys.is_some() && args.keys.is_none() {
        eprintln!(
            "error: --agent-keys needs --keys (or --evidence): an agent's key is checked at the \
             server time of the countersignature"
        );
        return ExitCode::from(2);
    }
    if let Some(ledger) = &args.ledger {
        return run_ledger(args, ledger);
    }
    if args.receipt.is_none() {
        return crate::tlog::run_consistency(args);
    }
    let Some(receipt_path) = &args.receipt else {
        eprintln!("error: give a receipt file or --ledger <export>");
        return ExitCode::from(2);
    };
    let keys = match args
        .keys
        .as_deref()
        .map(|k| load_keys(k, args.agent_keys.as_deref()))
        .transpose()
    {
        Ok(k) => k,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let policy = match &args.notices {
        None => VerifyPolicy::default(),
        Some(dir) => match load_notices(dir) {
            Ok(registry) => VerifyPolicy {
                notices: Some(registry),
            },
            Err(msg) => {
                eprintln!("error: {msg}");
                return ExitCode::from(2);
            }
        },
    };
    let envelope = match read_limited(receipt_path) {
        Ok(b) => b,
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    // A downloaded receipt (`{"receipt","server"}`) or a server answer: the countersigned
    // envelope and its log proof.
    let (envelope, tlog_proof) = crate::tlog::unwrap_receipt(envelope);
    let verified = match verify(&envelope, &policy) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("invalid receipt: {e} [{}]", e.code());
            return ExitCode::from(1);
        }
    };
    let countersigned = Jws::from_json(&envelope).is_ok_and(|j| j.signatures.len() > 1);
    let cs = match &keys {
        // The whole rule of the server's ingest: countersignature, link, agent key.
        Some(ks) => match verify_countersigned(&envelope, &policy, ks) {
            Ok((_, cs)) => Some((cs, ks)),
            Err(e) => {
                let code = e.code();
                eprintln!("invalid receipt: {e}{} [{code}]", agent_hint(code, args));
                return ExitCode::from(1);
            }
        },
        // An agent's key proves nothing until the agent key set and the server's time say it
        // was that agent's then: fail closed.
        None if verified.receipt().agent.is_some() => {
            eprintln!(
                "invalid receipt: a hotline agent recorded it, and its agent key is checked \
                 only with the server's keys: give --keys keys.json and --agent-keys \
                 agent-keys.json (/.well-known/consentry/agent-keys.json) [agent_key_unknown]"
            );
            return ExitCode::from(1);
        }
        None => None,
    };
    let log_line = match crate::tlog::check_receipt(
        args,
        &verified,
        cs.as_ref().map(|c| &c.0),
        tlog_proof.as_deref(),
    ) {
        Ok(line) => line,
        Err(code) => return code,
    };
    let mut out = summary(&verified, args.notices.as_deref());
    match &cs {
        Some((cs, ks)) => {
            out.push_str(&countersignature_summary(cs, ks));
            out.push_str(&agent_summary(verified.receipt(), ks));
        }
        None if countersigned => out.push_str(
            "  countersigned: yes, NOT checked (give the server's keys.json with --keys)\n",
        ),
        None => out.push_str("  countersigned: no (device signature only)\n"),
    }
    out.push_str(&log_line);
    if let Some(bundle) = policy
        .notices
        .as_ref()
        .and_then(|r| r.get(&verified.receipt().notice.sha256))
    {
        let age = verified.receipt().jurisdiction.child_age();
        out.push_str(&notice_text(bundle, age));
    }
    print!("{out}");
    ExitCode::SUCCESS
}

fn run_ledger(args: &VerifyArgs, ledger: &Path) -> ExitCode {
    let keys = match args
        .keys
        .as_deref()
        .map(|k| load_keys(k, args.agent_keys.as_deref()))
        .transpose()
    {
        Ok(Some(k)) => k,
        Ok(None) => {
            eprintln!("error: --ledger needs the server's keys (--keys keys.json)");
            return ExitCode::from(2);
        }
        Err(msg) => {
            eprintln!("error: {msg}");
            return ExitCode::from(2);
        }
    };
    let policy = match &args.notices {
        None => VerifyPolicy::default(),
        Some(dir) => match load_notices(dir) {
            Ok(registry) => VerifyPolicy {
                notices: Some(registry),
            },
            Err(msg) => {
                eprintln!("error: {msg}");
                return ExitCode::from(2);
            }
        },
    };
    let export = match std::fs::read(ledger) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", ledger.display());
            return ExitCode::from(2);
        }
    };
    let head = match &args.head {
        None => None,
        Some(p) => {
            let bytes = match std::fs::read(p) {
                Ok(b) => b,
                Err(e) => {
                    eprintln!("error: cannot read {}: {e}", p.display());
                    return ExitCode::from(2);
                }
            };
            match verify_ledger_head(&bytes, &keys) {
                Ok((h, _)) => Some(h),
                Err(e) => {
                    eprintln!("invalid ledger head: {e} [{}]", e.code());
                    return ExitCode::from(1);
                }
            }
        }
    };
    match verify_ledger_export(&export, &policy, &keys, head.as_ref()) {
        Ok(check) => {
            let log_line = match crate::tlog::check_export(args, &export) {
                Ok(l) => l,
                Err(code) => return code,
            };
            let mut s = String::new();
            let _ = writeln!(
                s,
                "valid ledger {}: {} entries, chain intact",
                check.log_id.as_deref().unwrap_or("(empty)"),
                check.entries
            );
            let _ = writeln!(s, "  head hash:   {}", check.head.to_hex());
            s.push_str(&log_line);
            let _ = match &head {
                Some(h) => writeln!(
                    s,
                    "  signed head: size {} at {} matches",
                    h.size,
                    h.time.to_rfc3339()
                ),
                None => writeln!(
                    s,
                    "  signed head: not given (use --head to detect entries cut from the end)"
                ),
            };
            let _ = writeln!(
                s,
                "  notices:     {}",
                if args.notices.is_some() {
                    "every receipt names a published notice"
                } else {
                    "not checked against a notice build (use --notices)"
                }
            );
            if check.flagged.is_empty() {
                let _ = writeln!(s, "  flagged:     none (every subject chain is linked)");
            } else {
                let _ = writeln!(
                    s,
                    "  flagged:     {} entries do not continue their subject's chain:",
                    check.flagged.len()
                );
                for (i, id) in &check.flagged {
                    let _ = writeln!(s, "    #{i} {id}");
                }
            }
            print!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let code = e.code();
            eprintln!("invalid ledger: {e}{} [{code}]", agent_hint(code, args));
            ExitCode::from(1)
        }
    }
}

/// Who recorded an agent's receipt, with what key and what was read out (empty for any other
/// receipt). Only after the agent rule held.
fn agent_summary(r: &Receipt, keys: &KeySet) -> String {
    let (Some(a), Some(k)) = (&r.agent, keys.agent(&r.subject)) else {
        return String::new();
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "  agent:       {} on call {}, key {} (registered {}, {})",
        a.agent_id,
        a.call_ref,
        k.kid,
        k.created.to_rfc3339(),
        k.revoked.map_or("not revoked".to_string(), |t| format!(
            "revoked {}",
            t.to_rfc3339()
        ))
    );
    let read: Vec<&str> = a.read_out.iter().map(|p| p.as_str()).collect();
    let _ = writeln!(s, "  read out:    {}", read.join(", "));
    s
}

fn countersignature_summary(cs: &Countersignature, keys: &KeySet) -> String {
    let status = keys.get(&cs.kid).map_or("unknown", |k| match k.status {
        KeyStatus::Active => "active",
        _ => "retired",
    });
    let p = &cs.position;
    let mut s = String::new();
    let _ = writeln!(s, "  countersigned: by server key {} ({status})", cs.kid);
    let _ = writeln!(
        s,
        "  received:    {} (server clock, authoritative)",
        cs.received_at.to_rfc3339()
    );
    let _ = writeln!(
        s,
        "  ledger:      {} entry #{} (previous entry {})",
        p.log_id,
        p.index,
        p.prev.to_hex()
    );
    let _ = writeln!(s, "  subject chain: {}", p.subject_chain.as_str());
    s
}

/// Reads at most one byte more than a verifier accepts, so a huge file is refused by `verify`
/// (`envelope_too_large`) without being read whole.
fn read_limited(path: &Path) -> Result<Vec<u8>, String> {
    let file = File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut buf = Vec::new();
    file.take(u64::try_from(MAX_ENVELOPE_BYTES).unwrap_or(u64::MAX) + 1)
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(buf)
}

/// Loads `<dir>/manifest.json` and every locale file it lists.
/// Reads published notices: a `consentry build` output directory (its `manifest.json` and
/// every version in `archive/<notice id>/<version>/`) or a single build. Every version must
/// load whole; directories whose name begins with `.` (publishing in progress) are skipped.
pub(crate) fn load_notices(dir: &Path) -> Result<NoticeRegistry, String> {
    let mut registry = NoticeRegistry::new();
    let mut builds = Vec::new();
    if dir.join("manifest.json").exists() {
        builds.push(dir.to_path_buf());
    }
    let archive = dir.join(ARCHIVE_DIR);
    if archive.is_dir() {
        for id in list_dirs(&archive)? {
            builds.extend(list_dirs(&id)?);
        }
    }
    if builds.is_empty() {
        return Err(format!(
            "{}: no notice build there (no manifest.json, no {ARCHIVE_DIR}/<notice id>/<version>/)",
            dir.display()
        ));
    }
    for build in builds {
        let manifest_path = build.join("manifest.json");
        let manifest = std::fs::read(&manifest_path)
            .map_err(|e| format!("cannot read {}: {e}", manifest_path.display()))?;
        registry
            .add_build(&manifest, |name| {
                std::fs::read(build.join(name)).map_err(|e| e.to_string())
            })
            .map_err(|e| format!("notice build {}: {e}", build.display()))?;
    }
    Ok(registry)
}

/// The subdirectories of `dir`, sorted, without those whose name begins with `.`.
fn list_dirs(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut out = Vec::new();
    for e in entries {
        let e = e.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if is_in_progress(&e.file_name().to_string_lossy()) || !e.path().is_dir() {
            continue;
        }
        out.push(e.path());
    }
    out.sort();
    Ok(out)
}

fn summary(v: &VerifiedReceipt, notices: Option<&Path>) -> String {
    let r = v.receipt();
    let mut s = String::new();
    let n = &r.notice;
    let j = &r.jurisdiction;
    let _ = writeln!(s, "valid receipt {}", r.receipt_id);
    let _ = writeln!(
        s,
        "  notice:      {} version {} ({})",
        n.notice_id, n.version, n.locale
    );
    let _ = writeln!(s, "  notice hash: {}", n.sha256.to_hex());
    let _ = match notices {
        Some(dir) => writeln!(s, "               published in {}", dir.display()),
        None => writeln!(
            s,
            "               not checked against a notice build (use --notices)"
        ),
    };
    let _ = writeln!(s, "  subject:     {}", r.subject);
    let _ = writeln!(
        s,
        "  collected:   {} (device clock)",
        r.collected_at.to_rfc3339()
    );
    let _ = writeln!(
        s,
        "  event:       {} on {} ({})",
        r.event.kind.as_str(),
        r.event.channel.as_str(),
        r.event.interaction.as_str()
    );
    let _ = writeln!(
        s,
        "  regime:      {} (region {}, from {})",
        j.regime.as_str(),
        j.region.as_ref().map_or("unknown", |c| c.as_str()),
        j.determined_by.as_str()
    );
    if !j.regimes.is_empty() {
        let all: Vec<String> = j
            .regimes
            .iter()
            .map(|(g, why)| format!("{} ({})", g.as_str(), why.as_str()))
            .collect();
        let _ = writeln!(s, "  regimes:     {}", all.join(", "));
    }
    if let Some(age) = j.child_age() {
        let who = if r.indicated_by == consentry_core::receipt::IndicatedBy::Guardian {
            "decided by a parent or guardian for a child"
        } else {
            "decided by the person"
        };
        let _ = writeln!(s, "  child age:   below {age} a guardian decides; {who}");
    }
    let _ = writeln!(s, "  gpc signal:  {}", if r.gpc { "yes" } else { "no" });
    let _ = writeln!(s, "  receipt hash: {}", v.payload_sha256().to_hex());
    let _ = writeln!(s, "  decisions:");
    let width = r
        .decisions
        .iter()
        .map(|d| d.purpose_id.as_str().len())
        .max()
        .unwrap_or(0);
    for d in &r.decisions {
        let _ = writeln!(
            s,
            "    {:<width$}  {:<14}  {}{}",
            d.purpose_id.as_str(),
            d.state.as_str(),
            d.legal_basis,
            if d.required { ", required" } else { "" }
        );
    }
    s
}
