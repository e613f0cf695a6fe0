//! `consentry verify --evidence <pack.html> [--keys F] [--agent-keys F] [--log-key V] [--witness-key V …]`
//!
//! Checks an evidence pack (ADR 0016) offline, all of it:
//!
//! 1. its data block is one well-formed `consentry-evidence/2` document (or `/1`, made before
//!    agent keys: read with an empty agent key set);
//! 2. every notice build in it is whole (each file hashes to its manifest's digest, each first
//!    layer to its details file);
//! 3. the ledger export verifies as a whole (every receipt's device signature, receipt rules
//!    against the notice it names, countersignature, and for a receipt a hotline agent
//!    recorded its agent key; the hash chain from the first entry; the per-subject chain
//!    flags);
//! 4. the checkpoint carries the log's signature and every witness's cosignature, and the
//!    export's entries make exactly its tree (no entry more, none less);
//! 5. the report is exactly the one these parts make: drawn again and compared byte for
//!    byte.
//!
//! The keys it trusts are those given on the command line; without them it uses the pack's
//! own and says so. Exit 0 with what the pack proves on stdout; exit 1 with
//! `invalid evidence: <reason> [<code>]` on stderr; exit 2 when the file cannot be read or a
//! given key is malformed.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

use consentry_core::encoding::{Sha256Digest, b64url_decode};
use consentry_core::evidence::{self, Item, Pack, Summary};
use consentry_core::json;
use consentry_core::receipt::Receipt;
use consentry_core::receipt::jws::Jws;
use consentry_core::receipt::ledger::LedgerEntry;
use consentry_core::receipt::verify::{KeySet, NoticeRegistry, VerifyPolicy, verify_ledger_export};
use consentry_tlog::{CosignatureVerifier, VerifiedCheckpoint};

use crate::args::VerifyArgs;

/// Largest pack read (a ledger of some million receipts).
const MAX_PACK_BYTES: u64 = 4 << 30;

fn usage(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

fn invalid(msg: impl std::fmt::Display, code: &str) -> ExitCode {
    eprintln!("invalid evidence: {msg} [{code}]");
    ExitCode::from(1)
}

/// The checked parts, for the summary.
struct Checked {
    pack: Pack,
    entries: u64,
    flagged: usize,
    locales: usize,
    log: Option<VerifiedCheckpoint>,
    receipts_in_scope: usize,
    /// Receipts hotline agents recorded, and the agent keys checked against.
    agents: (usize, usize),
    trust: Vec<&'static str>,
}

/// Runs `verify --evidence`.
pub fn run(args: &VerifyArgs, path: &Path) -> ExitCode {
    let text = match read(path) {
        Ok(t) => t,
        Err(code) => return code,
    };
    match check(args, &text) {
        Ok(c) => {
            print!("{}", report(path, &c));
            ExitCode::SUCCESS
        }
        Err(code) => code,
    }
}

fn read(path: &Path) -> Result<String, ExitCode> {
    let meta = std::fs::metadata(path)
        .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    if meta.len() > MAX_PACK_BYTES {
        return Err(usage(format!(
            "{} is {} bytes, more than the {MAX_PACK_BYTES} this command reads",
            path.display(),
            meta.len()
        )));
    }
    let bytes =
        std::fs::read(path).map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes).map_err(|e| {
        invalid(
            format!(
                "the file is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to()
            ),
            "evidence_malformed",
        )
    })
}

/// One key of a key set, as [`later_form`] compares them.
struct Pin {
    /// How the key is named in an error.
    id: String,
    /// What must not change: the public key (and, for an agent key, its holder).
    same: String,
    kid: String,
    created: Option<consentry_core::time::Timestamp>,
    /// Retired (server key) or revoked (agent key): when, if the set says.
    ended: Option<consentry_core::time::Timestamp>,
    /// Whether the set says it ended (a server key may say `retired` with no date).
    closed: bool,
}

/// Whether `given` (a key set an assessor fetched from the server, perhaps years after the
/// pack was `made`) is the pack's `own` set as the server publishes it later: every key of the
/// pack, with the same public key, holder and creation; a key the pack shows in use may have
/// been retired or revoked since, at a time after `made`; and keys made after `made` may be
/// added. Anything else (a key missing or changed, an end moved or dated before the pack, an
/// extra key from before the pack or with no creation date: the stricter reading) means the
/// report shows keys the receipts were not checked against.
fn later_form(
    own: &[Pin],
    given: &[Pin],
    made: consentry_core::time::Timestamp,
) -> Result<(), String> {
    for o in own {
        let Some(g) = given.iter().find(|g| g.kid == o.kid) else {
            return Err(format!("key {} is not in the given set", o.id));
        };
        if g.same != o.same || g.created != o.created {
            return Err(format!("key {} differs in the given set", o.id));
        }
        match (o.ended, g.ended) {
            (a, b) if a == b && o.closed == g.closed => {}
            (None, Some(t)) if t > made => {}
            _ => {
                return Err(format!(
                    "key {} ends at another time in the given set, not after the pack was made",
                    o.id
                ));
            }
        }
    }
    for g in given {
        if !own.iter().any(|o| o.kid == g.kid) && g.created.is_none_or(|c| c <= made) {
            return Err(format!(
                "the given set holds key {}, from before the pack was made (or undated), and the pack does not",
                g.id
            ));
        }
    }
    Ok(())
}

fn check(args: &VerifyArgs, text: &str) -> Result<Checked, ExitCode> {
    let pack = evidence::read(text).map_err(|e| invalid(&e, e.code()))?;
    let mut trust = Vec::new();

    // Keys: the ones given, else the pack's own.
    let keys_text = match &args.keys {
        Some(p) => {
            trust.push("server keys: given with --keys");
            std::fs::read(p).map_err(|e| usage(format!("cannot read {}: {e}", p.display())))?
        }
        None => {
            trust.push("server keys: the pack's own (give --keys to pin them)");
            pack.keys.clone().into_bytes()
        }
    };
    let mut keys = KeySet::from_jwks(&keys_text).map_err(|e| match &args.keys {
        Some(p) => usage(format!("{}: {e} [{}]", p.display(), e.code())),
        None => invalid(format!("its key set: {e}"), e.code()),
    })?;
    // The report prints the pack's keys: with keys given, they must be the pack's keys (as the
    // server publishes them later), or the report would show keys nothing was checked against.
    if args.keys.is_some() {
        let own = KeySet::from_jwks(pack.keys.as_bytes())
            .map_err(|e| invalid(format!("its key set: {e}"), e.code()))?;
        let pins = |k: &KeySet| {
            k.keys()
                .iter()
                .map(|s| Pin {
                    id: format!("{} ({})", s.kid, s.status.as_str()),
                    same: format!("{}.{}", s.jwk.x, s.jwk.y),
                    kid: s.kid.clone(),
                    created: s.created,
                    ended: s.retired,
                    closed: s.status != consentry_core::receipt::verify::KeyStatus::Active
                        || s.retired.is_some(),
                })
                .collect::<Vec<_>>()
        };
        later_form(&pins(&own), &pins(&keys), pack.created_at).map_err(|why| {
            invalid(
                format!("the pack's key set is not the one given with --keys: {why}"),
                "evidence_key_mismatch",
            )
        })?;
    }

    // Agent keys: the ones given, else the pack's own; beside the server keys, never as one.
    let agent_text = match &args.agent_keys {
        Some(p) => {
            trust.push("agent keys: given with --agent-keys");
            std::fs::read(p).map_err(|e| usage(format!("cannot read {}: {e}", p.display())))?
        }
        None => {
            trust.push(if pack.agent_keys.is_some() {
                "agent keys: the pack's own (give --agent-keys to pin them)"
            } else {
                "agent keys: none (a pack made before agent keys)"
            });
            pack.agent_key_set().as_bytes().to_vec()
        }
    };
    keys.add_agent_jwks(&agent_text)
        .map_err(|e| match &args.agent_keys {
            Some(p) => usage(format!("{}: {e} [{}]", p.display(), e.code())),
            None => invalid(format!("its agent key set: {e}"), e.code()),
        })?;
    // The report lists the pack's agent keys: given ones must be the same, with the same
    // holders and times.
    if args.agent_keys.is_some() {
        let mut own = KeySet::new();
        own.add_agent_jwks(pack.agent_key_set().as_bytes())
            .map_err(|e| invalid(format!("its agent key set: {e}"), e.code()))?;
        let pins = |k: &KeySet| {
            k.agents()
                .iter()
                .map(|a| Pin {
                    id: format!("{} of {}", a.kid, a.agent),
                    same: format!("{}.{}.{}", a.agent, a.jwk.x, a.jwk.y),
                    kid: a.kid.clone(),
                    created: Some(a.created),
                    ended: a.revoked,
                    closed: a.revoked.is_some(),
                })
                .collect::<Vec<_>>()
        };
        later_form(&pins(&own), &pins(&keys), pack.created_at).map_err(|why| {
            invalid(
                format!("the pack's agent key set is not the one given with --agent-keys: {why}"),
                "evidence_key_mismatch",
            )
        })?;
    }

    // Notices: every build whole.
    let mut registry = NoticeRegistry::new();
    let mut locales = 0;
    let mut seen = std::collections::BTreeSet::new();
    for n in &pack.notices {
        if !seen.insert((n.notice_id.as_str(), n.version.as_str())) {
            return Err(invalid(
                format!("notice {} {} is in the pack twice", n.notice_id, n.version),
                "notice_build_invalid",
            ));
        }
        let manifest = n.file("manifest.json").ok_or_else(|| {
            invalid(
                format!("notice {} {} has no manifest.json", n.notice_id, n.version),
                "notice_build_invalid",
            )
        })?;
        // The row names the build it holds (the report prints the row's names beside the
        // build's digest and locales).
        match consentry_core::bundle::Manifest::from_json(manifest.as_bytes()) {
            Ok(m) if m.notice_id.as_str() == n.notice_id && m.version == n.version => {}
            _ => {
                return Err(invalid(
                    format!(
                        "the build listed as notice {} {} is another notice or version",
                        n.notice_id, n.version
                    ),
                    "notice_build_invalid",
                ));
            }
        }
        let added = registry
            .add_build(manifest.as_bytes(), |name| {
                n.file(name)
                    .map(|t| t.as_bytes().to_vec())
                    .ok_or_else(|| format!("{name} is not in the pack"))
            })
            .map_err(|e| {
                invalid(
                    format!("notice {} {}: {e}", n.notice_id, n.version),
                    "notice_build_invalid",
                )
            })?;
        locales += added;
    }
    let policy = VerifyPolicy {
        notices: Some(registry),
    };

    // The ledger, as a whole.
    let ledger =
        verify_ledger_export(pack.ledger.as_bytes(), &policy, &keys, None).map_err(|e| {
            let why = match (e.code(), &args.agent_keys) {
                ("agent_key_unknown", None) if pack.agent_keys.is_none() => {
                    "; the pack was made before agent keys and carries none"
                }
                ("agent_key_unknown", None) => {
                    "; the pack's agent key set does not hold the key a hotline agent signed with"
                }
                ("agent_key_unknown", Some(_)) => {
                    "; the agent key set given with --agent-keys does not hold it"
                }
                _ => "",
            };
            invalid(format!("ledger {e}{why}"), e.code())
        })?;

    // The entries, read back for the log and the summary (each line verified above).
    let mut hashes = Vec::new();
    let mut entries: Vec<(LedgerEntry, Receipt)> = Vec::new();
    for line in pack.ledger.lines().filter(|l| !l.trim().is_empty()) {
        let (entry, hash, receipt) = entry_of(line).ok_or_else(|| {
            invalid(
                "a ledger line could not be read back",
                "ledger_line_malformed",
            )
        })?;
        hashes.push(hash.0);
        entries.push((entry, receipt));
    }

    // The log: the checkpoint's tree is exactly the export.
    let log = match &pack.log {
        None => {
            if args.log_key.is_some() || !args.witness_keys.is_empty() {
                return Err(invalid(
                    "--log-key or --witness-key was given but the pack carries no checkpoint",
                    "checkpoint_missing",
                ));
            }
            trust.push("transparency log: none in the pack");
            None
        }
        Some(l) => {
            let key = match &args.log_key {
                Some(k) if *k != l.verifier_key => {
                    return Err(invalid(
                        format!(
                            "the pack names log key {}, not the one given ({k})",
                            l.verifier_key
                        ),
                        "evidence_key_mismatch",
                    ));
                }
                Some(k) => {
                    trust.push("log key: given with --log-key");
                    k.clone()
                }
                None => {
                    trust.push("log key: the pack's own (give --log-key to pin it)");
                    l.verifier_key.clone()
                }
            };
            let verifier = consentry_tlog::log_verifier(&key)
                .map_err(|e| invalid(format!("log key: {}", e.message), "evidence_malformed"))?;
            let given: Vec<&String> = if args.witness_keys.is_empty() {
                if !l.witnesses.is_empty() {
                    trust.push("witness keys: the pack's own (give --witness-key to pin them)");
                }
                l.witnesses.iter().collect()
            } else {
                // The report prints the pack's witnesses: they must be the ones checked.
                let mut a: Vec<&String> = args.witness_keys.iter().collect();
                let mut b: Vec<&String> = l.witnesses.iter().collect();
                a.sort();
                b.sort();
                if a != b {
                    return Err(invalid(
                        "the pack's witnesses are not the ones given with --witness-key",
                        "evidence_key_mismatch",
                    ));
                }
                trust.push("witness keys: given with --witness-key");
                args.witness_keys.iter().collect()
            };
            let ws = given
                .iter()
                .map(|w| CosignatureVerifier::new(w))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| {
                    invalid(format!("witness key: {}", e.message), "evidence_malformed")
                })?;
            let cp = consentry_tlog::verify_checkpoint(l.checkpoint.as_bytes(), &verifier, &ws)
                .map_err(|e| invalid(format!("checkpoint: {}", e.message), e.code))?;
            if cp.checkpoint.origin() != l.origin {
                return Err(invalid(
                    format!(
                        "the checkpoint is of log {}, the pack names {}",
                        cp.checkpoint.origin(),
                        l.origin
                    ),
                    "evidence_key_mismatch",
                ));
            }
            consentry_tlog::check_entries(&hashes, &cp.checkpoint)
                .map_err(|e| invalid(format!("log: {}", e.message), e.code))?;
            if ledger.entries != cp.checkpoint.size() {
                return Err(invalid(
                    format!(
                        "the ledger has {} entries, the checkpoint covers {}: entries past it are not logged",
                        ledger.entries,
                        cp.checkpoint.size()
                    ),
                    "log_inconsistent",
                ));
            }
            Some(cp)
        }
    };

    // The report: exactly what these parts make.
    let summary = Summary::of(
        &pack.scope,
        ledger.entries,
        entries.iter().map(|(e, r)| Item {
            index: e.index,
            received_at: e.received_at,
            receipt: r,
            subject_chain: e.subject_chain,
        }),
    );
    let drawn = evidence::render(&pack, &summary);
    if drawn != text {
        let at = drawn
            .bytes()
            .zip(text.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(drawn.len().min(text.len()));
        let line = text.as_bytes()[..at.min(text.len())]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        return Err(invalid(
            format!(
                "the report is not the one its parts make (first difference at byte {at}, line {line}): \
                 a number, row or text of the report was changed"
            ),
            "evidence_report_mismatch",
        ));
    }
    Ok(Checked {
        receipts_in_scope: summary.receipts.len(),
        agents: (
            entries.iter().filter(|(_, r)| r.agent.is_some()).count(),
            keys.agents().len(),
        ),
        pack,
        entries: ledger.entries,
        flagged: ledger.flagged.len(),
        locales,
        log,
        trust,
    })
}

fn entry_of(line: &str) -> Option<(LedgerEntry, Sha256Digest, Receipt)> {
    let v = json::parse_str(line).ok()?;
    let entry = LedgerEntry::from_value(v.get("entry")?).ok()?;
    let hash = Sha256Digest::from_hex(v.get("entry_hash")?.as_str()?)?;
    let jws = Jws::from_json(json::to_canonical_string(v.get("receipt")?).as_bytes()).ok()?;
    let payload = b64url_decode(&jws.payload)?;
    let receipt = Receipt::from_value(&json::parse(&payload).ok()?).ok()?;
    Some((entry, hash, receipt))
}

fn report(path: &Path, c: &Checked) -> String {
    let p = &c.pack;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "valid evidence pack {} (made {})",
        path.display(),
        p.created_at.to_rfc3339()
    );
    let purposes = if p.scope.purposes.is_empty() {
        "all".to_string()
    } else {
        p.scope.purposes.join(", ")
    };
    let _ = writeln!(
        s,
        "  scope:    received {} to {}; purposes: {purposes}",
        p.scope.from.to_rfc3339(),
        p.scope.to.to_rfc3339()
    );
    let _ = writeln!(
        s,
        "  ledger:   {} entries from the first, hash chain intact; every device signature, receipt and countersignature valid; {} flagged as not continuing their subject's chain",
        c.entries, c.flagged
    );
    let _ = match c.agents {
        (0, keys) => writeln!(
            s,
            "  agents:   no receipt recorded by a hotline agent ({keys} agent keys)"
        ),
        (n, keys) => writeln!(
            s,
            "  agents:   {n} receipts recorded by hotline agents, each signed by its agent's key, registered and not revoked when received ({keys} agent keys)"
        ),
    };
    let _ = writeln!(
        s,
        "  notices:  {} versions ({} locale files), every file matching its manifest; every receipt's notice text among them",
        p.notices.len(),
        c.locales
    );
    match &c.log {
        None => {
            let _ = writeln!(s, "  log:      none (the ledger's hash chain alone)");
        }
        Some(cp) => {
            let w = crate::tlog::witnessed_line(cp);
            let _ = writeln!(
                s,
                "  log:      the {} entries make checkpoint {} size {}, signed by the log; witnesses: {w}",
                c.entries,
                cp.checkpoint.origin(),
                cp.checkpoint.size()
            );
        }
    }
    let _ = writeln!(
        s,
        "  report:   {} receipts in scope; every table, chart and row is exactly what these parts make",
        c.receipts_in_scope
    );
    for t in &c.trust {
        let _ = writeln!(s, "  trusted:  {t}");
    }
    s
}
