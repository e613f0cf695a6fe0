//! Building the shipped widget, the compiled notice and the demo site, and serving it.
//!
//! `dist/site/` is what the receipt server serves:
//! ```text
//! dist/site/index.html, demo.css, demo.js      from www/
//! dist/site/widget/consentry-widget.js          the ES module sites import (assets/)
//! dist/site/widget/consentry.css                the widget's stylesheet (assets/)
//! dist/site/widget/consentry.js, consentry_bg.wasm   wasm-bindgen output, wasm-opt -Oz
//! dist/site/notice/manifest.json, notice.<tag>.<hash>.json   `consentry build locales/`
//! ```

use std::path::PathBuf;

use crate::util::{self, cargo, cmd, sh, step};

/// Which wasm build to ship.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `wasm-release` profile + `wasm-opt -Oz`: what ships.
    Release,
}

/// Paths of a built site.
pub struct Site {
    /// `dist/site`.
    pub dir: PathBuf,
    /// The receipt server binary.
    pub server_bin: PathBuf,
    /// The `consentry` CLI binary.
    pub cli_bin: PathBuf,
}

/// The native binaries (dev profile: the same artefacts the tests build, so nothing is built
/// twice).
pub fn build_bins() -> Result<(PathBuf, PathBuf), String> {
    step("build: consentry CLI and receipt server");
    sh(cargo().args([
        "build",
        "--bins",
        "-p",
        "consentry-cli",
        "-p",
        "consentry-server",
    ]))?;
    let bin = util::root().join("target/debug");
    Ok((bin.join("consentry-server"), bin.join("consentry")))
}

/// Builds the widget into `dist/site/widget`.
pub fn build_widget(_profile: Profile) -> Result<(), String> {
    let root = util::root();
    step("build: widget (wasm32, wasm-release profile)");
    sh(cargo().args([
        "build",
        "--profile",
        "wasm-release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "consentry",
    ]))?;
    let out = root.join("dist/site/widget");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cleaning {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let wasm = root.join("target/wasm32-unknown-unknown/wasm-release/consentry.wasm");
    step("build: wasm-bindgen --target web");
    sh(cmd("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "consentry",
            "--out-dir",
        ])
        .arg(&out)
        .arg(&wasm))?;
    step("build: wasm-opt -Oz");
    let bg = out.join("consentry_bg.wasm");
    sh(cmd(root.join("node_modules/.bin/wasm-opt"))
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-reference-types",
            "--enable-multivalue",
            "--enable-sign-ext",
            "--enable-mutable-globals",
        ])
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    for asset in ["consentry-widget.js", "consentry.css"] {
        let from = root.join("assets").join(asset);
        std::fs::copy(&from, out.join(asset))
            .map_err(|e| format!("copying {}: {e}", from.display()))?;
    }
    Ok(())
}

/// Builds everything in `dist/site`.
pub fn build_site(profile: Profile) -> Result<Site, String> {
    let root = util::root();
    let (server_bin, cli_bin) = build_bins()?;
    build_widget(profile)?;
    step("build: notice (consentry build locales/)");
    sh(cmd(&cli_bin).args(["build", "locales", "-o", "dist/site/notice"]))?;
    step("build: demo pages (www/)");
    util::copy_dir(&root.join("www"), &root.join("dist/site"))?;
    println!("site ready in {}", root.join("dist/site").display());
    Ok(Site {
        dir: root.join("dist/site"),
        server_bin,
        cli_bin,
    })
}

/// `cargo xtask demo [--listen ADDR]`.
pub fn demo(args: &[String]) -> Result<(), String> {
    let mut listen = String::from("127.0.0.1:8080");
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--listen" => {
                listen = it
                    .next()
                    .cloned()
                    .ok_or("--listen needs an address, e.g. 127.0.0.1:8080")?
            }
            other => {
                return Err(format!(
                    "unknown demo option {other:?} (try --listen 127.0.0.1:8080)"
                ));
            }
        }
    }
    crate::setup::ensure(false)?;
    let site = build_site(Profile::Release)?;
    let root = util::root();
    std::fs::create_dir_all(root.join("data")).map_err(|e| format!("creating data/: {e}"))?;
    step("demo");
    println!(
        "Consentry demo: open http://{listen}/ (English) or http://{listen}/?lang=zh-CN (Chinese).\n\
         Receipts are stored in data/receipts.sqlite; Ctrl-C stops the server.\n"
    );
    sh(cmd(&site.server_bin)
        .args([
            "--listen",
            &listen,
            "--db",
            "data/receipts.sqlite",
            "--notices",
        ])
        .arg(site.dir.join("notice"))
        .arg("--site")
        .arg(&site.dir))
}
