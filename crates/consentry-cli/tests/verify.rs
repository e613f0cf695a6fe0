//! `consentry verify`, run as the real binary.

use std::path::Path;
use std::process::{Command, Output};

use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::{Sha256Digest, b64url, b64url_decode};
use consentry_core::receipt::jws::Jws;
use consentry_core::testing::{TestSigner, sample_bundle, sample_bundle_bytes, sample_receipt};

fn consentry(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(args)
        .output()
        .expect("run consentry")
}

fn verify_file(receipt: &Path, notices: Option<&Path>) -> Output {
    let mut args = vec![receipt.as_os_str()];
    let flag = std::ffi::OsStr::new("--notices");
    if let Some(n) = notices {
        args.push(flag);
        args.push(n.as_os_str());
    }
    let mut all = vec![std::ffi::OsStr::new("verify")];
    all.extend(args);
    consentry(&all)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Writes a notice build (manifest + one content-addressed locale file) like `consentry build`.
fn write_build(dir: &Path) {
    let bytes = sample_bundle_bytes();
    let b = sample_bundle();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..8]);
    std::fs::write(dir.join(&file), &bytes).unwrap();
    let manifest = Manifest {
        notice_id: b.notice_id,
        version: b.version,
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale,
            path: file,
            sha256: digest,
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    std::fs::write(dir.join("manifest.json"), manifest.to_json()).unwrap();
}

#[test]
fn valid_receipt_exits_0_with_a_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let signer = TestSigner::device();
    let receipt = sample_receipt(&signer, 1, false);
    let path = tmp.path().join("receipt.json");
    std::fs::write(&path, signer.sign_receipt(&receipt)).unwrap();

    let out = verify_file(&path, None);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains(&format!("valid receipt {}", receipt.receipt_id)),
        "{stdout}"
    );
    assert!(
        stdout.contains("support-privacy version 2026.11.1 (en)"),
        "{stdout}"
    );
    assert!(stdout.contains(&signer.kid()), "{stdout}");
    assert!(
        stdout.contains("not checked against a notice build"),
        "{stdout}"
    );
    for line in [
        "support-service  not_applicable  contract, required",
        "chat-transcript  refused         consent",
        "marketing        refused         consent",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }

    let build = tmp.path().join("build");
    std::fs::create_dir(&build).unwrap();
    write_build(&build);
    let out = verify_file(&path, Some(&build));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("published in"));
}

#[test]
fn tampered_receipt_exits_1_with_reason_and_code() {
    let tmp = tempfile::tempdir().unwrap();
    let signer = TestSigner::device();
    let env = signer.sign_receipt(&sample_receipt(&signer, 1, true));
    let mut jws = Jws::from_json(&env).unwrap();
    let mut sig = b64url_decode(&jws.signatures[0].signature).unwrap();
    sig[50] ^= 0x04;
    jws.signatures[0].signature = b64url(&sig);
    let path = tmp.path().join("tampered.json");
    std::fs::write(&path, jws.to_json()).unwrap();

    let out = verify_file(&path, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("invalid receipt: ")
            && stderr.trim_end().ends_with("[signature_invalid]"),
        "{stderr}"
    );

    std::fs::write(&path, b"{\"payload\": 1}").unwrap();
    let out = verify_file(&path, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[envelope_malformed]"));
}

#[test]
fn unknown_notice_digest_exits_1_only_with_notices() {
    let tmp = tempfile::tempdir().unwrap();
    let signer = TestSigner::device();
    let mut receipt = sample_receipt(&signer, 1, true);
    receipt.notice.sha256 = Sha256Digest::of(b"an unpublished build");
    let path = tmp.path().join("receipt.json");
    std::fs::write(&path, signer.sign_receipt(&receipt)).unwrap();
    write_build(tmp.path());

    assert_eq!(verify_file(&path, None).status.code(), Some(0));
    let out = verify_file(&path, Some(tmp.path()));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[notice_unknown]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn usage_and_io_errors_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    // No receipt argument.
    let out = consentry(&[std::ffi::OsStr::new("verify")]);
    assert_eq!(out.status.code(), Some(2));
    // Missing file.
    let missing = tmp.path().join("nope.json");
    let out = verify_file(&missing, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot read"),
        "{}",
        text(&out.stderr)
    );
    // A notices dir without a manifest.
    let path = tmp.path().join("receipt.json");
    let signer = TestSigner::device();
    std::fs::write(
        &path,
        signer.sign_receipt(&sample_receipt(&signer, 1, true)),
    )
    .unwrap();
    let out = verify_file(&path, Some(tmp.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("manifest.json"),
        "{}",
        text(&out.stderr)
    );
    // A notice build whose file does not match its manifest digest.
    write_build(tmp.path());
    for entry in std::fs::read_dir(tmp.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("notice.en.")
        {
            let mut b = std::fs::read(&p).unwrap();
            b.push(b'\n');
            std::fs::write(&p, b).unwrap();
        }
    }
    let out = verify_file(&path, Some(tmp.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("SHA-256"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn oversized_file_is_refused_with_a_code() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.json");
    std::fs::write(&path, vec![b' '; 200_000]).unwrap();
    let out = verify_file(&path, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("[envelope_too_large]"));
}
