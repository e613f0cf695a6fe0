//! `cargo xtask test`: every test, from a fresh machine.
//!
//! Order (cheap and likely-to-fail first):
//! 1. set-up (idempotent installs, including Chromium);
//! 2. `cargo fmt --check`, `cargo clippy -D warnings` (native, and wasm32 over every wasm
//!    module: the full widget, the first module, the receipts module, their shared code);
//!    then `tidy` (`tidy.rs`): core framework-free, `web_sys` only in the platform code, no
//!    import cycle between files;
//! 3. native tests: core unit tests, CLI and server tests (real SQLite, a real PostgreSQL the
//!    tests start on 127.0.0.1 and stop, real sockets), widget
//!    SSR snapshots;
//! 4. widget browser tests (`wasm-bindgen-test` in headless Chromium): the full widget (root
//!    package) and the first module (`crates/consentry-first`);
//! 5. the shipped site is built once (release wasm + wasm-opt, compiled notice) and its
//!    shipped bytes are checked against `size-budget.toml` (stage `size`);
//! 6. end-to-end flows: Playwright (`playwright-core` + system Chromium) against the real
//!    receipt server, checked with the real `consentry verify`; the npm tarball
//!    (`cargo xtask package`) installed into small apps, bundled with esbuild and Vite, and
//!    its types checked with `tsc --noEmit`;
//! 7. fuzz smoke: each cargo-fuzz target for a short, bounded time (nightly toolchain).
//!
//! `cargo xtask test lint tidy native browser size e2e fuzz` runs a subset (names as above).

use crate::site::{self, Profile};
use crate::util::{self, cargo, cmd, sh, step};

const STAGES: [&str; 7] = ["lint", "tidy", "native", "browser", "size", "e2e", "fuzz"];

/// Seconds each fuzz target runs in the `fuzz` stage (4 targets: about 2 minutes plus the
/// build; long runs are `cargo xtask fuzz`).
const FUZZ_SMOKE_SECONDS: u64 = 25;

/// Runs the selected stages (all by default).
pub fn run(args: &[String]) -> Result<(), String> {
    for a in args {
        if !STAGES.contains(&a.as_str()) {
            return Err(format!(
                "unknown test stage {a:?}; stages are {}",
                STAGES.join(", ")
            ));
        }
    }
    let want = |s: &str| args.is_empty() || args.iter().any(|a| a == s);
    let started = std::time::Instant::now();

    crate::setup::ensure(true)?;

    if want("lint") {
        step("lint: cargo fmt --check");
        sh(cargo().args(["fmt", "--all", "--", "--check"]))?;
        step("lint: cargo clippy (native)");
        sh(cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
        step(
            "lint: cargo clippy (widget: every wasm module and their shared code; console; wasm32)",
        );
        sh(cargo().args([
            "clippy",
            "-p",
            "consentry-console",
            "-p",
            "consentry",
            "-p",
            "consentry-first",
            "-p",
            "consentry-receipts",
            "-p",
            "consentry-web",
            "--target",
            "wasm32-unknown-unknown",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]))?;
    }
    if want("tidy") {
        step("tidy: dependency rules and import cycles");
        crate::tidy::run()?;
    }
    if want("native") {
        step("native tests: core, CLI, server (SQLite and PostgreSQL), widget SSR");
        sh(cargo().args(["test", "--workspace"]))?;
    }
    if want("browser") {
        step("browser tests: wasm-bindgen-test in headless Chromium (both modules)");
        // Never pass -q here: cargo forwards it to the runner, which rejects it.
        sh(cargo()
            .args([
                "test",
                "--target",
                "wasm32-unknown-unknown",
                "-p",
                "consentry",
                "-p",
                "consentry-first",
            ])
            .env("CHROMEDRIVER", "/usr/bin/chromedriver"))?;
    }
    let site = if want("size") || want("e2e") {
        Some(site::build_site(Profile::Release)?)
    } else {
        None
    };
    if let Some(site) = site.as_ref().filter(|_| want("size")) {
        step("size budget: shipped bytes before the banner is interactive");
        crate::budget::enforce(&site.shipped, &site.on_demand, &site.toolchain)?;
    }
    if let Some(site) = site.as_ref().filter(|_| want("e2e")) {
        step("end-to-end: Playwright flows against the real receipt server");
        let dir = util::root().join("tests/e2e");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .map_err(|e| format!("reading {}: {e}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err("no end-to-end tests found in tests/e2e".into());
        }
        // The npm tarball the package tests install (`cargo xtask package` writes the same).
        let tarball =
            crate::package::pack(&site.dir.join("widget"), &util::root().join("dist/npm"))?;
        sh(cmd("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(&files)
            .env("CONSENTRY_SITE", &site.dir)
            .env("CONSENTRY_PACKAGE", &tarball)
            .env("CONSENTRY_SERVER_BIN", &site.server_bin)
            .env("CONSENTRY_CLI_BIN", &site.cli_bin))?;
    }
    if want("fuzz") {
        crate::fuzz::smoke(FUZZ_SMOKE_SECONDS)?;
    }
    println!(
        "\nall selected test stages passed in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
