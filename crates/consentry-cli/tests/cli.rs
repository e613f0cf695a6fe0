//! Runs the real `consentry` binary on temporary directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use consentry_core::bundle::Manifest;
use consentry_core::encoding::Sha256Digest;
use consentry_core::json;

fn consentry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .output()
        .expect("run consentry")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn repo_locales() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales")
}

/// A copy of the real locales directory in a temp dir (plus a README that must be ignored).
fn locales_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in [
        "notice.toml",
        "en.ftl",
        "zh-CN.ftl",
        "zh-CN.terms.toml",
        "zh-CN.facts.toml",
    ] {
        fs::copy(repo_locales().join(name), dir.path().join(name)).unwrap();
    }
    fs::write(dir.path().join("README.md"), "not part of the notice").unwrap();
    dir
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn lint_of_the_real_locales_is_clean() {
    let o = consentry(&["lint", p(&repo_locales())]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).ends_with("no problems found\n"),
        "{}",
        stdout(&o)
    );
}

/// The shipped notice with every interface message removed from every language (the notice's
/// own words only, as an author writes it now that the interface text is built in) lints
/// without a finding, and builds; a language without built-in text (Icelandic) is asked for
/// its interface messages, with the languages that have them named.
#[test]
fn the_shipped_notice_in_its_own_words_only_lints_clean_with_the_built_in_interface_text() {
    use consentry_core::compile::interface;
    let dir = tempfile::tempdir().unwrap();
    let mut removed = 0;
    for entry in fs::read_dir(repo_locales()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        let text = fs::read_to_string(&path).unwrap();
        let text = if name.ends_with(".ftl") {
            let kept: Vec<&str> = text
                .lines()
                .filter(|l| {
                    let id = l.split(" = ").next().unwrap_or_default();
                    let covered = interface::covers(id);
                    removed += usize::from(covered);
                    !covered
                })
                .collect();
            kept.join("\n") + "\n"
        } else {
            text
        };
        fs::write(dir.path().join(&name), text).unwrap();
    }
    // 88 interface messages in each of the six languages.
    assert_eq!(removed, 6 * 88);
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).ends_with("no problems found\n"),
        "{}",
        stdout(&o)
    );
    let out = tempfile::tempdir().unwrap();
    let o = build(dir.path(), out.path(), &[]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));

    // A language without built-in interface text must write it.
    let fr = fs::read_to_string(dir.path().join("fr.ftl")).unwrap();
    fs::write(dir.path().join("is.ftl"), fr).unwrap();
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 1);
    let text = stdout(&o);
    assert!(
        text.contains("error[M001]: message `accept-all` is missing from is"),
        "{text}"
    );
    assert!(text.contains("built in for ar, bg,"), "{text}");
}

/// The 1-based line of the first line of `path` that contains `needle`.
fn line_of(path: &Path, needle: &str) -> usize {
    1 + fs::read_to_string(path)
        .unwrap()
        .lines()
        .position(|l| l.contains(needle))
        .unwrap()
}

#[test]
fn lint_reports_every_error_and_exits_1() {
    let dir = locales_copy();
    let zh = dir.path().join("zh-CN.ftl");
    // The banner's title: the notice's own words (interface messages such as accept-all are
    // built in for zh-CN, so removing one is no longer a finding).
    let title_line = line_of(&zh, "banner-title = ");
    edit(
        &zh,
        "banner-title = { -brand }技术支持个人信息保护提示\n",
        "",
    );
    edit(&zh, "close = 关闭", "close = 关闭 { $nowhere }");
    edit(
        &dir.path().join("notice.toml"),
        "retention = \"P90D\"",
        "retention = \"90 days\"",
    );
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 1);
    let out = stdout(&o);
    let zh_path = format!("{}/zh-CN.ftl", p(dir.path()));
    // All three problems in one run, rustc-style, with the source line and a caret.
    assert!(
        out.contains("error[N003]: retention \"90 days\" is not an ISO 8601 duration"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "error[M001]: message `banner-title` is missing from zh-CN\n  --> {zh_path}:{title_line}:1\n"
        )),
        "{out}"
    );
    assert!(
        out.contains("error[M005]: `{ $nowhere }` is not a link in notice.toml"),
        "{out}"
    );
    assert!(
        out.contains("close = 关闭 { $nowhere }\n   |                ^^^^^^^^\n"),
        "{out}"
    );
    assert!(out.ends_with(": 3 errors, 0 warnings\n"), "{out}");
}

#[test]
fn lint_warnings_alone_exit_0() {
    let dir = locales_copy();
    let zh = dir.path().join("zh-CN.ftl");
    let mut text = fs::read_to_string(&zh).unwrap();
    text.push_str("hotline-hours = 工作日 9:00–18:00\n");
    fs::write(&zh, text).unwrap();
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(
        stdout(&o)
            .contains("warning[M002]: message `hotline-hours` is not in the default locale (en)")
    );
    assert!(stdout(&o).ends_with(": 0 errors, 1 warning\n"));
}

#[test]
fn lint_json_format() {
    let dir = locales_copy();
    let close_line = line_of(&dir.path().join("en.ftl"), "close = Close");
    edit(
        &dir.path().join("en.ftl"),
        "close = Close",
        "close = { $nowhere }",
    );
    let o = consentry(&["lint", p(dir.path()), "--format", "json"]);
    assert_eq!(code(&o), 1);
    let v = json::parse_str(stdout(&o).trim_end()).expect("one JSON document");
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 1, "{}", stdout(&o));
    let d = &items[0];
    assert_eq!(d.get("code").unwrap().as_str(), Some("M005"));
    assert_eq!(d.get("severity").unwrap().as_str(), Some("error"));
    assert_eq!(
        d.get("file").unwrap().as_str(),
        Some(format!("{}/en.ftl", p(dir.path())).as_str())
    );
    assert_eq!(d.get("line").unwrap().as_i64(), Some(close_line as i64));
    assert_eq!(d.get("column").unwrap().as_i64(), Some(11));
    assert!(
        d.get("message")
            .unwrap()
            .as_str()
            .unwrap()
            .contains("$nowhere")
    );
    // Clean input gives an empty array and exit 0.
    let o = consentry(&["lint", p(&repo_locales()), "--format", "json"]);
    assert_eq!(code(&o), 0);
    assert_eq!(stdout(&o), "[]\n");
}

#[test]
fn usage_and_io_failures_exit_2() {
    let o = consentry(&["lint", "/nonexistent/consentry-locales"]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("cannot read directory /nonexistent/consentry-locales"),
        "{}",
        stderr(&o)
    );
    assert_eq!(code(&consentry(&[])), 2);
    assert_eq!(code(&consentry(&["lint"])), 2);
    assert_eq!(
        code(&consentry(&["lint", p(&repo_locales()), "--format", "xml"])),
        2
    );
    assert_eq!(
        code(&consentry(&["build", p(&repo_locales())])),
        2,
        "-o is required"
    );
    let out = tempfile::tempdir().unwrap();
    let o = consentry(&[
        "build",
        p(&repo_locales()),
        "-o",
        p(out.path()),
        "--build-time",
        "yesterday",
    ]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("RFC 3339"), "{}", stderr(&o));
    // An unreadable locale file (a dangling symlink).
    let dir = locales_copy();
    std::os::unix::fs::symlink("/nonexistent/de.ftl", dir.path().join("de.ftl")).unwrap();
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("de.ftl"), "{}", stderr(&o));
}

fn build(src: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", p(src), "-o", p(out)];
    args.extend_from_slice(extra);
    consentry(&args)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    names
}

#[test]
fn build_writes_manifest_and_locale_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("nested/out");
    let o = build(
        &repo_locales(),
        &out,
        &["--build-time", "2026-11-27T09:00:00Z"],
    );
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("built support-privacy version "),
        "{}",
        stdout(&o)
    );
    let names = listing(&out);
    assert_eq!(
        names.len(),
        14,
        "six locales (first layer and details each), the manifest and the archive: {names:?}"
    );
    assert!(names.contains(&"archive".to_string()), "{names:?}");
    let manifest = Manifest::from_json(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(
        manifest.build_time.as_deref(),
        Some("2026-11-27T09:00:00.000Z")
    );
    assert_eq!(manifest.default_locale.as_str(), "en");
    let listed =
        consentry_core::bundle::manifest_details(&fs::read(out.join("manifest.json")).unwrap())
            .unwrap();
    for (e, d) in manifest.locales.iter().zip(&listed) {
        let bytes = fs::read(out.join(&e.path)).unwrap();
        assert_eq!(Sha256Digest::of(&bytes), e.sha256, "{}", e.path);
        assert!(names.contains(&e.path));
        // The first layer names its details file by digest; the manifest lists it too.
        let first = consentry_core::bundle::FirstLayer::from_json(&bytes).unwrap();
        let details = first.details.clone().unwrap();
        assert_eq!(d.as_deref(), Some(details.path.as_str()), "{}", e.path);
        let full = fs::read(out.join(&details.path)).unwrap();
        assert_eq!(Sha256Digest::of(&full), details.sha256, "{}", details.path);
        let bundle = consentry_core::bundle::LocaleBundle::from_json(&full).unwrap();
        assert!(first.is_layer_of(&bundle), "{}", e.path);
    }
}

#[test]
fn two_builds_are_byte_identical() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert_eq!(code(&build(&repo_locales(), a.path(), &[])), 0);
    assert_eq!(code(&build(&repo_locales(), b.path(), &[])), 0);
    let names = listing(a.path());
    assert_eq!(names, listing(b.path()));
    for n in names.iter().filter(|n| a.path().join(n).is_file()) {
        assert_eq!(
            fs::read(a.path().join(n)).unwrap(),
            fs::read(b.path().join(n)).unwrap(),
            "{n}"
        );
    }
}

#[test]
fn rebuild_keeps_the_previous_build() {
    let src = locales_copy();
    let out = tempfile::tempdir().unwrap();
    fs::write(out.path().join("keep.txt"), "other file").unwrap();
    assert_eq!(code(&build(src.path(), out.path(), &[])), 0);
    let before = listing(out.path());
    edit(
        &src.path().join("en.ftl"),
        "accept-all = Accept all",
        "accept-all = Allow all",
    );
    // One sentence changed under the same version: refused, naming the message, and the
    // published build is left as it was.
    let o = build(src.path(), out.path(), &[]);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("error[V001]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("en: accept-all"), "{}", stderr(&o));
    assert_eq!(listing(out.path()), before);
    // With a new version it builds; the old files stay (published files are never removed),
    // and the new content comes under new names.
    let toml = src.path().join("notice.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let line = text.lines().find(|l| l.starts_with("version = ")).unwrap();
    let bumped = line.replacen("version = \"", "version = \"9.", 1);
    edit(&toml, line, &bumped);
    let o = build(src.path(), out.path(), &[]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let after = listing(out.path());
    for name in &before {
        assert!(after.contains(name), "{name} kept");
    }
    let new: Vec<&String> = after.iter().filter(|n| !before.contains(n)).collect();
    assert!(
        new.iter().filter(|n| n.starts_with("notice.en.")).count() == 2
            && new.iter().all(|n| n.starts_with("notice.")),
        "the changed files come under new names: {new:?}"
    );
}

#[test]
fn build_with_errors_writes_nothing_and_exits_1() {
    let src = locales_copy();
    edit(
        &src.path().join("en.ftl"),
        "close = Close",
        "close = { nothing }",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = build(src.path(), &out, &[]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("error[M007]"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nothing was written"));
    assert!(!out.exists());
    // An existing build is left as it was.
    let good = tempfile::tempdir().unwrap();
    assert_eq!(code(&build(&repo_locales(), good.path(), &[])), 0);
    let before = listing(good.path());
    assert_eq!(code(&build(src.path(), good.path(), &[])), 1);
    assert_eq!(listing(good.path()), before);
}

#[test]
fn lint_reads_the_terminology_files() {
    let dir = locales_copy();
    fs::copy(
        repo_locales().join("zh-CN.terms.toml"),
        dir.path().join("zh-CN.terms.toml"),
    )
    .unwrap();
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 0, "{}{}", stdout(&o), stderr(&o));
    edit(
        &dir.path().join("zh-CN.ftl"),
        "dpo-heading = 个人信息保护负责人",
        "dpo-heading = 数据保护官",
    );
    let o = consentry(&["lint", p(dir.path())]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("error[T002]"), "{}", stdout(&o));
    assert!(stdout(&o).contains("PIPL Art. 52"), "{}", stdout(&o));
    let o = consentry(&["lint", "--explain", "T002"]);
    assert_eq!(code(&o), 0);
    assert!(
        stdout(&o).starts_with("T002 avoided-term (error)"),
        "{}",
        stdout(&o)
    );
}
