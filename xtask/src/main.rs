//! `cargo xtask`: every build, test and benchmark step of Consentry, in Rust.
//!
//! ```text
//! cargo xtask demo [--listen ADDR]   set up, build widget + notice + site, run the receipt server
//! cargo xtask test                   set up everything the tests need, then run every test
//! cargo xtask setup [--browser]      only install the tools (idempotent)
//! cargo xtask site                   only build dist/site (widget, compiled notice, demo pages)
//! cargo xtask package                the npm tarball of @consentry/widget (dist/npm/*.tgz)
//! cargo xtask size [--twiggy]        only build the widget; each wasm module's size (and twiggy)
//! cargo xtask fuzz [target] [--seconds N]   run the cargo-fuzz targets (nightly) for long
//! cargo xtask bench                  run the benchmarks and rewrite BENCHMARKS.md
//! ```
//!
//! Each step prints the command it runs. Installing is idempotent: a second run checks and
//! skips. Nothing here needs more than the Rust toolchain, Node/npm and apt.

mod assets;
mod bench;
mod budget;
mod fuzz;
mod package;
mod setup;
mod site;
mod size;
mod test;
mod tidy;
mod toolchain;
mod util;
mod wasm_imports;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("demo") => site::demo(&args[1..]),
        Some("test") => test::run(&args[1..]),
        Some("setup") => setup::run(&args[1..]),
        Some("fuzz") => fuzz::run(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("package") => package::run(&args[1..]),
        Some("site") => site::build_site(site::Profile::Release).map(|_| ()),
        Some("size") => size::run(&args[1..]),
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}")),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: error: {e}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "\
usage: cargo xtask <command>

  demo [--listen ADDR]   install what is missing, build the widget, the notice and the demo
                         site, then serve it with the receipt server (default 127.0.0.1:8080)
  test [stage]...        install what is missing (wasm target, wasm-bindgen-cli, Chromium,
                         PostgreSQL, npm packages, cargo-fuzz), then run every test
  setup [--browser]      only install the tools
  site                   only build dist/site
  package                build the widget and pack it: dist/npm/consentry-widget-<v>.tgz,
                         installable with npm without Rust
  size [--twiggy]        only build the widget and print each wasm module's size, raw and
                         brotli; --twiggy: where the bytes go (target/size-report/)
  fuzz [target] [--seconds N]
                         run the fuzz targets (notice_toml, ftl_compile, receipt_jws,
                         manifest) with a nightly toolchain, 600 s each by default
  bench [widget|ingest|load|check|lint]...
                         run the benchmarks (widget vs peers in Chromium and size levers;
                         receipt ingest on SQLite and PostgreSQL next to one ES256 verification;
                         the server at rising rates; consent checks for backend systems;
                         lint of 50 locales x 30 purposes) and rewrite BENCHMARKS.md
";
