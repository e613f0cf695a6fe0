//! Building the shipped widget, the compiled notice and the demo site, and serving it.
//!
//! `dist/site/` is what the receipt server serves:
//! ```text
//! dist/site/index.html, demo.css, demo.js      from www/
//! dist/site/widget/consentry-widget.js          the ES module sites import (assets/, minified;
//!                                               stable name, imports the hashed glue), with
//!                                               its .d.ts, package.json and README.md: the
//!                                               directory is the npm package
//! dist/site/widget/consentry.<hash>.css         the widget's stylesheet (assets/, minified)
//! dist/site/widget/consentry.<hash>.js          the first module: wasm-bindgen glue (minified)
//! dist/site/widget/consentry_bg.<hash>.wasm       and wasm (crates/consentry-first), wasm-opt -Oz
//! dist/site/widget/consentry-full.<hash>.js     the full widget (the root package, Yew), loaded
//! dist/site/widget/consentry-full_bg.<hash>.wasm  when a visitor first opens it
//! dist/site/notice/manifest.json, notice.<tag>.<hash>.json (first layers),
//!                  notice.<tag>.details.<hash>.json (complete)   `consentry build locales/`
//! dist/site/notice/archive/<notice id>/<version>/   every version published (ADR 0010): the
//!                                               demo server's `--notices`
//! every text file also as <file>.br and <file>.gz (served by the receipt server)
//! ```
//!
//! `<hash>` is the first 12 hex digits of the file's SHA-256, so those files never change
//! under their name and are served as immutable. The demo page gets `<link rel=preload>` tags
//! for everything the banner needs, so the browser fetches it in parallel; the full widget and
//! the details files are not preloaded (they are fetched when a visitor opens them).

use std::path::{Path, PathBuf};

use crate::assets;
use crate::toolchain::{self, WASM_RUSTFLAGS, WasmToolchain};
use crate::util::{self, cargo, cmd, sh, step};
use crate::wasm_imports;

/// Which wasm build to ship.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// `wasm-release` profile + the pinned nightly's size flags + `wasm-opt -Oz`: what ships.
    Release,
}

/// A file that is fetched before the banner is interactive, under the name the size budget
/// and the benchmark use for it.
#[derive(Clone, Debug)]
pub struct Shipped {
    /// Stable role name: `loader`, `glue`, `wasm`, `css`, `manifest`, `locale-default`.
    pub role: &'static str,
    /// The file in `dist/site`.
    pub path: PathBuf,
}

/// Paths of a built site.
pub struct Site {
    /// `dist/site`.
    pub dir: PathBuf,
    /// The receipt server binary.
    pub server_bin: PathBuf,
    /// The `consentry` CLI binary.
    pub cli_bin: PathBuf,
    /// Everything the widget fetches before its banner is interactive (default locale).
    pub shipped: Vec<Shipped>,
    /// The full widget (roles `full-glue`, `full-wasm`): fetched only when a visitor opens it,
    /// so not preloaded and not in the budget's total, but limited per file.
    pub on_demand: Vec<Shipped>,
    /// The toolchain the wasm was built with.
    pub toolchain: WasmToolchain,
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

/// The widget's wasm modules: (cargo package, wasm-bindgen out name). The first module.
pub const FIRST: (&str, &str) = ("consentry-first", "consentry");
/// The full widget (settings, full notice, consent steps), loaded on demand.
pub const FULL: (&str, &str) = ("consentry", "consentry-full");
/// The receipts module (step 2 of each decision, the outbox), loaded once the banner is up.
pub const RECEIPTS: (&str, &str) = ("consentry-receipts", "consentry-receipts");
/// The back-office console (Yew), served by the receipt server under `/console/`; never part
/// of what a visitor downloads.
pub const CONSOLE: (&str, &str) = ("consentry-console", "consentry-console");

/// How one wasm build is made (the shipped one, or a size lever's variant in the benchmark).
#[derive(Clone, Debug)]
pub struct WasmBuild {
    /// The cargo packages to build (`FIRST.0`, `FULL.0`, `RECEIPTS.0`).
    pub packages: Vec<&'static str>,
    /// Toolchain.
    pub toolchain: WasmToolchain,
    /// Cargo target directory (variants get their own so they do not rebuild each other).
    pub target_dir: PathBuf,
    /// `RUSTFLAGS`.
    pub rustflags: String,
    /// Build with the widget's default features (talc); `false` measures dlmalloc.
    pub default_features: bool,
    /// With the nightly: `panic = "immediate-abort"` (else `abort`).
    pub immediate_abort: bool,
}

impl WasmBuild {
    /// The shipped build on `toolchain`.
    pub fn shipped(toolchain: WasmToolchain) -> Self {
        let target_dir = match toolchain {
            WasmToolchain::Nightly(_) => util::root().join("target/wasm-nightly"),
            WasmToolchain::Stable { .. } => util::root().join("target"),
        };
        Self {
            packages: vec![FIRST.0, FULL.0, RECEIPTS.0],
            toolchain,
            target_dir,
            rustflags: WASM_RUSTFLAGS.into(),
            default_features: true,
            immediate_abort: true,
        }
    }

    /// Runs cargo; returns the paths of the cargo-built (pre-bindgen) wasm files, one per
    /// package, in `packages` order.
    pub fn run(&self) -> Result<Vec<PathBuf>, String> {
        let mut c = match &self.toolchain {
            WasmToolchain::Nightly(tc) => {
                let mut c = cmd("rustup");
                c.args(["run", tc, "cargo", "build"]);
                c.args([
                    "-Zbuild-std=std,panic_abort",
                    "-Zbuild-std-features=optimize_for_size",
                ]);
                if self.immediate_abort {
                    c.args([
                        "-Zpanic-immediate-abort",
                        "--config",
                        "profile.wasm-release.panic=\"immediate-abort\"",
                    ]);
                }
                c
            }
            WasmToolchain::Stable { .. } => {
                let mut c = cargo();
                c.arg("build");
                c
            }
        };
        // The stable cargo that runs xtask exports these; the nightly must pick its own.
        for var in [
            "RUSTUP_TOOLCHAIN",
            "RUSTC",
            "RUSTDOC",
            "CARGO",
            "CARGO_ENCODED_RUSTFLAGS",
        ] {
            c.env_remove(var);
        }
        c.args([
            "--profile",
            "wasm-release",
            "--target",
            "wasm32-unknown-unknown",
        ]);
        for p in &self.packages {
            c.args(["-p", p]);
        }
        c.arg("--target-dir")
            .arg(&self.target_dir)
            .env("RUSTFLAGS", &self.rustflags);
        if !self.default_features {
            c.arg("--no-default-features");
        }
        sh(&mut c)?;
        Ok(self
            .packages
            .iter()
            .map(|p| {
                self.target_dir
                    .join("wasm32-unknown-unknown/wasm-release")
                    .join(format!("{}.wasm", p.replace('-', "_")))
            })
            .collect())
    }
}

/// wasm-opt's feature flags: what the wasm32 target emits and wasm-bindgen keeps.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-reference-types",
    "--enable-multivalue",
    "--enable-sign-ext",
    "--enable-mutable-globals",
];

/// `wasm-bindgen --target web` of `wasm` into `out` (`<name>.js`, `<name>_bg.wasm`);
/// `keep_names` keeps the name section (for twiggy), else names and producers are removed.
pub fn bindgen(wasm: &Path, out: &Path, name: &str, keep_names: bool) -> Result<(), String> {
    if out.exists() {
        std::fs::remove_dir_all(out).map_err(|e| format!("cleaning {}: {e}", out.display()))?;
    }
    let mut c = cmd("wasm-bindgen");
    c.args(["--target", "web", "--no-typescript", "--out-name", name]);
    if !keep_names {
        c.args(["--remove-name-section", "--remove-producers-section"]);
    }
    sh(c.arg("--out-dir").arg(out).arg(wasm))
}

/// `wasm-opt` of `wasm` in place with `args` (e.g. `-Oz --converge`).
pub fn wasm_opt(wasm: &Path, args: &[&str]) -> Result<(), String> {
    sh(cmd(util::root().join("node_modules/.bin/wasm-opt"))
        .args(args)
        .args(WASM_FEATURES)
        .arg(wasm)
        .arg("-o")
        .arg(wasm))
}

/// The shipped wasm-opt passes: `-Oz` to a fixed point, then the custom sections nothing at
/// run time reads. The target-features section goes last, once no tool needs it.
///
/// `--low-memory-unused` lets wasm-opt fold small constant offsets into loads and stores,
/// assuming the lowest 1 KiB of linear memory is never used (-516 bytes brotli on the first
/// module). That holds for both modules: rustc links wasm32 with the stack first (the stack
/// pointer starts at 1 MiB and grows down, data lies above it), so only a stack within 1 KiB of
/// overflowing its 1 MiB would reach it, and that is memory corruption anyway.
pub const WASM_OPT_SHIPPED: [&str; 6] = [
    "-Oz",
    "--converge",
    "--low-memory-unused",
    "--strip-debug",
    "--strip-producers",
    "--strip-target-features",
];

/// The import module wasm-bindgen's glue provides for the module `name`: `./<name>_bg.js`.
pub fn glue_module(name: &str) -> String {
    format!("./{name}_bg.js")
}

/// Short import names (and short names for the long internal exports) in the wasm and the
/// glue of the module `name`, together (see `wasm_imports.rs`).
pub fn short_import_names(
    wasm: &[u8],
    glue: &str,
    name: &str,
) -> Result<(Vec<u8>, String), String> {
    let module = glue_module(name);
    let (wasm, renamed) = wasm_imports::minify(wasm, &module)?;
    if renamed.is_empty() {
        return Err(format!("the wasm imports nothing from {module:?}"));
    }
    let glue = wasm_imports::rewrite_glue(glue, &renamed)?;
    let (wasm, renamed) = wasm_imports::minify_exports(&wasm, wasm_imports::LONG_EXPORT)?;
    Ok((wasm, wasm_imports::rewrite_glue_exports(&glue, &renamed)?))
}

/// `esbuild --minify` of one file (JS module or CSS) into `out`.
pub fn minify(input: &Path, out: &Path) -> Result<(), String> {
    let mut c = cmd(util::root().join("node_modules/.bin/esbuild"));
    c.arg(input).arg("--minify").arg("--log-level=warning");
    if input.extension().is_some_and(|e| e == "js") {
        c.args(["--format=esm", "--target=es2022"]);
    }
    sh(c.arg(format!("--outfile={}", out.display())))
}

/// One module of the widget as shipped: its glue and wasm, under content-hashed names.
pub struct Module {
    /// `consentry.<hash>.js` / `consentry-full.<hash>.js`.
    pub glue: String,
    /// `consentry_bg.<hash>.wasm` / `consentry-full_bg.<hash>.wasm`.
    pub wasm: String,
}

/// bindgen, wasm-opt, short names, content hashes and the minified glue of one module's
/// cargo output `wasm`, named `name`, into `out`.
fn ship_module(wasm: &Path, name: &str, stage: &Path, out: &Path) -> Result<Module, String> {
    step(&format!("build: {name}: wasm-bindgen --target web"));
    bindgen(wasm, stage, name, false)?;
    step(&format!(
        "build: {name}: wasm-opt -Oz --converge --low-memory-unused, strip custom sections"
    ));
    let bg = stage.join(format!("{name}_bg.wasm"));
    wasm_opt(&bg, &WASM_OPT_SHIPPED)?;

    step(&format!(
        "build: {name}: short import names, content-hashed names, minified glue"
    ));
    let glue_src = String::from_utf8(assets::read(&stage.join(format!("{name}.js")))?)
        .map_err(|e| format!("{name}.js is not UTF-8: {e}"))?;
    let (wasm_bytes, glue_src) = short_import_names(&assets::read(&bg)?, &glue_src, name)?;
    let wasm_name = format!("{name}_bg.{}.wasm", assets::content_hash(&wasm_bytes));
    assets::write(&out.join(&wasm_name), &wasm_bytes)?;

    let glue_src = assets::replace_once(
        &glue_src,
        &format!("new URL('{name}_bg.wasm', import.meta.url)"),
        &format!("new URL('{wasm_name}', import.meta.url)"),
        "wasm-bindgen glue (wasm file name)",
    )?;
    let glue_in = stage.join(format!("{name}.rewritten.js"));
    assets::write(&glue_in, glue_src.as_bytes())?;
    let glue_min = stage.join(format!("{name}.min.js"));
    minify(&glue_in, &glue_min)?;
    let glue_bytes = assets::read(&glue_min)?;
    // The minifier must have renamed the wrappers named after renamed exports.
    if let Some(left) = String::from_utf8_lossy(&glue_bytes)
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .find(|w| w.len() >= wasm_imports::LONG_EXPORT && w.starts_with("wasm_bindgen"))
    {
        return Err(format!(
            "the minified glue of {name} still names the export {left:?}, which the wasm no \
             longer has"
        ));
    }
    let glue_name = format!("{name}.{}.js", assets::content_hash(&glue_bytes));
    assets::write(&out.join(&glue_name), &glue_bytes)?;
    Ok(Module {
        glue: glue_name,
        wasm: wasm_name,
    })
}

/// Builds the widget into `dist/site/widget`, with content-hashed names:
/// `consentry-widget.js` (stable name, the loader sites import), the first module
/// `consentry.<hash>.js` (glue) + `consentry_bg.<hash>.wasm`, the full widget
/// `consentry-full.<hash>.js` + `consentry-full_bg.<hash>.wasm` (imported by the loader when
/// first needed), `consentry.<hash>.css`. Returns the files shipped before the banner is
/// interactive (the full widget's are not among them).
pub fn build_widget(_profile: Profile) -> Result<Widget, String> {
    let root = util::root();
    step("build: wasm toolchain");
    let toolchain = toolchain::ensure_wasm_toolchain();
    if let WasmToolchain::Stable { why } = &toolchain {
        toolchain::warn_stable(why);
    }
    step(&format!(
        "build: widget, both modules (wasm32, wasm-release profile, {})",
        toolchain.describe()
    ));
    let wasms = WasmBuild::shipped(toolchain.clone()).run()?;

    let out = root.join("dist/site/widget");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cleaning {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let stage = root.join("target/site-widget");
    let first = ship_module(&wasms[0], FIRST.1, &stage.join(FIRST.1), &out)?;
    let full = ship_module(&wasms[1], FULL.1, &stage.join(FULL.1), &out)?;
    let receipts = ship_module(&wasms[2], RECEIPTS.1, &stage.join(RECEIPTS.1), &out)?;

    step("build: minified loader and stylesheet");
    let css_min = stage.join("consentry.min.css");
    minify(&root.join("assets/consentry.css"), &css_min)?;
    let css_bytes = assets::read(&css_min)?;
    let css_name = format!("consentry.{}.css", assets::content_hash(&css_bytes));
    assets::write(&out.join(&css_name), &css_bytes)?;

    let loader = String::from_utf8(assets::read(&root.join("assets/consentry-widget.js"))?)
        .map_err(|e| format!("consentry-widget.js is not UTF-8: {e}"))?;
    let loader = assets::replace_once(
        &loader,
        "import('./consentry.js')",
        &format!("import('./{}')", first.glue),
        "assets/consentry-widget.js (first module import)",
    )?;
    let loader = assets::replace_once(
        &loader,
        "import('./consentry-full.js')",
        &format!("import('./{}')", full.glue),
        "assets/consentry-widget.js (full widget import)",
    )?;
    let loader = assets::replace_once(
        &loader,
        "import('./consentry-receipts.js')",
        &format!("import('./{}')", receipts.glue),
        "assets/consentry-widget.js (receipts module import)",
    )?;
    // Frame mode's signer client (ADR 0012): a module of its own, imported by the loader only
    // with the first receipt job of a page that names a `signer`.
    let signer_min = stage.join("consentry-signer.min.js");
    minify(&root.join("assets/consentry-signer.js"), &signer_min)?;
    let signer_bytes = assets::read(&signer_min)?;
    let signer_client = format!(
        "consentry-signer.{}.js",
        assets::content_hash(&signer_bytes)
    );
    assets::write(&out.join(&signer_client), &signer_bytes)?;
    let loader = assets::replace_once(
        &loader,
        "import('./consentry-signer.js')",
        &format!("import('./{signer_client}')"),
        "assets/consentry-widget.js (signer client import)",
    )?;
    let loader = assets::replace_once(
        &loader,
        "new URL('./consentry.css', import.meta.url)",
        &format!("new URL('./{css_name}', import.meta.url)"),
        "assets/consentry-widget.js (stylesheet URL)",
    )?;
    // The plain `<script src>` entry: a classic script that imports the loader beside it.
    minify(
        &root.join("assets/consentry-script.js"),
        &out.join("consentry-script.js"),
    )?;
    let loader = assets::replace_once(
        &loader,
        "new URL('./consentry-full_bg.wasm', import.meta.url)",
        &format!("new URL('./{}', import.meta.url)", full.wasm),
        "assets/consentry-widget.js (full widget wasm)",
    )?;
    let loader = assets::replace_once(
        &loader,
        "new URL('./consentry-receipts_bg.wasm', import.meta.url)",
        &format!("new URL('./{}', import.meta.url)", receipts.wasm),
        "assets/consentry-widget.js (receipts module wasm)",
    )?;
    let loader = assets::replace_once(
        &loader,
        "new URL('./consentry_bg.wasm', import.meta.url)",
        &format!("new URL('./{}', import.meta.url)", first.wasm),
        "assets/consentry-widget.js (first module wasm)",
    )?;
    let loader_in = stage.join("consentry-widget.rewritten.js");
    assets::write(&loader_in, loader.as_bytes())?;
    minify(&loader_in, &out.join("consentry-widget.js"))?;
    npm_package(&out, &first, &full, &receipts, &signer_client, &css_name)?;
    signing_frame(&root, &stage, &out, &receipts)?;

    let shipped = vec![
        Shipped {
            role: "loader",
            path: out.join("consentry-widget.js"),
        },
        Shipped {
            role: "glue",
            path: out.join(first.glue),
        },
        Shipped {
            role: "wasm",
            path: out.join(first.wasm),
        },
        Shipped {
            role: "css",
            path: out.join(css_name),
        },
    ];
    let on_demand = vec![
        Shipped {
            role: "full-glue",
            path: out.join(full.glue),
        },
        Shipped {
            role: "full-wasm",
            path: out.join(full.wasm),
        },
        Shipped {
            role: "receipts-glue",
            path: out.join(receipts.glue),
        },
        Shipped {
            role: "receipts-wasm",
            path: out.join(receipts.wasm),
        },
    ];
    Ok(Widget {
        shipped,
        on_demand,
        toolchain,
    })
}

/// The signing frame (ADR 0012) into `dist/site/signer/`, self-contained so that a receipt
/// server on its own origin serves it from its `--site`: `index.html` (the server writes the
/// allowed origins into it), `signer.js` (minified, importing the receipts module by its
/// hashed name) and a copy of the receipts module's glue and wasm.
fn signing_frame(
    root: &Path,
    stage: &Path,
    widget: &Path,
    receipts: &Module,
) -> Result<(), String> {
    step("build: signing frame (dist/site/signer)");
    let dir = root.join("dist/site/signer");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).map_err(|e| format!("cleaning {}: {e}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    for f in [&receipts.glue, &receipts.wasm] {
        std::fs::copy(widget.join(f), dir.join(f)).map_err(|e| format!("copying {f}: {e}"))?;
    }
    let html = root.join("assets/signer/index.html");
    std::fs::copy(&html, dir.join("index.html"))
        .map_err(|e| format!("copying {}: {e}", html.display()))?;
    let js = String::from_utf8(assets::read(&root.join("assets/signer/signer.js"))?)
        .map_err(|e| format!("assets/signer/signer.js is not UTF-8: {e}"))?;
    let js = assets::replace_once(
        &js,
        "from './consentry-receipts.js'",
        &format!("from './{}'", receipts.glue),
        "assets/signer/signer.js (receipts module import)",
    )?;
    let js_in = stage.join("signer.rewritten.js");
    assets::write(&js_in, js.as_bytes())?;
    minify(&js_in, &dir.join("signer.js"))
}

/// The built widget's files.
pub struct Widget {
    /// Fetched before the banner is interactive (see [`Site::shipped`]).
    pub shipped: Vec<Shipped>,
    /// The full widget, fetched on demand (see [`Site::on_demand`]).
    pub on_demand: Vec<Shipped>,
    /// The toolchain the wasm was built with.
    pub toolchain: WasmToolchain,
}

/// The manifest's default locale file, relative to the notice directory.
fn default_locale_path(notice: &Path) -> Result<String, String> {
    default_locale_field(notice, "path")
}

/// A file of the manifest's default locale (`path`: its first layer, `details`: its details
/// file), relative to the notice directory.
fn default_locale_field(notice: &Path, field: &str) -> Result<String, String> {
    let bytes = assets::read(&notice.join("manifest.json"))?;
    let m: serde_json::Value = serde_json::from_slice(&bytes)
        .map_err(|e| format!("{}: {e}", notice.join("manifest.json").display()))?;
    let default = m["default_locale"]
        .as_str()
        .ok_or("manifest.json has no default_locale")?;
    m["locales"][default][field]
        .as_str()
        .map(String::from)
        .ok_or_else(|| format!("manifest.json has no {field} for its default locale {default}"))
}

/// The `<link>` tags that let the browser fetch everything the banner needs in parallel with
/// the page, instead of one after another (loader → glue → wasm → manifest → locale).
pub fn preload_links(site: &Path, shipped: &[Shipped]) -> Result<String, String> {
    let url = |p: &Path| -> Result<String, String> {
        let rel = p
            .strip_prefix(site)
            .map_err(|_| format!("{} is outside {}", p.display(), site.display()))?;
        Ok(format!("/{}", rel.to_string_lossy().replace('\\', "/")))
    };
    let mut s =
        String::from("<!-- Consentry: fetch the widget, its notice and styles early. -->\n");
    for f in shipped {
        let href = url(&f.path)?;
        let tag = match f.role {
            "loader" | "glue" => format!(r#"<link rel="modulepreload" href="{href}">"#),
            "css" => format!(r#"<link rel="preload" href="{href}" as="style">"#),
            // fetch() from the page's own origin: credentials "same-origin", mode "cors",
            // which `crossorigin` (anonymous) matches.
            _ => format!(r#"<link rel="preload" href="{href}" as="fetch" crossorigin>"#),
        };
        s.push_str("  ");
        s.push_str(&tag);
        s.push('\n');
    }
    Ok(s)
}

/// Inserts `links` into `html` right before `</head>`.
pub fn inject_preloads(html: &str, links: &str) -> Result<String, String> {
    let at = html
        .find("</head>")
        .ok_or("the demo page has no </head> to put the preload links before")?;
    let mut out = String::with_capacity(html.len() + links.len());
    out.push_str(&html[..at]);
    out.push_str(links);
    out.push_str(&html[at..]);
    Ok(out)
}

/// Builds everything in `dist/site`.
pub fn build_site(profile: Profile) -> Result<Site, String> {
    let root = util::root();
    let site_dir = root.join("dist/site");
    let (server_bin, cli_bin) = build_bins()?;
    let Widget {
        mut shipped,
        mut on_demand,
        toolchain,
    } = build_widget(profile)?;
    step("build: notice (consentry build locales/)");
    sh(cmd(&cli_bin).args(["build", "locales", "-o", "dist/site/notice"]))?;
    let notice = site_dir.join("notice");
    shipped.push(Shipped {
        role: "manifest",
        path: notice.join("manifest.json"),
    });
    shipped.push(Shipped {
        role: "locale-default",
        path: notice.join(default_locale_path(&notice)?),
    });
    // Fetched with the settings or the full notice: counted in what opening the settings adds.
    on_demand.push(Shipped {
        role: "locale-details",
        path: notice.join(default_locale_field(&notice, "details")?),
    });
    step("build: demo pages (www/), preload links");
    util::copy_dir(&root.join("www"), &site_dir)?;
    build_console(&site_dir, &toolchain)?;
    let index = site_dir.join("index.html");
    let html = String::from_utf8(assets::read(&index)?)
        .map_err(|e| format!("{} is not UTF-8: {e}", index.display()))?;
    let html = inject_preloads(&html, &preload_links(&site_dir, &shipped)?)?;
    assets::write(&index, html.as_bytes())?;
    step("build: precompress (.br, .gz beside each file)");
    let n = assets::precompress_dir(&site_dir)?;
    println!("{n} files precompressed");
    println!("site ready in {}", site_dir.display());
    Ok(Site {
        dir: site_dir,
        server_bin,
        cli_bin,
        shipped,
        on_demand,
        toolchain,
    })
}

/// Builds the console into `<site>/console/`: its wasm (own target directory, so its
/// dependencies' features never change the widget's build), glue, stylesheet and boot module
/// under content-hashed names, and `index.html` naming them (the server serves that page
/// with the console's strict CSP).
fn build_console(site_dir: &Path, toolchain: &WasmToolchain) -> Result<(), String> {
    let root = util::root();
    step("build: console (wasm32, wasm-release profile)");
    let mut build = WasmBuild::shipped(toolchain.clone());
    build.packages = vec![CONSOLE.0];
    build.target_dir = build.target_dir.join("console");
    let wasm = build.run()?;
    let out = site_dir.join("console");
    if out.exists() {
        std::fs::remove_dir_all(&out).map_err(|e| format!("cleaning {}: {e}", out.display()))?;
    }
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    let stage = root.join("target/site-console");
    let module = ship_module(&wasm[0], CONSOLE.1, &stage.join(CONSOLE.1), &out)?;

    let css_min = stage.join("console.min.css");
    minify(&root.join("assets/console.css"), &css_min)?;
    let css = assets::read(&css_min)?;
    let css_name = format!("console.{}.css", assets::content_hash(&css));
    assets::write(&out.join(&css_name), &css)?;

    // A module file, not an inline script: the page's CSP allows only its own files.
    let boot = format!("import init from './{}';\ninit();\n", module.glue);
    let boot_name = format!("console-boot.{}.js", assets::content_hash(boot.as_bytes()));
    assets::write(&out.join(&boot_name), boot.as_bytes())?;

    let html = String::from_utf8(assets::read(&root.join("assets/console.html"))?)
        .map_err(|e| format!("assets/console.html is not UTF-8: {e}"))?;
    let html = assets::replace_once(
        &html,
        "./console.css",
        &format!("./{css_name}"),
        "assets/console.html (stylesheet)",
    )?;
    let html = assets::replace_once(
        &html,
        "./console-boot.js",
        &format!("./{boot_name}"),
        "assets/console.html (boot module)",
    )?;
    assets::write(&out.join("index.html"), html.as_bytes())
}

/// `cargo xtask demo [--listen ADDR] [--signer-listen ADDR | --same-origin]`: the demo site
/// on one origin and, by default, the receipt server with its signing frame on a second one
/// (another port), as a site and `consent.example.com` would be deployed (ADR 0012).
pub fn demo(args: &[String]) -> Result<(), String> {
    let mut listen = String::from("127.0.0.1:8080");
    let mut signer_listen = Some(String::from("127.0.0.1:8081"));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--listen" => {
                listen = it
                    .next()
                    .cloned()
                    .ok_or("--listen needs an address, e.g. 127.0.0.1:8080")?
            }
            "--signer-listen" => {
                signer_listen = Some(
                    it.next()
                        .cloned()
                        .ok_or("--signer-listen needs an address, e.g. 127.0.0.1:8081")?,
                );
            }
            "--same-origin" => signer_listen = None,
            other => {
                return Err(format!(
                    "unknown demo option {other:?} (try --listen 127.0.0.1:8080, \
                     --signer-listen 127.0.0.1:8081 or --same-origin)"
                ));
            }
        }
    }
    crate::setup::ensure(false)?;
    let site = build_site(Profile::Release)?;
    let root = util::root();
    std::fs::create_dir_all(root.join("data")).map_err(|e| format!("creating data/: {e}"))?;
    step("demo");
    let notices = site.dir.join("notice");
    let accounts = demo_accounts(&site.server_bin)?;
    let tokens = demo_service_tokens(&site.server_bin)?;
    let receipts_host = signer_listen.clone().unwrap_or_else(|| listen.clone());
    let mut services = start_demo_services(&site.server_bin, &receipts_host, &tokens)?;
    let Some(signer_listen) = signer_listen else {
        println!(
            "Consentry demo (same origin): open http://{listen}/ (English) or \
             http://{listen}/?lang=zh-CN (Chinese).\n\
             Receipts are stored in data/receipts.sqlite; Ctrl-C stops the server.\n"
        );
        print_console(&listen, &accounts);
        let served = sh(cmd(&site.server_bin)
            .args([
                "--listen",
                &listen,
                "--db",
                "data/receipts.sqlite",
                "--console-db",
                CONSOLE_DB,
                "--service-tokens",
                SERVICE_TOKENS,
                "--notices",
            ])
            .arg(&notices)
            .arg("--site")
            .arg(&site.dir));
        let _ = services.kill();
        let _ = services.wait();
        return served;
    };
    let signer_url = format!("http://{signer_listen}/signer/");
    demo_page_with_signer(&site.dir, &signer_listen, &signer_url)?;
    println!(
        "Consentry demo: open http://{listen}/ (English) or http://{listen}/?lang=zh-CN (Chinese).\n\
         The site is served from http://{listen}; receipts are signed in the frame {signer_url}\n\
         and stored by the receipt server on http://{signer_listen} in data/receipts.sqlite.\n\
         Ctrl-C stops both servers.\n"
    );
    print_console(&signer_listen, &accounts);
    // The receipt server with the signing frame, on its own origin, for pages of the site.
    let mut receipt_server = cmd(&site.server_bin)
        .args([
            "--listen",
            &signer_listen,
            "--db",
            "data/receipts.sqlite",
            "--console-db",
            CONSOLE_DB,
            "--service-tokens",
            SERVICE_TOKENS,
            "--signer-origin",
            &format!("http://{listen}"),
            "--notices",
        ])
        .arg(&notices)
        .arg("--site")
        .arg(&site.dir)
        .spawn()
        .map_err(|e| format!("starting the receipt server: {e}"))?;
    // The site: static files only as far as the demo is concerned (its own receipt endpoint,
    // data and keys go unused).
    let served = sh(cmd(&site.server_bin)
        .args([
            "--listen",
            &listen,
            "--db",
            "data/site.sqlite",
            "--key-dir",
            "data/site-keys",
            "--notices",
        ])
        .arg(&notices)
        .arg("--site")
        .arg(&site.dir));
    let _ = receipt_server.kill();
    let _ = receipt_server.wait();
    let _ = services.kill();
    let _ = services.wait();
    served
}

/// The demo's backend services' tokens file (the receipt server's `--service-tokens`).
const SERVICE_TOKENS: &str = "data/service-tokens.json";
/// The tokens themselves, for `consentry-demo-services` (0600).
const SERVICE_TOKEN_LIST: &str = "data/demo-service-tokens.txt";
/// Where the demo's services listen.
const SERVICES_LISTEN: &str = "127.0.0.1:8082";

/// The demo's three backend services and their scopes: `(name, env var, service-token args)`.
const DEMO_SERVICES: [(&str, &str, &[&str]); 3] = [
    (
        "transcript-store",
        "CONSENTRY_TRANSCRIPT_STORE_TOKEN",
        &[
            "--purpose",
            "chat-transcript",
            "--link",
            "online_chat",
            "--link-kind",
            "ticket",
        ],
    ),
    (
        "call-recorder",
        "CONSENTRY_CALL_RECORDER_TOKEN",
        &["--purpose", "hotline-call-recording"],
    ),
    (
        "mailbox",
        "CONSENTRY_MAILBOX_TOKEN",
        &["--link", "support_mailbox", "--link-kind", "email"],
    ),
];

/// The services' tokens, made once with the server's own `service-token add`: `(env var,
/// token)`.
fn demo_service_tokens(server_bin: &Path) -> Result<Vec<(String, String)>, String> {
    let root = util::root();
    let (file, list) = (root.join(SERVICE_TOKENS), root.join(SERVICE_TOKEN_LIST));
    if file.exists()
        && let Ok(text) = std::fs::read_to_string(&list)
    {
        let tokens: Vec<(String, String)> = text
            .lines()
            .filter_map(|l| l.split_once(' ').map(|(a, b)| (a.to_owned(), b.to_owned())))
            .collect();
        if tokens.len() == DEMO_SERVICES.len() {
            return Ok(tokens);
        }
    }
    step("demo: backend service tokens (transcript store, call recorder, mailbox)");
    for stale in [&file, &list] {
        if stale.exists() {
            std::fs::remove_file(stale)
                .map_err(|e| format!("removing {}: {e}", stale.display()))?;
        }
    }
    let mut tokens = Vec::new();
    for (name, var, scope) in DEMO_SERVICES {
        let token = util::output(
            cmd(server_bin)
                .current_dir(&root)
                .args([
                    "service-token",
                    "add",
                    "--file",
                    SERVICE_TOKENS,
                    "--name",
                    name,
                ])
                .args(scope),
        )
        .map(|t| t.trim().to_owned())
        .filter(|t| t.starts_with("cst_"))
        .ok_or_else(|| format!("`consentry-server service-token add` failed for {name}"))?;
        tokens.push((var.to_owned(), token));
    }
    let text: String = tokens.iter().map(|(v, t)| format!("{v} {t}\n")).collect();
    write_private(&list, &text)?;
    Ok(tokens)
}

/// Starts `consentry-demo-services` beside the receipt server on `receipts_host`, whose site
/// serves the chat and ticket pages.
fn start_demo_services(
    server_bin: &Path,
    receipts_host: &str,
    tokens: &[(String, String)],
) -> Result<std::process::Child, String> {
    let bin = server_bin.with_file_name("consentry-demo-services");
    let origin = format!("http://{receipts_host}");
    println!(
        "The demo's backend services on http://{SERVICES_LISTEN}:\n\
         - chat with support: {origin}/chat.html?services=http://{SERVICES_LISTEN} (the transcript\n\
         \x20 store keeps a chat only after a yes for that chat)\n\
         - the mailbox's auto-reply, with a link to the notice for the ticket:\n\
         \x20 curl -X POST http://{SERVICES_LISTEN}/mail/auto-reply -d '{{\"ticket\":\"T-1001\",\"email\":\"ana@example.com\"}}'\n\
         - the call recorder's question: curl -X POST http://{SERVICES_LISTEN}/calls \\\n\
         \x20 -d '{{\"identifier\":{{\"kind\":\"email\",\"value\":\"ana@example.com\"}}}}'\n"
    );
    cmd(&bin)
        .current_dir(util::root())
        .args(["--listen", SERVICES_LISTEN, "--receipt-server", &origin])
        .args(["--allow-origin", &origin, "--data", "data/demo-services"])
        .args(["--ticket-page", &format!("{origin}/ticket.html")])
        .envs(tokens.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .spawn()
        .map_err(|e| format!("starting {}: {e}", bin.display()))
}

/// The demo's console accounts file (the server's `--console-db`).
const CONSOLE_DB: &str = "data/console.sqlite";
/// Their names, roles and passwords, kept beside it (0600) so each demo start can print them.
const CONSOLE_ACCOUNTS: &str = "data/console-accounts.txt";

/// One console account of each role for the demo, made once with the server's own `account
/// add --generate-password`: `(name, role, password)`.
fn demo_accounts(server_bin: &Path) -> Result<Vec<(String, String, String)>, String> {
    let root = util::root();
    let (db, list) = (root.join(CONSOLE_DB), root.join(CONSOLE_ACCOUNTS));
    if db.exists()
        && let Ok(text) = std::fs::read_to_string(&list)
    {
        let accounts: Vec<(String, String, String)> = text
            .lines()
            .filter_map(|l| {
                let mut w = l.split_whitespace();
                Some((w.next()?.into(), w.next()?.into(), w.next()?.into()))
            })
            .collect();
        if accounts.len() == 4 {
            return Ok(accounts);
        }
    }
    step("demo: console accounts (one of each role)");
    for stale in [&db, &list] {
        if stale.exists() {
            std::fs::remove_file(stale)
                .map_err(|e| format!("removing {}: {e}", stale.display()))?;
        }
    }
    let mut accounts = Vec::new();
    for (name, role) in [
        ("agent.demo", "agent"),
        ("auditor.demo", "auditor"),
        ("dpo.demo", "dpo"),
        ("admin.demo", "admin"),
    ] {
        let out = util::output(
            cmd(server_bin)
                .current_dir(&root)
                .args([
                    "account",
                    "add",
                    "--console-db",
                    CONSOLE_DB,
                    "--username",
                    name,
                ])
                .args(["--role", role, "--generate-password"]),
        )
        .ok_or_else(|| format!("`consentry-server account add` failed for {name}"))?;
        let password = out
            .rsplit("password: ")
            .next()
            .map(str::trim)
            .filter(|p| !p.is_empty() && !p.contains(' '))
            .ok_or_else(|| format!("no password in the answer for {name}: {out}"))?;
        accounts.push((name.to_owned(), role.to_owned(), password.to_owned()));
    }
    let text: String = accounts
        .iter()
        .map(|(n, r, p)| format!("{n} {r} {p}\n"))
        .collect();
    write_private(&list, &text)?;
    Ok(accounts)
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    use std::io::Write as _;
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("creating {}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("writing {}: {e}", path.display()))
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn print_console(host: &str, accounts: &[(String, String, String)]) {
    println!("The console: http://{host}/console/ — demo accounts (in {CONSOLE_ACCOUNTS}):");
    for (name, role, password) in accounts {
        println!("  {role:<8} {name:<13} password {password}");
    }
    println!(
        "Hotline: sign in as the agent, open \"Hotline call\", record a caller's answers; the caller\n\
         looks the receipt up with the code read out at http://{host}/receipt.html"
    );
    println!();
}

/// The demo page names the signing frame (`<meta name="consentry-signer">`) and its policy
/// allows framing it (`frame-src`); the stale precompressed copies of the page go.
fn demo_page_with_signer(site: &Path, signer_host: &str, signer_url: &str) -> Result<(), String> {
    let index = site.join("index.html");
    let html = String::from_utf8(assets::read(&index)?)
        .map_err(|e| format!("{} is not UTF-8: {e}", index.display()))?;
    let html = assets::replace_once(
        &html,
        r#"<meta name="consentry-signer" content="">"#,
        &format!(r#"<meta name="consentry-signer" content="{signer_url}">"#),
        "www/index.html (consentry-signer meta)",
    )?;
    let html = assets::replace_once(
        &html,
        "content=\"default-src 'self';",
        &format!("content=\"default-src 'self'; frame-src http://{signer_host};"),
        "www/index.html (Content-Security-Policy)",
    )?;
    assets::write(&index, html.as_bytes())?;
    for ext in ["br", "gz"] {
        let stale = site.join(format!("index.html.{ext}"));
        if stale.exists() {
            std::fs::remove_file(&stale)
                .map_err(|e| format!("removing {}: {e}", stale.display()))?;
        }
    }
    Ok(())
}

/// Makes the widget directory an npm package: the types and README as written, and
/// `package.json` with its file list and the stylesheet export naming the hashed files.
fn npm_package(
    out: &Path,
    first: &Module,
    full: &Module,
    receipts: &Module,
    signer: &str,
    css: &str,
) -> Result<(), String> {
    let root = util::root();
    // As written: the types, the README and the esbuild plugin (it runs in Node, at build time).
    for asset in [
        "consentry-widget.d.ts",
        "README.md",
        "consentry-esbuild.js",
        "consentry-esbuild.d.ts",
    ] {
        let from = root.join("assets").join(asset);
        std::fs::copy(&from, out.join(asset))
            .map_err(|e| format!("copying {}: {e}", from.display()))?;
    }
    let src = root.join("assets/package.json");
    let text = String::from_utf8(assets::read(&src)?)
        .map_err(|e| format!("{} is not UTF-8: {e}", src.display()))?;
    let mut pkg: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", src.display()))?;
    let rename = |f: &str| match f {
        "consentry.js" => first.glue.clone(),
        "consentry_bg.wasm" => first.wasm.clone(),
        "consentry-full.js" => full.glue.clone(),
        "consentry-full_bg.wasm" => full.wasm.clone(),
        "consentry-receipts.js" => receipts.glue.clone(),
        "consentry-receipts_bg.wasm" => receipts.wasm.clone(),
        "consentry-signer.js" => signer.to_owned(),
        "consentry.css" => css.to_owned(),
        other => other.to_owned(),
    };
    let files = pkg
        .get_mut("files")
        .and_then(serde_json::Value::as_array_mut)
        .ok_or_else(|| format!("{}: no \"files\" array", src.display()))?;
    for f in files.iter_mut() {
        if let Some(name) = f.as_str() {
            *f = serde_json::Value::String(rename(name));
        }
    }
    if let Some(export) = pkg
        .get_mut("exports")
        .and_then(|e| e.get_mut("./consentry.css"))
    {
        *export = serde_json::Value::String(format!("./{css}"));
    }
    let mut json = serde_json::to_string_pretty(&pkg).map_err(|e| e.to_string())?;
    json.push('\n');
    assets::write(&out.join("package.json"), json.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preloads_cover_every_shipped_file_with_the_right_kind() {
        let site = Path::new("/x/dist/site");
        let f = |role: &'static str, p: &str| Shipped {
            role,
            path: site.join(p),
        };
        let links = preload_links(
            site,
            &[
                f("loader", "widget/consentry-widget.js"),
                f("glue", "widget/consentry.0123456789ab.js"),
                f("wasm", "widget/consentry_bg.0123456789ab.wasm"),
                f("css", "widget/consentry.0123456789ab.css"),
                f("manifest", "notice/manifest.json"),
                f("locale-default", "notice/notice.en.0123456789ab.json"),
            ],
        )
        .unwrap();
        for want in [
            r#"<link rel="modulepreload" href="/widget/consentry-widget.js">"#,
            r#"<link rel="modulepreload" href="/widget/consentry.0123456789ab.js">"#,
            r#"<link rel="preload" href="/widget/consentry_bg.0123456789ab.wasm" as="fetch" crossorigin>"#,
            r#"<link rel="preload" href="/widget/consentry.0123456789ab.css" as="style">"#,
            r#"<link rel="preload" href="/notice/manifest.json" as="fetch" crossorigin>"#,
            r#"<link rel="preload" href="/notice/notice.en.0123456789ab.json" as="fetch" crossorigin>"#,
        ] {
            assert!(links.contains(want), "missing {want} in\n{links}");
        }
        let outside = Shipped {
            role: "wasm",
            path: PathBuf::from("/elsewhere/a.wasm"),
        };
        assert!(preload_links(site, &[outside]).is_err());
    }

    #[test]
    fn the_demo_page_names_its_signer_and_may_frame_it() {
        let dir = std::env::temp_dir().join(format!("xtask-demo-signer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let page = std::fs::read_to_string(util::root().join("www/index.html")).unwrap();
        std::fs::write(dir.join("index.html"), &page).unwrap();
        std::fs::write(dir.join("index.html.br"), b"stale").unwrap();
        demo_page_with_signer(&dir, "127.0.0.1:8081", "http://127.0.0.1:8081/signer/").unwrap();
        let out = std::fs::read_to_string(dir.join("index.html")).unwrap();
        assert!(
            out.contains(
                r#"<meta name="consentry-signer" content="http://127.0.0.1:8081/signer/">"#
            )
        );
        assert!(out.contains("default-src 'self'; frame-src http://127.0.0.1:8081;"));
        assert!(
            !dir.join("index.html.br").exists(),
            "a stale compressed page would be served"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn preloads_go_at_the_end_of_head() {
        let html = "<html><head><title>t</title></head><body></body></html>";
        let out = inject_preloads(html, "<link>\n").unwrap();
        assert_eq!(
            out,
            "<html><head><title>t</title><link>\n</head><body></body></html>"
        );
        assert!(inject_preloads("<body></body>", "<link>").is_err());
    }
}
