//! `consentry build` publishes into an archive it never deletes from, and `consentry verify
//! --notices` reads every version in it (ADR 0010): the real binary on temporary directories.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use consentry_core::bundle::archive::{
    ARCHIVE_DIR, LINT_RECORD, LINT_RECORD_SCHEMA, version_dir_name,
};
use consentry_core::bundle::{LocaleBundle, Manifest, manifest_details};
use consentry_core::ids::{ReceiptId, RegionCode};
use consentry_core::receipt::{Jurisdiction, Receipt, ReceiptContext};
use consentry_core::regime::RegionSource;
use consentry_core::session::{DecisionRecord, Method, Phase};
use consentry_core::testing::TestSigner;
use consentry_core::time::Timestamp;

fn consentry(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .output()
        .expect("run consentry")
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// A copy of the real locales.
fn locales_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    for e in fs::read_dir(&repo).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    dir
}

fn build(src: &Path, out: &Path) -> Output {
    consentry(&["build", p(src), "-o", p(out)])
}

/// The version in `notice.toml`.
fn version_of(src: &Path) -> String {
    let text = fs::read_to_string(src.join("notice.toml")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned()
}

/// Sets the version in `notice.toml`.
fn set_version(src: &Path, v: &str) {
    let toml = src.join("notice.toml");
    let text = fs::read_to_string(&toml).unwrap();
    let old = format!("version = \"{}\"", version_of(src));
    fs::write(&toml, text.replacen(&old, &format!("version = \"{v}\""), 1)).unwrap();
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// Every file under `dir` (relative path → bytes), directories walked.
fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        for e in fs::read_dir(dir).unwrap() {
            let path = e.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                out.push((
                    path.strip_prefix(root).unwrap().to_path_buf(),
                    fs::read(&path).unwrap(),
                ));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// `out/archive/<id>/<version>/`.
fn archived(out: &Path, version: &str) -> PathBuf {
    out.join(ARCHIVE_DIR)
        .join("support-privacy")
        .join(version_dir_name(version).unwrap())
}

/// A device-signed "reject all" receipt for the English notice of the build in `dir`, as the
/// widget makes it for a visitor in Germany.
fn receipt_for_build(dir: &Path, seed: u8) -> Vec<u8> {
    let manifest_bytes = fs::read(dir.join("manifest.json")).unwrap();
    let m = Manifest::from_json(&manifest_bytes).unwrap();
    let (i, entry) = m
        .locales
        .iter()
        .enumerate()
        .find(|(_, e)| e.locale.as_str() == "en")
        .unwrap();
    let details = manifest_details(&manifest_bytes).unwrap()[i]
        .clone()
        .unwrap();
    let bundle = LocaleBundle::from_json(&fs::read(dir.join(details)).unwrap()).unwrap();
    let de = RegionCode::parse("DE").unwrap();
    let signer = TestSigner::device();
    let record = DecisionRecord {
        method: Method::RejectAll,
        choices: bundle
            .purposes
            .iter()
            .map(|p| (p.id.clone(), p.required))
            .collect(),
        previous: None,
        prior_phase: Phase::Undecided,
        separately: Vec::new(),
    };
    let ctx = ReceiptContext {
        receipt_id: ReceiptId::from_random_bytes([seed; 16]),
        now: Timestamp(1_795_807_800_000 + i64::from(seed)),
        subject: signer.kid(),
        jurisdiction: Jurisdiction::new(
            Some(de.clone()),
            RegionSource::SiteOption,
            bundle.regions.regimes_for(Some(&de)),
        ),
        bundle: &bundle,
        bundle_sha256: entry.sha256,
        on_banner: true,
        gpc: false,
        prev: None,
    };
    signer.sign_receipt(&Receipt::for_decision(&record, &ctx))
}

fn verify(receipt: &[u8], notices: &Path) -> Output {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("receipt.json");
    fs::write(&file, receipt).unwrap();
    consentry(&["verify", p(&file), "--notices", p(notices)])
}

#[test]
fn build_keeps_every_published_version_and_verify_reads_them_all() {
    let src = locales_copy();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notice");
    let v1 = version_of(src.path());
    let o = build(src.path(), &out);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).contains("published in "),
        "{}",
        text(&o.stdout)
    );
    let v1_dir = archived(&out, &v1);
    let v1_files = tree(&v1_dir);
    // The archived version is the build: the same files as the current one at the top, and
    // the build's lint record beside them (clean sources: no findings).
    assert_eq!(
        fs::read_to_string(v1_dir.join(LINT_RECORD)).unwrap(),
        format!(r#"{{"findings":[],"schema":"{LINT_RECORD_SCHEMA}"}}"#)
    );
    for (name, bytes) in v1_files
        .iter()
        .filter(|(n, _)| n.as_os_str() != LINT_RECORD)
    {
        assert_eq!(
            &fs::read(out.join(name)).unwrap(),
            bytes,
            "{}",
            name.display()
        );
    }
    let old_receipt = receipt_for_build(&out, 1);
    let o = verify(&old_receipt, &out);
    assert_eq!(code(&o), 0, "{}{}", text(&o.stdout), text(&o.stderr));

    // Version 2, with a changed sentence.
    edit(
        &src.path().join("en.ftl"),
        "accept-all = Accept all",
        "accept-all = Allow all",
    );
    let v2 = format!("{v1}.2");
    set_version(src.path(), &v2);
    let before = tree(&out);
    let o = build(src.path(), &out);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    // Nothing published was deleted or changed: every earlier file is still there, as it was.
    let after = tree(&out);
    for (name, bytes) in &before {
        if name == Path::new("manifest.json") {
            continue;
        }
        let now = after.iter().find(|(n, _)| n == name);
        assert_eq!(now.map(|(_, b)| b), Some(bytes), "{} kept", name.display());
    }
    assert_eq!(tree(&v1_dir), v1_files, "v1's archive is untouched");
    let current = Manifest::from_json(&fs::read(out.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(current.version, v2, "the top is the current version");
    assert!(archived(&out, &v2).join("manifest.json").is_file());

    // The old receipt still verifies against the output directory, and so does a new one.
    let o = verify(&old_receipt, &out);
    assert_eq!(code(&o), 0, "{}{}", text(&o.stdout), text(&o.stderr));
    assert!(
        text(&o.stdout).contains(&format!("version {v1}")),
        "{}",
        text(&o.stdout)
    );
    let new_receipt = receipt_for_build(&out, 2);
    let o = verify(&new_receipt, &out);
    assert_eq!(code(&o), 0, "{}{}", text(&o.stderr), text(&o.stdout));
    // Against the current build alone, the old one would not.
    let current_only = tmp.path().join("current-only");
    fs::create_dir(&current_only).unwrap();
    for (name, bytes) in tree(&archived(&out, &v2)) {
        fs::write(current_only.join(name), bytes).unwrap();
    }
    let o = verify(&old_receipt, &current_only);
    assert_eq!(code(&o), 1, "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("[notice_version_unknown]"),
        "{}",
        text(&o.stderr)
    );

    // Building the same version again with the same bytes changes nothing.
    let before = tree(&out);
    let o = build(src.path(), &out);
    assert_eq!(code(&o), 0, "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("unchanged"), "{}", text(&o.stdout));
    assert_eq!(tree(&out), before);
}

#[test]
fn a_published_version_never_changes() {
    let src = locales_copy();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("notice");
    let v1 = version_of(src.path());
    assert_eq!(code(&build(src.path(), &out)), 0);
    // Version 2 on top of it.
    set_version(src.path(), &format!("{v1}.2"));
    assert_eq!(code(&build(src.path(), &out)), 0);
    // Version 1 again, with a changed sentence: the top (v2) has another version, so only the
    // archive can tell that v1 was published with other text.
    set_version(src.path(), &v1);
    edit(
        &src.path().join("en.ftl"),
        "accept-all = Accept all",
        "accept-all = Allow all",
    );
    let before = tree(&out);
    let o = build(src.path(), &out);
    assert_eq!(code(&o), 1, "{}{}", text(&o.stdout), text(&o.stderr));
    let err = text(&o.stderr);
    assert!(
        err.contains(&format!("version {v1:?} is already published in"))
            && err.contains("give the notice a new version"),
        "{err}"
    );
    assert_eq!(tree(&out), before, "nothing was written");
    // A new version makes it publishable.
    set_version(src.path(), &format!("{v1}.3"));
    assert_eq!(code(&build(src.path(), &out)), 0);
    assert_eq!(
        fs::read_dir(out.join(ARCHIVE_DIR).join("support-privacy"))
            .unwrap()
            .count(),
        3
    );
}

#[test]
fn a_build_that_dies_while_writing_publishes_nothing() {
    let src = locales_copy();
    let tmp = tempfile::tempdir().unwrap();
    // The size of the first file a build writes (the first locale's details file).
    let probe = tmp.path().join("probe");
    assert_eq!(code(&build(src.path(), &probe)), 0);
    let version = version_of(src.path());
    let m = fs::read(probe.join("manifest.json")).unwrap();
    let first = manifest_details(&m).unwrap()[0].clone().unwrap();
    // A file-size limit that stops the process (SIGXFSZ) half-way through that file.
    let limit = fs::metadata(probe.join(first)).unwrap().len() / 2;
    let out = tmp.path().join("notice");
    let o = Command::new("prlimit")
        .arg(format!("--fsize={limit}"))
        .arg(env!("CARGO_BIN_EXE_consentry"))
        .args(["build", p(src.path()), "-o", p(&out)])
        .output()
        .expect("run prlimit");
    assert!(!o.status.success(), "the build must have been stopped");
    let notice_dir = out.join(ARCHIVE_DIR).join("support-privacy");
    let left: Vec<String> = fs::read_dir(&notice_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(
        !left.contains(&version_dir_name(&version).unwrap()),
        "no version directory, complete or not: {left:?}"
    );
    assert!(
        left.iter().all(|n| n.starts_with('.')) && !left.is_empty(),
        "only the temporary directory, which readers skip: {left:?}"
    );
    assert!(!out.join("manifest.json").exists());
    // `verify` does not take it for a build either; the next build publishes normally.
    let o = consentry(&["verify", "/dev/null", "--notices", p(&out)]);
    assert_eq!(code(&o), 2);
    assert!(
        text(&o.stderr).contains("no notice build there"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(code(&build(src.path(), &out)), 0);
    assert_eq!(
        tree(&archived(&out, &version)),
        tree(&archived(&probe, &version))
    );
}
