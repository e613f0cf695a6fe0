//! The consent-check benchmark (issue 15, item 5): `POST /v1/consent/check` on the real
//! release `consentry-server` (SQLite), driven by `consentry-loadgen check` over HTTP/1.1 on
//! 127.0.0.1; every answer is checked against what the subject decided.
//!
//! The target: p99 under 5 ms at 2,000 checks/s offered.

use std::fmt::Write as _;

use super::ingest::{build_server_and_loadgen, cell, load_average, loadgen, machine};
use crate::util::{cmd, output};

/// Target p99 at 2,000 checks/s offered, milliseconds.
const TARGET_P99_MS: f64 = 5.0;
/// The offered rate of the target.
const RATE: &str = "2000";

/// Builds, runs and appends the section to `out`.
pub fn run(out: &mut String) -> Result<(), String> {
    let bin = build_server_and_loadgen()?;
    let server = bin.join("consentry-server").display().to_string();
    let date = output(cmd("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .map_or_else(|| "unknown date".into(), |d| d.trim().to_owned());
    let load = load_average();
    let report = loadgen(
        &bin.join("consentry-loadgen"),
        &["check", "--server-bin", &server, "--rate", RATE],
    )?;
    let rows: Vec<&str> = report.lines().filter(|l| l.starts_with('|')).collect();
    let facts: Vec<&str> = report.lines().filter(|l| l.starts_with("- ")).collect();
    let _ = writeln!(
        out,
        "\n## Consent checks: \"may I?\" for backend systems (SQLite)\n"
    );
    let _ = writeln!(
        out,
        "Run on {date}: {}; load average before: {load}. `consentry-loadgen check`: the real \
         release server on a fresh SQLite ledger holding 2,000 subjects' chains (four or five \
         receipts each, stored through `POST /v1/receipts`), asked `POST /v1/consent/check` \
         with a service token: each answer read from the subject's chain and signed (ES256) \
         by the server. One check in ten names a subject with no receipt. Every answer is \
         checked against what the subject decided; a wrong one is an error. Each subject's \
         receipts carry a link token issued for its customer number, and the same is asked by \
         number (`{{\"identifier\":{{\"kind\":\"customer\",…}}}}`): the number's own key is \
         read from the store, its references made and their receipts read (ADR 0019). Max \
         throughput: a \
         closed loop of 32 keep-alive connections; fixed rate: checks offered on a fixed \
         schedule for 10 s, latency from each check's scheduled send time. The load generator \
         shares the two cores.\n",
        machine()
    );
    let _ = writeln!(
        out,
        "| store | load | checks sent | errors | achieved | p50 | p99 | max | server CPU per check | database CPU per check | load generator CPU per check |\n\
         |---|---|---|---|---|---|---|---|---|---|---|"
    );
    for r in &rows {
        let _ = writeln!(out, "{r}");
    }
    let _ = writeln!(out);
    for f in &facts {
        let _ = writeln!(out, "{f}");
    }
    for (who, by_number) in [("by subject", false), ("by customer number", true)] {
        let of = |kind: &str| {
            rows.iter()
                .find(|r| r.contains(kind) && r.contains("by customer number") == by_number)
                .copied()
        };
        let p99 = of("fixed rate").and_then(|r| cell(r, 6));
        let achieved = of("max throughput").and_then(|r| cell(r, 4));
        if let (Some(p99), Some(max)) = (p99, achieved) {
            let _ = writeln!(
                out,
                "- {who}: p99 at {RATE}/s offered: {p99:.2} ms, target under \
                 {TARGET_P99_MS:.0} ms: **{}**; most checks answered per second: {max:.0}.",
                if p99 < TARGET_P99_MS {
                    "met"
                } else {
                    "not met"
                }
            );
        }
    }
    Ok(())
}
