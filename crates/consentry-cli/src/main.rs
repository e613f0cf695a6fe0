//! `consentry`: the command line tool for compliance staff and CI.
//!
//! One module per subcommand (`lint`, `build`, …); each exposes `Args` (clap) and
//! `run(Args) -> ExitCode`. Shared pieces: [`source`] reads a locales directory, [`exit`] holds
//! the exit codes every subcommand uses.

mod args;
mod build;
mod diff;
mod evidence;
mod exit;
mod lint;
mod preview;
mod source;
mod tlog;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lint, preview, build and compare privacy notices; verify consent receipts.
#[derive(Debug, Parser)]
#[command(name = "consentry", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check notice.toml and the .ftl files of a locales directory; report every problem.
    Lint(lint::Args),
    /// Lint, then compile the locales into per-locale JSON files and a manifest; compare with
    /// the published build (a changed text needs a new version).
    Build(build::Args),
    /// Show what changed between two published builds, message by message.
    Diff(diff::Args),
    /// Serve every locale of the notice on 127.0.0.1 with live reload and the lint findings.
    Preview(preview::Args),
    /// Verify a signed consent receipt (signature, canonical form, notice digest, purposes).
    Verify(args::VerifyArgs),
}

fn main() -> ExitCode {
    // clap exits with code 2 on usage errors (and 0 for --help / --version).
    let cli = Cli::parse();
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Build(args) => build::run(args),
        Command::Diff(args) => diff::run(&args),
        Command::Preview(args) => preview::run(&args),
        Command::Verify(args) => verify::run(&args),
    }
}
