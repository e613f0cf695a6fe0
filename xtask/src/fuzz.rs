//! `cargo xtask fuzz [target] [--seconds N]`: the cargo-fuzz targets in `fuzz/`, for long runs;
//! [`smoke`] runs each briefly inside `cargo xtask test`.
//!
//! Targets: `notice_toml` (notice.toml reader and compile), `ftl_compile` (the Fluent
//! compiler), `receipt_jws` (envelope parser and verifier), `manifest` (manifest, locale
//! file and first-layer readers). Each starts from its committed seeds in `fuzz/corpus/<target>/`; what the
//! fuzzer discovers goes to `target/fuzz-corpus/<target>/` (not committed), crashes to
//! `fuzz/artifacts/<target>/`. A crash becomes a regression test in core.
//!
//! cargo-fuzz needs a nightly toolchain (it builds with sanitizers): this fails with a clear
//! message if there is none, and installs `cargo-fuzz` (pinned version) if it is missing.

use std::process::Command;

use crate::util::{self, output, sh, step};

/// The fuzz targets, as named in `fuzz/Cargo.toml`.
pub const TARGETS: [&str; 4] = ["notice_toml", "ftl_compile", "receipt_jws", "manifest"];

/// The cargo-fuzz version installed when none (or another) is found.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// Seconds per target for a long run when `--seconds` is not given.
const DEFAULT_SECONDS: u64 = 600;

/// `cargo xtask fuzz [target] [--seconds N]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut target = None;
    let mut seconds = DEFAULT_SECONDS;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--seconds" => {
                let n = it.next().ok_or("--seconds needs a number")?;
                seconds = n
                    .parse()
                    .map_err(|_| format!("--seconds {n:?} is not a whole number"))?;
            }
            t if TARGETS.contains(&t) => target = Some(t.to_string()),
            other => {
                return Err(format!(
                    "unknown fuzz argument {other:?}; targets are {}",
                    TARGETS.join(", ")
                ));
            }
        }
    }
    ensure_tools()?;
    let targets: Vec<&str> = match &target {
        Some(t) => vec![t.as_str()],
        None => TARGETS.to_vec(),
    };
    for t in targets {
        fuzz(t, seconds)?;
    }
    Ok(())
}

/// Each target for `seconds` (the `fuzz` stage of `cargo xtask test`).
pub fn smoke(seconds: u64) -> Result<(), String> {
    ensure_tools()?;
    for t in TARGETS {
        fuzz(t, seconds)?;
    }
    Ok(())
}

/// `cargo` through rustup with a toolchain override, free of the variables the outer (stable)
/// cargo set for us, so that the nightly one picks its own compiler.
fn nightly_cargo() -> Command {
    let mut c = util::cmd("cargo");
    c.arg("+nightly");
    for var in [
        "CARGO",
        "RUSTC",
        "RUSTDOC",
        "RUSTUP_TOOLCHAIN",
        "RUSTC_WRAPPER",
    ] {
        c.env_remove(var);
    }
    c
}

fn ensure_tools() -> Result<(), String> {
    step("fuzz: check the nightly toolchain and cargo-fuzz");
    let nightly = output(nightly_cargo().arg("--version"));
    let Some(v) = nightly else {
        return Err(
            "fuzzing needs a nightly Rust toolchain (cargo-fuzz builds with \
                    sanitizers): install it with `rustup toolchain install nightly`"
                .into(),
        );
    };
    println!("  {}", v.trim());
    let have = output(nightly_cargo().args(["fuzz", "--version"]));
    if have
        .as_deref()
        .is_some_and(|v| v.contains(CARGO_FUZZ_VERSION))
    {
        println!("  {}", have.unwrap_or_default().trim());
        return Ok(());
    }
    step("fuzz: install cargo-fuzz");
    sh(util::cmd("cargo").args([
        "install",
        "cargo-fuzz",
        "--version",
        CARGO_FUZZ_VERSION,
        "--locked",
    ]))
}

fn fuzz(target: &str, seconds: u64) -> Result<(), String> {
    step(&format!("fuzz: {target} for {seconds} s"));
    let root = util::root();
    let found = root.join("target/fuzz-corpus").join(target);
    std::fs::create_dir_all(&found).map_err(|e| format!("creating {}: {e}", found.display()))?;
    let seeds = root.join("fuzz/corpus").join(target);
    if !seeds.is_dir() {
        return Err(format!(
            "the seed corpus {} is missing (it is committed with the repository)",
            seeds.display()
        ));
    }
    let artifacts = root.join("fuzz/artifacts").join(target);
    let before = count_files(&artifacts);
    sh(nightly_cargo()
        .args(["fuzz", "run", target])
        .arg(&found)
        .arg(&seeds)
        .args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-timeout=10",
            "-rss_limit_mb=2048",
            "-print_final_stats=1",
        ]))
    .map_err(|e| {
        if count_files(&artifacts) > before {
            format!(
                "{e}\nfuzz target {target} found a crash, a hang or a leak: the input is in \
                 fuzz/artifacts/{target}/; turn it into a regression test in core"
            )
        } else {
            format!(
                "{e}\nfuzz target {target} failed before finding anything (see the output above)"
            )
        }
    })
}

fn count_files(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0)
}
