//! `consentry`: the command line tool for compliance staff and CI.
//!
//! Exit codes: 0 success, 1 the input was checked and found wanting, 2 usage or IO error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod verify;

/// Consentry: lint, build and verify consent notices and receipts.
#[derive(Debug, Parser)]
#[command(name = "consentry", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Verify a signed consent receipt (signature, canonical form, notice digest, purposes).
    Verify(verify::VerifyArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Verify(args) => verify::run(&args),
    }
}
