//! `consentry lint <dir> [--format human|json]`.

use std::path::PathBuf;
use std::process::ExitCode;

use consentry_core::compile;
use consentry_core::diagnostics::{self, Diagnostic, SourceFile};

use crate::exit;
use crate::source;

/// Arguments of `consentry lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The locales directory (notice.toml and <language-tag>.ftl files).
    pub dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

/// How findings are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// rustc-like text with the source line and a caret.
    Human,
    /// One JSON array of findings.
    Json,
}

/// Exit 0 when clean (warnings allowed), 1 on any error finding, 2 if the directory cannot be
/// read.
pub fn run(args: Args) -> ExitCode {
    let files = match source::read_locales(&args.dir) {
        Ok(f) => f,
        Err(e) => return exit::io_failure(e),
    };
    let dir = source::dir_label(&args.dir);
    let found = compile::lint(&dir, &files);
    match args.format {
        Format::Json => println!("{}", diagnostics::render_json(&found)),
        Format::Human => print!("{}", human_report(&dir, &found, &files)),
    }
    let (errors, _) = diagnostics::count(&found);
    ExitCode::from(if errors > 0 {
        exit::FINDINGS
    } else {
        exit::CLEAN
    })
}

/// Findings plus a summary line.
pub fn human_report(dir: &str, found: &[Diagnostic], files: &[SourceFile]) -> String {
    let mut out = diagnostics::render_human(found, files);
    if !found.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary(dir, found));
    out.push('\n');
    out
}

fn summary(dir: &str, found: &[Diagnostic]) -> String {
    let (errors, warnings) = diagnostics::count(found);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if errors == 0 && warnings == 0 {
        format!("{dir}: no problems found")
    } else {
        format!(
            "{dir}: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    }
}
