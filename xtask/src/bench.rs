//! `cargo xtask bench`: runs every benchmark and rewrites `BENCHMARKS.md`.
//!
//! A thin dispatcher: each benchmark lives in its own module under `bench/` and appends its
//! Markdown sections to the report.
//! - [`widget`]: the shipped widget against two JavaScript peers in Chromium (bytes before the
//!   banner is interactive, timings, heap), the size levers and where the bytes go (issue 6);
//! - [`ingest`]: the receipt server's ingest (verify + store + countersign) on SQLite and
//!   PostgreSQL next to the raw cost of one ES256 verification (issue 5);
//! - [`load`]: the receipt server at rising offered rates until it sheds load, then the
//!   database and `consentry verify --ledger` check that nothing acknowledged was lost (issue 7);
//! - [`check`]: `POST /v1/consent/check` for backend systems, throughput and latency at a
//!   fixed rate, every answer checked (issue 15);
//! - [`lint`]: `consentry lint` of 50 locales × 30 purposes (issue 3).
//!
//! `cargo xtask bench widget ingest load check lint` runs a subset; a subset writes
//! `target/BENCHMARKS.partial.md` so the committed file always comes from a full run.

mod check;
mod ingest;
mod lint;
mod load;
pub(crate) mod widget;

use crate::util::{self, step};

const ALL: [&str; 5] = ["widget", "ingest", "load", "check", "lint"];

/// Runs the benchmarks and writes the report.
pub fn run(args: &[String]) -> Result<(), String> {
    for a in args {
        if !ALL.contains(&a.as_str()) {
            return Err(format!(
                "unknown benchmark {a:?}; benchmarks are {}",
                ALL.join(", ")
            ));
        }
    }
    let want = |b: &str| args.is_empty() || args.iter().any(|a| a == b);
    let mut out = String::from(
        "# Consentry benchmarks\n\n\
         Written by `cargo xtask bench` (do not edit by hand; rerun it). Every number below comes \
         from the run that wrote this file, on the machine described in each section. Numbers \
         from a shared machine vary between runs; the load average around each run is recorded.\n\n",
    );
    if want("widget") {
        step("bench: widget against vanilla-cookieconsent and klaro (Chromium)");
        widget::run(&mut out)?;
    }
    if want("ingest") {
        step("bench: receipt ingest (verify + store + countersign)");
        ingest::run(&mut out)?;
    }
    if want("load") {
        step("bench: receipt server at rising offered rates (SQLite)");
        load::run(&mut out)?;
    }
    if want("check") {
        step("bench: consent checks for backend systems (SQLite)");
        check::run(&mut out)?;
    }
    if want("lint") {
        step("bench: consentry lint of 50 locales × 30 purposes");
        lint::run(&mut out)?;
    }
    let path = if args.is_empty() {
        util::root().join("BENCHMARKS.md")
    } else {
        util::root().join("target/BENCHMARKS.partial.md")
    };
    std::fs::write(&path, &out).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("\nwrote {}", path.display());
    Ok(())
}
