//! `consentry diff OLD NEW`: what changed between two published builds, message by message.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use consentry_core::compile::versions::{self, BuildDiff, MessageChange};

use crate::exit;
use crate::source;

/// Arguments of `consentry diff`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The older build (a directory with manifest.json).
    pub old: PathBuf,
    /// The newer build.
    pub new: PathBuf,
}

/// Exit 0 when the builds say the same, 1 when they differ (like `diff`), 2 when a build
/// cannot be read.
pub fn run(args: &Args) -> ExitCode {
    let old = match source::read_build(&args.old) {
        Ok(b) => b,
        Err(e) => return exit::io_failure(e),
    };
    let new = match source::read_build(&args.new) {
        Ok(b) => b,
        Err(e) => return exit::io_failure(e),
    };
    let d = versions::diff(&old, &new);
    print!(
        "{}",
        render(&d, &old.manifest.version, &new.manifest.version)
    );
    ExitCode::from(if d.is_empty() {
        exit::CLEAN
    } else {
        exit::FINDINGS
    })
}

/// The report: version, locales, structure, then each locale's messages with old and new text.
pub fn render(d: &BuildDiff, old_version: &str, new_version: &str) -> String {
    let mut s = String::new();
    if d.is_empty() {
        let _ = writeln!(s, "no differences (version {new_version})");
        return s;
    }
    match &d.version {
        Some((o, n)) => {
            let _ = writeln!(s, "version: {o} → {n}");
        }
        None => {
            let _ = writeln!(s, "version: {old_version} (unchanged)");
        }
    }
    if d.is_material() && d.version.is_none() {
        let _ = writeln!(
            s,
            "  the notice changed but the version did not: visitors would not be asked again"
        );
    }
    for t in &d.added_locales {
        let _ = writeln!(s, "+ locale {t}");
    }
    for t in &d.removed_locales {
        let _ = writeln!(s, "- locale {t}");
    }
    for line in &d.structure {
        let _ = writeln!(s, "~ {line}");
    }
    for l in &d.locales {
        let _ = writeln!(s, "\n{}:", l.locale);
        for m in &l.messages {
            match m {
                MessageChange::Added { id, new } => {
                    let _ = writeln!(s, "  + {id}\n      {new}");
                }
                MessageChange::Removed { id, old } => {
                    let _ = writeln!(s, "  - {id}\n      {old}");
                }
                MessageChange::Changed { id, old, new } => {
                    let _ = writeln!(s, "  ~ {id}\n    - {old}\n    + {new}");
                }
            }
        }
    }
    s
}
