//! Exit codes shared by all subcommands.

use std::process::ExitCode;

/// Everything is fine (warnings allowed).
pub const CLEAN: u8 = 0;
/// The input has errors (diagnostics were printed).
pub const FINDINGS: u8 = 1;
/// Wrong usage, or a file or directory could not be read or written.
pub const USAGE_OR_IO: u8 = 2;

/// Prints `error: <message>` to stderr and returns the usage/IO exit code.
pub fn io_failure(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(USAGE_OR_IO)
}
