//! `consentry lint <dir> [--format human|json]` and `consentry lint [<dir>] --explain CODE`.

use std::path::PathBuf;
use std::process::ExitCode;

use consentry_core::compile;
use consentry_core::diagnostics::{self, Code, Diagnostic, Severity, SourceFile};

use crate::exit;
use crate::source;

/// Arguments of `consentry lint`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The locales directory (notice.toml and <language-tag>.ftl files).
    #[arg(required_unless_present = "explain")]
    pub dir: Option<PathBuf>,
    /// Explain a rule instead of linting: its code (M001) or name (missing-message). With a
    /// directory, also what it finds there and why it applies to that notice.
    #[arg(long, value_name = "CODE", conflicts_with = "format")]
    pub explain: Option<String>,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
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
    if let Some(code) = &args.explain {
        return explain(code, args.dir.as_deref());
    }
    let Some(dir) = &args.dir else {
        return exit::io_failure("give a locales directory, or --explain CODE");
    };
    let files = match source::read_locales(dir) {
        Ok(f) => f,
        Err(e) => return exit::io_failure(e),
    };
    let dir = source::dir_label(dir);
    let found = compile::lint(&dir, &files);
    match args.format.unwrap_or(Format::Human) {
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

/// `--explain CODE [DIR]`: the rule's code, name, level and explanation; with a locales
/// directory, also what the rule finds there, each finding saying why the rule applies to
/// that notice (which regime, because of which regions or establishment). Exit 2 if the code
/// is unknown or the directory cannot be read.
fn explain(code: &str, dir: Option<&std::path::Path>) -> ExitCode {
    let Some(c) = Code::lookup(code.trim()) else {
        return exit::io_failure(format!(
            "no rule {code:?}; codes are {}",
            diagnostics::RULES
                .iter()
                .map(|r| r.code.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let r = c.rule();
    println!("{} {} ({})", r.code, r.name, r.severity);
    println!();
    println!("{}", r.summary);
    println!();
    println!(
        "{}",
        match r.severity {
            Severity::Error => "An error: the notice cannot be built until it is fixed.",
            _ => "A warning: the build goes on, but have a look.",
        }
    );
    if let Some(dir) = dir {
        let files = match source::read_locales(dir) {
            Ok(f) => f,
            Err(e) => return exit::io_failure(e),
        };
        let label = source::dir_label(dir);
        let found: Vec<Diagnostic> = compile::lint(&label, &files)
            .into_iter()
            .filter(|d| d.code == c)
            .collect();
        println!();
        if found.is_empty() {
            println!(
                "In {label}: no {} finding (the rule does not apply to this notice, or it is met).",
                r.code
            );
        } else {
            println!("In {label}:");
            println!();
            print!("{}", diagnostics::render_human(&found, &files));
        }
    }
    ExitCode::from(exit::CLEAN)
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
