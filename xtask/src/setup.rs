//! Installing what the build and the tests need, idempotently.
//!
//! - the `wasm32-unknown-unknown` target (rustup);
//! - `wasm-bindgen-cli` at exactly the `wasm-bindgen` version in Cargo.lock (it provides the
//!   browser test runner too);
//! - Node packages from the committed `package-lock.json` (`npm ci`): playwright-core,
//!   axe-core and binaryen's `wasm-opt` (Debian's binaryen is too old to read current
//!   wasm-bindgen output);
//! - with `--browser`: Debian's `chromium`, `chromium-driver`, `fonts-noto-cjk` (without the
//!   fonts Chinese renders as boxes) and `sqlite3` (the end-to-end tests read the server's
//!   database with it). Playwright's own browser download does not work here, so the tests
//!   drive the system Chromium. And Debian's `postgresql` unless its server binaries are
//!   already installed: the store tests start their own PostgreSQL on 127.0.0.1 (and fail,
//!   saying how to install it, when they cannot).

use crate::util::{self, cargo, cmd, output, sh, step};

/// `cargo xtask setup [--browser]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let browser = args.iter().any(|a| a == "--browser");
    ensure(browser)
}

/// Installs everything; `browser` adds Chromium, its driver and CJK fonts.
pub fn ensure(browser: bool) -> Result<(), String> {
    step("set-up: wasm target");
    ensure_wasm_target()?;
    step("set-up: wasm-bindgen-cli");
    ensure_wasm_bindgen()?;
    step("set-up: npm packages");
    ensure_npm()?;
    if browser {
        step("set-up: Chromium, chromium-driver, fonts-noto-cjk, sqlite3");
        ensure_apt(&["chromium", "chromium-driver", "fonts-noto-cjk", "sqlite3"])?;
        step("set-up: PostgreSQL server (for the store tests)");
        ensure_postgres()?;
    }
    Ok(())
}

/// Whether PostgreSQL's server binaries (`initdb`, `postgres`) are on PATH or under
/// `/usr/lib/postgresql/*/bin` (where the server tests look for them too).
fn have_postgres() -> bool {
    let on_path = std::env::var_os("PATH").is_some_and(|p| {
        std::env::split_paths(&p)
            .any(|d| d.join("initdb").is_file() && d.join("postgres").is_file())
    });
    on_path
        || std::fs::read_dir("/usr/lib/postgresql").is_ok_and(|rd| {
            rd.filter_map(Result::ok).any(|e| {
                e.path().join("bin/initdb").is_file() && e.path().join("bin/postgres").is_file()
            })
        })
}

/// Installs Debian's `postgresql` (server binaries and the `postgres` system user) unless the
/// server binaries are already there. The tests start and stop their own cluster.
pub fn ensure_postgres() -> Result<(), String> {
    if have_postgres() {
        println!("PostgreSQL server: installed");
        return Ok(());
    }
    ensure_apt(&["postgresql"])?;
    if have_postgres() {
        Ok(())
    } else {
        Err("postgresql was installed but initdb/postgres are still not found".into())
    }
}

fn ensure_wasm_target() -> Result<(), String> {
    let installed =
        output(cmd("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        println!("wasm32-unknown-unknown: installed");
        return Ok(());
    }
    sh(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

fn tool_version(program: &str) -> Option<String> {
    // `wasm-bindgen 0.2.130` / `wasm-bindgen-test-runner 0.2.130`
    output(cmd(program).arg("--version"))
        .and_then(|s| s.split_whitespace().nth(1).map(String::from))
}

fn ensure_wasm_bindgen() -> Result<(), String> {
    let want = util::locked_version("wasm-bindgen")?;
    let have = tool_version("wasm-bindgen");
    let have_runner = tool_version("wasm-bindgen-test-runner");
    if have.as_deref() == Some(want.as_str()) && have_runner.as_deref() == Some(want.as_str()) {
        println!("wasm-bindgen-cli {want}: installed");
        return Ok(());
    }
    println!(
        "wasm-bindgen-cli: have {}, need {want} (the Cargo.lock version); installing (about 3 minutes)",
        have.as_deref().unwrap_or("none")
    );
    // `--locked` is right in principle, but this registry mirror lacks one of the CLI's locked
    // dependencies; the unlocked install resolves a compatible set. The CLI version itself is
    // pinned either way, and that is what must match.
    if sh(cargo().args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &want,
        "--locked",
        "--force",
    ]))
    .is_ok()
    {
        return Ok(());
    }
    println!("`--locked` install failed; retrying without --locked");
    sh(cargo().args(["install", "wasm-bindgen-cli", "--version", &want, "--force"]))
}

fn ensure_npm() -> Result<(), String> {
    if !util::have("npm") {
        return Err("npm is not installed: install Node.js 20+ with npm (e.g. `apt-get install nodejs npm`)".into());
    }
    let root = util::root();
    let lock = std::fs::read(root.join("package-lock.json"))
        .map_err(|e| format!("reading package-lock.json: {e}"))?;
    let stamp = root.join("node_modules/.consentry-installed-lock");
    if std::fs::read(&stamp).is_ok_and(|s| s == lock) {
        println!("node_modules: up to date with package-lock.json");
        return Ok(());
    }
    sh(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))?;
    std::fs::write(&stamp, &lock).map_err(|e| format!("writing {}: {e}", stamp.display()))
}

fn apt_installed(pkg: &str) -> bool {
    output(cmd("dpkg-query").args(["-W", "-f=${Status}", pkg]))
        .is_some_and(|s| s.contains("install ok installed"))
}

fn ensure_apt(pkgs: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = pkgs.iter().copied().filter(|p| !apt_installed(p)).collect();
    if missing.is_empty() {
        println!("{}: installed", pkgs.join(", "));
        return Ok(());
    }
    if !util::have("apt-get") {
        return Err(format!(
            "missing packages {missing:?} and no apt-get to install them"
        ));
    }
    let is_root = output(cmd("id").arg("-u")).is_some_and(|s| s.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if is_root {
            cmd("apt-get")
        } else {
            let mut c = cmd("sudo");
            c.args(["-n", "apt-get"]);
            c
        };
        c.env("DEBIAN_FRONTEND", "noninteractive").args(args);
        c
    };
    sh(&mut apt(&["update", "-q"]))?;
    let mut install = apt(&["install", "-y", "-q"]);
    install.args(&missing);
    sh(&mut install)
}
