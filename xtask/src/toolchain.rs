//! Which Rust toolchain builds the shipped wasm, and with which size flags.
//!
//! The shipped widget is built with a pinned nightly, because two of the largest size levers
//! need it (measured in `BENCHMARKS.md`):
//! - `-Zbuild-std=std,panic_abort -Zbuild-std-features=optimize_for_size`: std is compiled
//!   with the widget's size profile instead of the prebuilt, speed-optimised std;
//! - `panic = "immediate-abort"`: a panic becomes a bare wasm `unreachable` trap, so no panic
//!   message, location or formatting code is linked. The widget never panics on input (errors
//!   are values), so this only changes what a bug looks like in the console.
//!
//! The nightly is pinned here and only here ([`NIGHTLY`]). `cargo xtask` uses it when it is
//! installed (adding `rust-src`, which `-Zbuild-std` needs, if it is missing) and otherwise
//! builds with the stable toolchain after printing why: the widget then works the same but is
//! larger, and the size budget (`size-budget.toml`) says by how much.

use crate::util::{cmd, output, sh};

/// The pinned nightly: the toolchain name to try first, and the commit date its
/// `rustc --version` must show (`rustc 1.97.0-nightly (e50aa6fba 2026-05-19)`). A toolchain
/// named plain `nightly` is accepted when it is that same build.
pub const NIGHTLY: &str = "nightly-2026-05-19";
const NIGHTLY_DATE: &str = "2026-05-19";

/// `RUSTFLAGS` for every shipped wasm build: SHA-256 in sha2's compact software backend
/// (smaller code, same digests; the widget hashes a few KiB per page).
pub const WASM_RUSTFLAGS: &str = "--cfg sha2_backend_soft=\"compact\"";

/// The toolchain the shipped wasm is built with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WasmToolchain {
    /// The pinned nightly, under this rustup toolchain name.
    Nightly(String),
    /// The stable toolchain that runs xtask; `why` says why the nightly is not used.
    Stable {
        /// Why the pinned nightly is not used.
        why: String,
    },
}

impl WasmToolchain {
    /// `nightly-2026-05-19 (build-std, immediate-abort)` or `stable (…)`, for logs and tables.
    pub fn describe(&self) -> String {
        match self {
            WasmToolchain::Nightly(name) => {
                format!("{name} (build-std + optimize_for_size + panic=immediate-abort)")
            }
            WasmToolchain::Stable { .. } => "stable (prebuilt std, panic=abort)".into(),
        }
    }
}

fn rustc_version(toolchain: &str) -> Option<String> {
    output(cmd("rustup").args(["run", toolchain, "rustc", "--version"]))
        .map(|s| s.trim().to_owned())
}

fn is_pinned(version: &str) -> bool {
    version.contains("-nightly (") && version.ends_with(&format!("{NIGHTLY_DATE})"))
}

fn has_rust_src(toolchain: &str) -> bool {
    output(cmd("rustup").args(["component", "list", "--installed", "--toolchain", toolchain]))
        .is_some_and(|s| s.lines().any(|l| l.trim().starts_with("rust-src")))
}

/// Finds (or installs) the pinned nightly with `rust-src`; falls back to stable with the
/// reason. Idempotent: a second run only checks.
pub fn ensure_wasm_toolchain() -> WasmToolchain {
    if std::env::var_os("CONSENTRY_WASM_STABLE").is_some() {
        return WasmToolchain::Stable {
            why: "CONSENTRY_WASM_STABLE is set".into(),
        };
    }
    if !crate::util::have("rustup") {
        return WasmToolchain::Stable {
            why: "rustup is not installed, so the pinned nightly cannot be selected".into(),
        };
    }
    let mut found = [NIGHTLY, "nightly"]
        .into_iter()
        .find(|tc| rustc_version(tc).is_some_and(|v| is_pinned(&v)))
        .map(String::from);
    if found.is_none() {
        println!("toolchain {NIGHTLY}: not installed; trying `rustup toolchain install`");
        let installed = sh(cmd("rustup").args([
            "toolchain",
            "install",
            NIGHTLY,
            "--profile",
            "minimal",
            "--component",
            "rust-src",
        ]))
        .is_ok();
        if installed && rustc_version(NIGHTLY).is_some_and(|v| is_pinned(&v)) {
            found = Some(NIGHTLY.to_owned());
        }
    }
    let Some(tc) = found else {
        return WasmToolchain::Stable {
            why: format!(
                "the pinned toolchain {NIGHTLY} (rustc dated {NIGHTLY_DATE}) is not installed and \
                 could not be installed"
            ),
        };
    };
    if !has_rust_src(&tc) {
        println!("toolchain {tc}: adding rust-src (needed by -Zbuild-std)");
        if let Err(e) = sh(cmd("rustup").args(["component", "add", "rust-src", "--toolchain", &tc]))
        {
            return WasmToolchain::Stable {
                why: format!("rust-src could not be added to {tc}: {e}"),
            };
        }
    }
    println!(
        "wasm toolchain: {tc} ({})",
        rustc_version(&tc).unwrap_or_default()
    );
    WasmToolchain::Nightly(tc)
}

/// Prints the loud notice for a stable fallback.
pub fn warn_stable(why: &str) {
    eprintln!(
        "\n!! xtask: building the shipped wasm with the STABLE toolchain: {why}.\n\
         !! The widget works the same, but its first module's wasm is about 12 KiB (brotli)\n\
         !! larger than with {NIGHTLY} (+ rust-src); the size budget checks it against its\n\
         !! [stable] table.\n\
         !! Install it with `rustup toolchain install {NIGHTLY} --component rust-src`.\n"
    );
}
