//! The load benchmark (issue 7, item 5): `consentry-loadgen ramp` drives the real release
//! `consentry-server` (SQLite) on 127.0.0.1 at rising offered rates, each for a bounded time,
//! then checks over the admin API with `consentry verify --ledger` and directly in the
//! database that every acknowledged receipt is stored exactly once, no refused one is, and
//! the chain verifies. The loadgen fails (and so does this benchmark) if any of that does not
//! hold; the report records the highest step held with no error and what happened past it.

use std::fmt::Write as _;

use super::ingest::{build_server_and_loadgen, load_average, loadgen, machine};
use crate::util::{cargo, cmd, output, sh};

/// Offered rates, receipts per second, in order; each step lasts [`STEP_SECONDS`].
const RATES: &str = "1000,2000,3000,4000,5000,6000,8000,12000";
const STEP_SECONDS: &str = "5";

/// Builds, runs and appends the load section to `out`.
pub fn run(out: &mut String) -> Result<(), String> {
    let bin = build_server_and_loadgen()?;
    sh(cargo().args(["build", "--release", "-p", "consentry-cli"]))?;
    let server = bin.join("consentry-server").display().to_string();
    let cli = bin.join("consentry").display().to_string();
    let date = output(cmd("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))
        .map_or_else(|| "unknown date".into(), |d| d.trim().to_owned());
    let load = load_average();
    let report = loadgen(
        &bin.join("consentry-loadgen"),
        &[
            "ramp",
            "--server-bin",
            &server,
            "--cli-bin",
            &cli,
            "--rates",
            RATES,
            "--step-seconds",
            STEP_SECONDS,
        ],
    )?;
    let rows: Vec<&str> = report.lines().filter(|l| l.starts_with('|')).collect();
    let facts: Vec<&str> = report
        .lines()
        .filter(|l| {
            l.starts_with("- ") && !l.starts_with("- held:") && !l.starts_with("- clean above:")
        })
        .collect();
    let held = report
        .lines()
        .find_map(|l| l.strip_prefix("- held: "))
        .unwrap_or("none")
        .trim()
        .to_owned();
    let clean_above = report
        .lines()
        .find_map(|l| l.strip_prefix("- clean above: "))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            format!(
                " (a higher step, {c} /s, was also answered without an error: shedding depends \
                 on momentary load, so the rate held is the highest step with every step below \
                 it clean)"
            )
        })
        .unwrap_or_default();

    let _ = writeln!(out, "\n## Load: rising offered rates (SQLite)\n");
    let _ = writeln!(
        out,
        "Run on {date}: {}; load average before: {load}. `consentry-loadgen ramp`: the real \
         release server (default limits: connection cap, read timeouts, verifier pool with an \
         in-flight limit and a bounded write queue shedding with `503 overloaded` + \
         `Retry-After`; the per-IP rate limit is off because every request comes from \
         127.0.0.1) and an open-loop generator on the same two cores. Each step offers \
         receipts on a fixed schedule for {STEP_SECONDS} s (every receipt distinct, valid, \
         device-signed); latency is measured from each receipt's scheduled send time, so \
         queueing counts. `other` = any other status, a connection error or no answer within \
         10 s.\n",
        machine()
    );
    let _ = writeln!(
        out,
        "| offered | sent | 2xx | 429 | 503 | other | 2xx achieved | 2xx p50 / p99 / max | \
         503 p50 / p99 / max | server CPU per stored receipt |\n|---|---|---|---|---|---|---|---|---|---|"
    );
    for r in &rows {
        let _ = writeln!(out, "{r}");
    }
    let _ = writeln!(
        out,
        "\nAfter the run (checked by the load generator; it fails otherwise):\n"
    );
    for f in &facts {
        let _ = writeln!(out, "{f}");
    }
    let _ = writeln!(
        out,
        "- **Highest offered rate held with no error and no lost receipt, every step up to it \
         included: {held}{}.**{clean_above} Past it \
         the server answers what it cannot take in time with `503 overloaded` (the 503 \
         column) instead of queueing without bound; the database check above shows that \
         no acknowledged receipt was lost and no refused one was stored.",
        if held == "none" { "" } else { " receipts/s" }
    );
    out.push('\n');
    Ok(())
}
