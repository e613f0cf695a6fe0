//! `cargo xtask size [--twiggy]`: what each shipped wasm module weighs, without the rest of the
//! site or the tests.
//!
//! Builds the widget exactly as `cargo xtask site` does ([`site::build_widget`]: the pinned
//! nightly when installed, `wasm-opt`, short import names) and prints each module's wasm and
//! glue, raw and brotli (q11, as served). With `--twiggy` it also makes a names-kept copy of
//! each module's build (as the benchmark's "where the bytes go"), writes
//! `target/size-report/<module>_bg.wasm` and `<module>.csv` (`twiggy top -f csv`), and prints
//! the bytes per crate and the largest items. Two such copies compare with
//! `twiggy diff OLD.wasm NEW.wasm`, e.g. against a second worktree at an older commit.

use crate::assets;
use crate::bench::widget::{bucket, named_copy, twiggy_top};
use crate::site::{self, Profile, WasmBuild};
use crate::util::{self, step};

/// `cargo xtask size [--twiggy]`.
pub fn run(args: &[String]) -> Result<(), String> {
    let mut twiggy = false;
    for a in args {
        match a.as_str() {
            "--twiggy" => twiggy = true,
            other => return Err(format!("unknown size option {other:?} (try --twiggy)")),
        }
    }
    crate::setup::ensure(false)?;
    let widget = site::build_widget(Profile::Release)?;
    step(&format!(
        "size: shipped wasm modules ({})",
        widget.toolchain.describe()
    ));
    println!("{:<16} {:>9} {:>9}", "role", "raw", "brotli");
    for f in widget.shipped.iter().chain(&widget.on_demand) {
        if !(f.role.ends_with("wasm") || f.role.ends_with("glue")) {
            continue;
        }
        let raw = assets::read(&f.path)?;
        println!(
            "{:<16} {:>9} {:>9}",
            f.role,
            raw.len(),
            assets::brotli(&raw).len()
        );
    }
    if !twiggy {
        return Ok(());
    }
    let modules = [site::FIRST, site::RECEIPTS, site::FULL];
    // Already built by `build_widget`: cargo only checks.
    let built = WasmBuild {
        packages: modules.iter().map(|m| m.0).collect(),
        ..WasmBuild::shipped(widget.toolchain)
    }
    .run()?;
    let out = util::root().join("target/size-report");
    for ((_, name), wasm) in modules.iter().zip(&built) {
        step(&format!("size: {name}: names-kept copy, twiggy top"));
        let bg = named_copy(wasm, name, &out.join(name))?;
        let kept = out.join(format!("{name}_bg.wasm"));
        std::fs::copy(&bg, &kept).map_err(|e| format!("copying {}: {e}", bg.display()))?;
        let csv = twiggy_top(&kept)?;
        assets::write(&out.join(format!("{name}.csv")), csv.as_bytes())?;
        let t = bucket(&csv);
        println!("{name}: {} bytes (names-kept copy, shallow)", t.total);
        for (c, s) in t.by_crate.iter().take(16) {
            println!("  {s:>8}  {c}");
        }
        println!("  largest items:");
        for (s, n) in &t.top {
            let n: String = n.chars().take(140).collect();
            println!("  {s:>8}  {n}");
        }
    }
    println!("\nnames-kept copies and twiggy CSVs in {}", out.display());
    Ok(())
}
