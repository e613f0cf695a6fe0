//! `cargo xtask bench`: runs every benchmark and writes `BENCHMARKS.md`.
//!
//! A thin dispatcher: each benchmark lives in its own module under `bench/` and appends its
//! Markdown sections to the report.

mod ingest;

use crate::util::{self, step};

/// Runs the benchmarks and writes `BENCHMARKS.md` at the repository root.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("unknown bench option {a:?}"));
    }
    let mut out = String::from(
        "# Benchmarks\n\n\
         Written by `cargo xtask bench` from a real run on the machine named in each section; \
         re-run it to refresh. Numbers from a shared machine vary by a few percent between \
         runs; the load average before each run is recorded.\n",
    );
    step("bench: receipt ingest (verify + store + countersign)");
    ingest::run(&mut out)?;
    let path = util::root().join("BENCHMARKS.md");
    std::fs::write(&path, &out).map_err(|e| format!("writing {}: {e}", path.display()))?;
    println!("\nwrote {}", path.display());
    Ok(())
}
