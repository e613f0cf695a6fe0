//! `cargo xtask bench`: runs the benchmarks and rewrites `BENCHMARKS.md`.
//!
//! A thin dispatcher: each benchmark appends its Markdown section.
//! - [`widget`]: the shipped widget against two peers in the browser, the size levers, where
//!   the bytes go, and the size budget (issue 6).

mod widget;

use crate::util::{self, step};

/// `cargo xtask bench`.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!(
            "`cargo xtask bench` takes no arguments (got {a:?})"
        ));
    }
    let mut out = String::from(
        "# Consentry benchmarks\n\n\
         Written by `cargo xtask bench` (do not edit by hand; rerun it). Every number below comes \
         from the run that wrote this file.\n\n",
    );
    widget::run(&mut out)?;
    let path = util::root().join("BENCHMARKS.md");
    std::fs::write(&path, &out).map_err(|e| format!("writing {}: {e}", path.display()))?;
    step("bench: done");
    println!("wrote {}", path.display());
    Ok(())
}
