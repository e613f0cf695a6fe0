//! `cargo xtask package`: the npm tarball of `@consentry/widget`, with the prebuilt wasm.
//!
//! The widget directory the site build writes (`dist/site/widget`) is already the package:
//! `package.json` (its `files` naming the content-hashed modules), the loader, the three wasm
//! modules and their glue, the stylesheet, the types, the plain `<script src>` entry and the
//! esbuild plugin. `npm pack` turns it into `dist/npm/consentry-widget-<version>.tgz`, which a
//! site installs with `npm install ./consentry-widget-<version>.tgz` (or from a registry once
//! published) without Rust. The end-to-end tests install that tarball into small apps and
//! bundle them with esbuild and Vite (`tests/e2e/package.test.mjs`).

use std::path::{Path, PathBuf};

use crate::site::{self, Profile};
use crate::util::{self, cmd, step};

/// Builds the widget and packs it; prints the tarball's path.
pub fn run(args: &[String]) -> Result<(), String> {
    if let Some(a) = args.first() {
        return Err(format!("package takes no arguments, got {a:?}"));
    }
    // What the build needs (wasm target, wasm-bindgen-cli, npm's esbuild and wasm-opt), as
    // `cargo xtask demo` installs it; no browser.
    crate::setup::ensure(false)?;
    site::build_widget(Profile::Release)?;
    let root = util::root();
    let tgz = pack(&root.join("dist/site/widget"), &root.join("dist/npm"))?;
    println!("\npackage: {}", tgz.display());
    Ok(())
}

/// `npm pack` of the built widget directory into `out`; returns the tarball's path.
pub fn pack(widget: &Path, out: &Path) -> Result<PathBuf, String> {
    step("package: npm pack of the widget directory");
    std::fs::create_dir_all(out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let output = cmd("npm")
        .args(["pack", "--json", "--pack-destination"])
        .arg(out)
        .current_dir(widget)
        .output()
        .map_err(|e| format!("running npm pack: {e}"))?;
    if !output.status.success() {
        return Err(format!(
            "npm pack failed in {}:\n{}",
            widget.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    let packed: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("npm pack printed no JSON: {e}"))?;
    let name = packed[0]["filename"]
        .as_str()
        .ok_or("npm pack did not name its tarball")?;
    let files = packed[0]["files"].as_array().map_or(0, Vec::len);
    let size = packed[0]["size"].as_u64().unwrap_or(0);
    println!("packed {files} files, {size} bytes: {name}");
    Ok(out.join(name))
}
