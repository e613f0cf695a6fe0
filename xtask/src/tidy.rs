//! `cargo xtask test tidy`: the house rules that no compiler checks.
//!
//! - **Core is framework-free**: `consentry-core` depends on no UI, browser, server or
//!   database crate (it is the one implementation of every rule, compiled into the widget,
//!   the CLI and the server alike).
//! - **The browser is reached through the platform code**: `web_sys` appears only in the
//!   platform modules and in the few files listed in [`WEB_SYS_FILES`] (each module's entry
//!   point and the first module's DOM builder); a new file that needs the browser goes
//!   through `consentry_web::platform`.
//! - **No import cycle between files** of a crate (`use crate::…`, `crate::…::`, `super::…`):
//!   each file stands above what it imports.
//!
//! (wasm32 clippy over every wasm module runs in the `lint` stage.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::util;

/// Crates `consentry-core` must not depend on.
const NOT_IN_CORE: &[&str] = &[
    "yew",
    "web-sys",
    "js-sys",
    "wasm-bindgen",
    "wasm-bindgen-futures",
    "gloo",
    "gloo-net",
    "gloo-timers",
    "gloo-utils",
    "serde-wasm-bindgen",
    "axum",
    "tokio",
    "tower",
    "tower-http",
    "rusqlite",
    "tokio-postgres",
    "reqwest",
    "hyper",
];

/// Files outside a `platform` module that may name `web_sys`: the module entry points that
/// receive the page's objects, and the first module's DOM builder (ADR 0008).
const WEB_SYS_FILES: &[&str] = &[
    "src/js_api.rs",
    "src/platform.rs",
    "crates/consentry-first/src/lib.rs",
    "crates/consentry-first/src/view.rs",
    "crates/consentry-first/src/widget.rs",
    "crates/consentry-receipts/src/lib.rs",
    // The console (staff, not visitors): its one file that reaches the browser.
    "crates/consentry-console/src/platform.rs",
];

/// Runs every check; all findings are reported together.
pub fn run() -> Result<(), String> {
    let root = util::root();
    let mut problems = Vec::new();
    problems.extend(core_dependencies(&root)?);
    problems.extend(web_sys_outside_platform(&root)?);
    problems.extend(import_cycles(&root)?);
    if problems.is_empty() {
        println!("tidy: core framework-free, web_sys only in the platform code, no import cycle");
        Ok(())
    } else {
        Err(format!(
            "tidy found {} problem(s):\n  - {}",
            problems.len(),
            problems.join("\n  - ")
        ))
    }
}

fn core_dependencies(root: &Path) -> Result<Vec<String>, String> {
    let path = root.join("crates/consentry-core/Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut out = Vec::new();
    for section in ["dependencies", "build-dependencies"] {
        if let Some(deps) = doc.get(section).and_then(|d| d.as_table()) {
            for name in deps.keys() {
                let package = deps[name]
                    .get("package")
                    .and_then(|p| p.as_str())
                    .unwrap_or(name);
                if NOT_IN_CORE.contains(&package) {
                    out.push(format!(
                        "consentry-core depends on {package} ([{section}]): core stays free of \
                         UI, browser, server and database crates"
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for e in entries {
        let p = e.map_err(|e| format!("{}: {e}", dir.display()))?.path();
        if p.is_dir() {
            rust_files(&p, out)?;
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    Ok(())
}

/// The `src` directories of the workspace's crates (the widget at the root, then `crates/*`).
fn crate_sources(root: &Path) -> Result<Vec<PathBuf>, String> {
    let mut dirs = vec![root.join("src")];
    let crates = root.join("crates");
    let entries = std::fs::read_dir(&crates).map_err(|e| format!("{}: {e}", crates.display()))?;
    for e in entries {
        let src = e.map_err(|e| e.to_string())?.path().join("src");
        if src.is_dir() {
            dirs.push(src);
        }
    }
    dirs.sort();
    Ok(dirs)
}

/// Code without `//` comments (doc comments name paths that are not imports).
fn code_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines().map(|l| match l.find("//") {
        Some(i) => &l[..i],
        None => l,
    })
}

fn rel(root: &Path, p: &Path) -> String {
    p.strip_prefix(root)
        .unwrap_or(p)
        .to_string_lossy()
        .replace('\\', "/")
}

fn web_sys_outside_platform(root: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for src in crate_sources(root)? {
        let mut files = Vec::new();
        rust_files(&src, &mut files)?;
        for f in files {
            let r = rel(root, &f);
            let test_file = r.ends_with("tests.rs") || r.contains("/tests/");
            if r.contains("/platform/") || test_file || WEB_SYS_FILES.contains(&r.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&f).map_err(|e| format!("{r}: {e}"))?;
            if code_lines(&text).any(|l| l.contains("web_sys")) {
                out.push(format!(
                    "{r} names web_sys: reach the browser through consentry_web::platform"
                ));
            }
        }
    }
    Ok(out)
}

/// The file a module path names inside `src` (`a::b` → `a/b.rs`, `a/b/mod.rs`, else the
/// nearest parent module's file).
fn module_file(src: &Path, segments: &[&str]) -> Option<PathBuf> {
    for n in (1..=segments.len()).rev() {
        let mut p = src.to_path_buf();
        for s in &segments[..n] {
            p.push(s);
        }
        let file = p.with_extension("rs");
        if file.is_file() {
            return Some(file);
        }
        let m = p.join("mod.rs");
        if m.is_file() {
            return Some(m);
        }
    }
    None
}

/// The module path of a file inside `src` (`a/b.rs` → `[a, b]`; `lib.rs`, `main.rs` → `[]`).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let r = file.strip_prefix(src).unwrap_or(file);
    let mut parts: Vec<String> = r
        .iter()
        .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The identifiers after `prefix` in a line, as module paths (`crate::a::b::{c, d}` → `a::b`).
fn paths_after<'l>(line: &'l str, prefix: &str) -> Vec<Vec<&'l str>> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = rest.find(prefix) {
        let before = rest[..i].chars().last();
        rest = &rest[i + prefix.len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let path: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        if !path.is_empty() {
            out.push(path);
        }
    }
    out
}

fn import_cycles(root: &Path) -> Result<Vec<String>, String> {
    let mut problems = Vec::new();
    for src in crate_sources(root)? {
        let mut files = Vec::new();
        rust_files(&src, &mut files)?;
        // Test modules and binaries are not rooms of the house.
        files.retain(|f| {
            let r = rel(root, f);
            !(r.ends_with("tests.rs") || r.contains("/tests/") || r.contains("/bin/"))
        });
        let mut edges: BTreeMap<PathBuf, BTreeSet<PathBuf>> = BTreeMap::new();
        for f in &files {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            let here = module_of(&src, f);
            let mut to = BTreeSet::new();
            // Code before `#[cfg(test)]` (inline test modules import freely).
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for line in code_lines(code) {
                for p in paths_after(line, "crate::") {
                    if let Some(t) = module_file(&src, &p) {
                        to.insert(t);
                    }
                }
                for p in paths_after(line, "super::") {
                    // `super` of a file module is its parent module.
                    let mut base: Vec<&str> = here.iter().map(String::as_str).collect();
                    base.pop();
                    base.extend(p.iter().copied().filter(|s| *s != "super"));
                    if let Some(t) = module_file(&src, &base) {
                        to.insert(t);
                    }
                }
            }
            // A crate root declares its modules; that is not an import.
            to.retain(|t| t != f && !t.ends_with("lib.rs") && !t.ends_with("main.rs"));
            edges.insert(f.clone(), to);
        }
        for cycle in strongly_connected(&edges) {
            let mut names: Vec<String> = cycle.iter().map(|p| rel(root, p)).collect();
            names.sort();
            problems.push(format!("import cycle: {}", names.join(" <-> ")));
        }
    }
    Ok(problems)
}

/// The strongly connected components of more than one file (Tarjan).
fn strongly_connected(edges: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct T<'e> {
        edges: &'e BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'e PathBuf, usize>,
        low: BTreeMap<&'e PathBuf, usize>,
        stack: Vec<&'e PathBuf>,
        on: BTreeSet<&'e PathBuf>,
        next: usize,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'e>(t: &mut T<'e>, v: &'e PathBuf) {
        t.index.insert(v, t.next);
        t.low.insert(v, t.next);
        t.next += 1;
        t.stack.push(v);
        t.on.insert(v);
        if let Some(ws) = t.edges.get(v) {
            for w in ws {
                let Some((w, _)) = t.edges.get_key_value(w) else {
                    continue;
                };
                if !t.index.contains_key(w) {
                    visit(t, w);
                    let lw = t.low[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(lw));
                } else if t.on.contains(w) {
                    let iw = t.index[w];
                    let lv = t.low[v];
                    t.low.insert(v, lv.min(iw));
                }
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_after_reads_use_lists_and_inline_paths_but_not_longer_names() {
        assert_eq!(
            paths_after("use crate::store::{A, B};", "crate::"),
            vec![vec!["store"]]
        );
        assert_eq!(
            paths_after("let x = crate::tlog::corrupt(e); my_crate::x", "crate::"),
            vec![vec!["tlog", "corrupt"]]
        );
    }

    #[test]
    fn a_two_file_loop_is_one_component_and_a_chain_is_none() {
        let p = |s: &str| PathBuf::from(s);
        let mut e = BTreeMap::new();
        e.insert(p("a"), BTreeSet::from([p("b")]));
        e.insert(p("b"), BTreeSet::from([p("a"), p("c")]));
        e.insert(p("c"), BTreeSet::new());
        let c = strongly_connected(&e);
        assert_eq!(c.len(), 1);
        assert_eq!(
            c[0].iter().collect::<BTreeSet<_>>(),
            BTreeSet::from([&p("a"), &p("b")])
        );
        e.get_mut(&p("b")).unwrap().remove(&p("a"));
        assert!(strongly_connected(&e).is_empty());
    }
}
