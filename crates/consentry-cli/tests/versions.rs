//! `consentry build` against a published build, `consentry diff`, `consentry lint --explain`:
//! the real binary on temporary directories.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

fn consentry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .output()
        .expect("run consentry")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn out(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn err(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A copy of the real locales (all six languages).
fn locales_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    for e in fs::read_dir(&repo).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

fn build(src: &Path, dest: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["build", p(src), "-o", p(dest)];
    args.extend_from_slice(extra);
    consentry(&args)
}

#[test]
fn a_sentence_edited_without_a_version_bump_fails_and_a_bump_passes() {
    let src = locales_copy();
    let tmp = tempfile::tempdir().unwrap();
    let v1 = tmp.path().join("v1");
    assert_eq!(code(&build(src.path(), &v1, &[])), 0);
    // The same sources again: fine, byte-identical.
    let again = tmp.path().join("again");
    let o = build(src.path(), &again, &["--previous", p(&v1)]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    edit(
        &src.path().join("fr.ftl"),
        "close = Fermer",
        "close = Fermer la fenêtre",
    );
    let v2 = tmp.path().join("v2");
    let o = build(src.path(), &v2, &["--previous", p(&v1)]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    assert!(err(&o).contains("error[V001]"), "{}", err(&o));
    assert!(err(&o).contains("fr: close"), "{}", err(&o));
    assert!(
        err(&o).contains("notice.toml:"),
        "points at notice.toml: {}",
        err(&o)
    );
    assert!(!v2.exists(), "nothing written");
    // Only spaces changed: not a change.
    edit(
        &src.path().join("fr.ftl"),
        "close = Fermer la fenêtre",
        "close =   Fermer  ",
    );
    let o = build(src.path(), &v2, &["--previous", p(&v1)]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    fs::remove_dir_all(&v2).unwrap();
    // A bump makes the change publishable.
    edit(
        &src.path().join("fr.ftl"),
        "close =   Fermer  ",
        "close = Fermer la fenêtre",
    );
    // Whatever version the real notice is at, a new one.
    let toml = src.path().join("notice.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let old = text
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    let new = format!("{old}.1");
    edit(
        &toml,
        &format!("version = \"{old}\""),
        &format!("version = \"{new}\""),
    );
    let o = build(src.path(), &v2, &["--previous", p(&v1)]);
    assert_eq!(code(&o), 0, "{}", err(&o));

    // `consentry diff` shows the change message by message; exit 1 because they differ.
    let o = consentry(&["diff", p(&v1), p(&v2)]);
    assert_eq!(code(&o), 1, "{}", err(&o));
    let text = out(&o);
    assert!(text.contains(&format!("version: {old} → {new}")), "{text}");
    assert!(
        text.contains("fr:\n  ~ close\n    - Fermer\n    + Fermer la fenêtre\n"),
        "{text}"
    );
    assert!(!text.contains("en:"), "only fr changed: {text}");
    // Identical builds: exit 0.
    let o = consentry(&["diff", p(&v1), p(&again)]);
    assert_eq!((code(&o), out(&o).starts_with("no differences")), (0, true));
    // A build that cannot be read: exit 2.
    let o = consentry(&["diff", p(&v1), p(&tmp.path().join("nope"))]);
    assert_eq!(code(&o), 2);
}

#[test]
fn an_unreadable_or_foreign_previous_build() {
    let src = locales_copy();
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("out");
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("manifest.json"), "{not json").unwrap();
    let o = build(src.path(), &dest, &[]);
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("error[V002]"), "{}", err(&o));
    // A locale file that no longer matches its digest is unreadable too.
    fs::remove_file(dest.join("manifest.json")).unwrap();
    assert_eq!(code(&build(src.path(), &dest, &[])), 0);
    let en = fs::read_dir(&dest)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .starts_with("notice.en.")
        })
        .unwrap();
    fs::write(&en, b"{}").unwrap();
    let o = build(src.path(), &dest, &[]);
    assert_eq!(code(&o), 1);
    assert!(err(&o).contains("SHA-256"), "{}", err(&o));
    // --previous must hold a build.
    let o = build(
        src.path(),
        &tmp.path().join("x"),
        &["--previous", p(tmp.path())],
    );
    assert_eq!(code(&o), 2, "{}", err(&o));
}

#[test]
fn explain_prints_the_rule() {
    let o = consentry(&["lint", "--explain", "R011"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o);
    assert!(
        text.starts_with("R011 pipl-cross-border-consent (error)\n"),
        "{text}"
    );
    assert!(text.contains("PIPL Art. 39"), "{text}");
    let o = consentry(&["lint", "--explain", "missing-message"]);
    assert!(out(&o).starts_with("M001 missing-message"), "{}", out(&o));
    let o = consentry(&["lint", "--explain", "Z999"]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("no rule"), "{}", err(&o));
    // Neither a directory nor --explain: a usage error.
    assert_eq!(code(&consentry(&["lint"])), 2);
}

/// With a directory, `--explain` says why the rule applies to that notice: the controller
/// moved out of China, PIPL still applies because CN is mapped (issue 14).
#[test]
fn explain_with_a_directory_says_why_the_rule_applies_there() {
    let src = locales_copy();
    let o = consentry(&["lint", p(src.path()), "--explain", "R017"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert!(out(&o).contains("no R017 finding"), "{}", out(&o));
    edit(
        &src.path().join("notice.toml"),
        "country = \"CN\"",
        "country = \"SG\"",
    );
    let o = consentry(&["lint", p(src.path()), "--explain", "R017"]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o);
    assert!(
        text.starts_with("R017 pipl-china-representative (error)\n"),
        "{text}"
    );
    assert!(text.contains("outside China"), "{text}");
    assert!(text.contains("visitors in CN"), "why it applies: {text}");
    assert!(text.contains("notice.toml"), "where: {text}");
    // Only that rule's findings.
    assert!(!text.contains("R001"), "{text}");
}
