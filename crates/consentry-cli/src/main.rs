//! `consentry`: the command line tool for compliance staff and CI.
//!
//! One module per subcommand (`lint`, `build`, …); each exposes `Args` (clap) and
//! `run(Args) -> ExitCode`. Shared pieces: [`source`] reads a locales directory, [`exit`] holds
//! the exit codes every subcommand uses.

mod build;
mod exit;
mod lint;
mod source;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Lint and build privacy notices; verify consent receipts.
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
    /// Lint, then compile the locales into per-locale JSON files and a manifest.
    Build(build::Args),
    /// Verify a signed consent receipt (signature, canonical form, notice digest, purposes).
    Verify(verify::VerifyArgs),
}

fn main() -> ExitCode {
    // clap exits with code 2 on usage errors (and 0 for --help / --version).
    let cli = Cli::parse();
    match cli.command {
        Command::Lint(args) => lint::run(args),
        Command::Build(args) => build::run(args),
        Command::Verify(args) => verify::run(&args),
    }
}
