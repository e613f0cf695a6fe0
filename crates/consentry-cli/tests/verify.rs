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

/// Writes the sample notice as `consentry build` does since the split: a first layer (named
/// by the manifest) and its details file (the complete bundle). Returns the first layer's
/// digest, the one receipts record.
fn write_split_build(dir: &Path) -> Sha256Digest {
    use consentry_core::bundle::{DetailsRef, FirstLayer};
    let b = sample_bundle();
    let full = sample_bundle_bytes();
    let details = DetailsRef {
        path: format!(
            "notice.en.details.{}.json",
            &Sha256Digest::of(&full).to_hex()[..12]
        ),
        sha256: Sha256Digest::of(&full),
    };
    std::fs::write(dir.join(&details.path), &full).unwrap();
    let first = FirstLayer::file_of(&b, details.clone());
    let digest = Sha256Digest::of(first.as_bytes());
    let file = format!("notice.en.{}.json", &digest.to_hex()[..12]);
    std::fs::write(dir.join(&file), &first).unwrap();
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
    std::fs::write(
        dir.join("manifest.json"),
        manifest.to_json_with_details(&[Some(details)]),
    )
    .unwrap();
    digest
}

#[test]
fn a_receipt_of_a_split_build_verifies_and_shows_the_complete_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let build = tmp.path().join("build");
    std::fs::create_dir(&build).unwrap();
    let digest = write_split_build(&build);
    let signer = TestSigner::device();
    let mut receipt = sample_receipt(&signer, 1, true);
    receipt.notice.sha256 = digest;
    let path = tmp.path().join("receipt.json");
    std::fs::write(&path, signer.sign_receipt(&receipt)).unwrap();
    let out = verify_file(&path, Some(&build));
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("published in"), "{stdout}");
    // The text comes from the details file: purposes' names and facts the first layer lacks.
    assert!(stdout.contains("Notice shown (en, English"), "{stdout}");
    assert!(stdout.contains("- Chat transcript analysis"), "{stdout}");
    assert!(
        stdout.contains("Legal basis: Our contract with you"),
        "{stdout}"
    );

    // A changed details file: the build no longer loads, and says which file.
    let details = std::fs::read_dir(&build)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains(".details."))
        .unwrap();
    let text_now = std::fs::read_to_string(&details).unwrap();
    std::fs::write(
        &details,
        text_now.replace("Chat transcript", "Chat transkript"),
    )
    .unwrap();
    let out = verify_file(&path, Some(&build));
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains(".details."),
        "{}",
        text(&out.stderr)
    );

    // The receipt of the complete file's digest is not one of this build's.
    let mut other = sample_receipt(&signer, 2, true);
    other.notice.sha256 = Sha256Digest::of(&sample_bundle_bytes());
    let build2 = tmp.path().join("build2");
    std::fs::create_dir(&build2).unwrap();
    write_split_build(&build2);
    std::fs::write(&path, signer.sign_receipt(&other)).unwrap();
    let out = verify_file(&path, Some(&build2));
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
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

mod audit {
    use super::*;
    use consentry_core::receipt::verify::{JwksEntry, KeyStatus, jwks_json};
    use consentry_core::testing::{TestLedger, next_receipt, test_server};
    use consentry_core::time::Timestamp;

    const T0: i64 = 1_795_807_900_000;

    fn keys_file(dir: &Path, signers: &[(&TestSigner, KeyStatus)]) -> std::path::PathBuf {
        let doc = jwks_json(
            &signers
                .iter()
                .map(|(s, status)| JwksEntry {
                    jwk: s.jwk().clone(),
                    status: *status,
                    created: Timestamp(T0),
                    retired: None,
                })
                .collect::<Vec<_>>(),
        );
        let p = dir.join("keys.json");
        std::fs::write(&p, doc).unwrap();
        p
    }

    fn run(args: &[&dyn AsRef<std::ffi::OsStr>]) -> Output {
        let mut all: Vec<&std::ffi::OsStr> = vec!["verify".as_ref()];
        all.extend(args.iter().map(|a| a.as_ref()));
        consentry(&all)
    }

    /// A ledger of four receipts: device A's chain of three and device B's first.
    fn ledger() -> TestLedger {
        let a = TestSigner::device();
        let b = TestSigner::other();
        let a1 = sample_receipt(&a, 1, true);
        let a2 = next_receipt(&a, &a1, 2, false);
        let a3 = next_receipt(&a, &a2, 3, true);
        let b1 = sample_receipt(&b, 4, true);
        let mut l = TestLedger::new(test_server(), "eu-1");
        for (i, (s, r)) in [(&a, &a1), (&b, &b1), (&a, &a2), (&a, &a3)]
            .iter()
            .enumerate()
        {
            l.append(&s.sign_receipt(r), Timestamp(T0 + i as i64 * 1000));
        }
        l
    }

    #[test]
    fn countersigned_receipt_with_keys_and_notices_prints_the_audit_and_the_notice_text() {
        let tmp = tempfile::tempdir().unwrap();
        let build = tmp.path().join("build");
        std::fs::create_dir(&build).unwrap();
        write_build(&build);
        let keys = keys_file(tmp.path(), &[(&test_server(), KeyStatus::Retired)]);
        let l = ledger();
        let line = consentry_core::json::parse(l.lines[2].as_bytes()).unwrap();
        let receipt = consentry_core::json::to_canonical_string(line.get("receipt").unwrap());
        let path = tmp.path().join("receipt.json");
        std::fs::write(&path, &receipt).unwrap();

        let out = run(&[&path, &"--keys", &keys, &"--notices", &build]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
        assert!(
            stdout.contains(&format!(
                "countersigned: by server key {} (retired)",
                test_server().kid()
            )),
            "{stdout}"
        );
        assert!(stdout.contains("ledger:      eu-1 entry #3"), "{stdout}");
        assert!(stdout.contains("subject chain: linked"), "{stdout}");
        assert!(stdout.contains("(server clock, authoritative)"), "{stdout}");
        // The exact notice text, in the person's language, links included.
        assert!(stdout.contains("Notice shown (en, English"), "{stdout}");
        assert!(stdout.contains("  Your privacy\n"), "{stdout}");
        assert!(
            stdout.contains("See our Privacy policy <https://support.example.com/privacy>."),
            "{stdout}"
        );
        assert!(stdout.contains("- Chat transcript analysis"), "{stdout}");
        assert!(stdout.contains("Transfers abroad: SG (eu-scc)"), "{stdout}");
        assert!(
            stdout.contains("Legal basis: Our contract with you"),
            "{stdout}"
        );

        // Without --keys the countersignature is reported, not silently trusted.
        let out = run(&[&path]);
        assert_eq!(out.status.code(), Some(0));
        assert!(text(&out.stdout).contains("countersigned: yes, NOT checked"));
    }

    #[test]
    fn countersignature_failures_exit_1_with_their_codes() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = keys_file(tmp.path(), &[(&test_server(), KeyStatus::Active)]);
        // A device-only receipt where a countersignature is required.
        let device_only = tmp.path().join("device.json");
        std::fs::write(
            &device_only,
            TestSigner::device().sign_receipt(&sample_receipt(&TestSigner::device(), 1, true)),
        )
        .unwrap();
        let out = run(&[&device_only, &"--keys", &keys]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("[countersignature_missing]"),
            "{}",
            text(&out.stderr)
        );
        // A countersignature moved from another receipt.
        let l = ledger();
        let get = |i: usize| {
            let v = consentry_core::json::parse(l.lines[i].as_bytes()).unwrap();
            Jws::from_json(
                consentry_core::json::to_canonical_string(v.get("receipt").unwrap()).as_bytes(),
            )
            .unwrap()
        };
        let mut moved = get(0);
        moved.signatures[1] = get(1).signatures[1].clone();
        let p = tmp.path().join("moved.json");
        std::fs::write(&p, moved.to_json()).unwrap();
        let out = run(&[&p, &"--keys", &keys]);
        assert_eq!(out.status.code(), Some(1));
        assert!(
            text(&out.stderr).contains("[countersignature_binding_mismatch]"),
            "{}",
            text(&out.stderr)
        );
        // Keys of another server.
        let stranger = TestSigner::from_label("stranger");
        let other_keys = tmp.path().join("other");
        std::fs::create_dir(&other_keys).unwrap();
        let other_keys = keys_file(&other_keys, &[(&stranger, KeyStatus::Active)]);
        let p = tmp.path().join("good.json");
        std::fs::write(&p, get(0).to_json()).unwrap();
        let out = run(&[&p, &"--keys", &other_keys]);
        assert_eq!(out.status.code(), Some(1));
        assert!(text(&out.stderr).contains("[countersignature_key_unknown]"));
        // A broken key set is an input error (2).
        let bad = tmp.path().join("bad-keys.json");
        std::fs::write(&bad, "{\"keys\":[]}").unwrap();
        let out = run(&[&p, &"--keys", &bad]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    }

    #[test]
    fn a_whole_ledger_export_is_checked_for_gaps_reordering_and_edits() {
        let tmp = tempfile::tempdir().unwrap();
        let keys = keys_file(tmp.path(), &[(&test_server(), KeyStatus::Active)]);
        let l = ledger();
        let head = tmp.path().join("head.json");
        std::fs::write(&head, l.signed_head(Timestamp(T0 + 9000))).unwrap();
        let write = |name: &str, lines: &[String]| {
            let p = tmp.path().join(name);
            std::fs::write(&p, lines.join("\n") + "\n").unwrap();
            p
        };
        let all = l.lines;
        let ok = write("ok.ndjson", &all);
        let out = run(&[&"--ledger", &ok, &"--keys", &keys, &"--head", &head]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
        assert!(
            stdout.contains("valid ledger eu-1: 4 entries, chain intact"),
            "{stdout}"
        );
        assert!(stdout.contains("signed head: size 4"), "{stdout}");
        assert!(stdout.contains("flagged:     none"), "{stdout}");

        let mut deleted = all.clone();
        deleted.remove(1);
        let mut reordered = all.clone();
        reordered.swap(1, 2);
        let mut truncated = all.clone();
        truncated.pop();
        let mut edited = all;
        edited[1] = edited[1].replacen("\"recv\":\"2026", "\"recv\":\"2024", 1);
        for (name, lines, code) in [
            ("deleted.ndjson", &deleted, "ledger_gap"),
            ("reordered.ndjson", &reordered, "ledger_reordered"),
            ("truncated.ndjson", &truncated, "ledger_truncated"),
            ("edited.ndjson", &edited, "ledger_entry_mismatch"),
        ] {
            let p = write(name, lines);
            let out = run(&[&"--ledger", &p, &"--keys", &keys, &"--head", &head]);
            assert_eq!(out.status.code(), Some(1), "{name}: {}", text(&out.stdout));
            let err = text(&out.stderr);
            assert!(err.starts_with("invalid ledger: "), "{err}");
            assert!(err.contains(&format!("[{code}]")), "{name}: {err}");
        }
        // --ledger without --keys is a usage error.
        let out = run(&[&"--ledger", &ok]);
        assert_eq!(out.status.code(), Some(2));
    }
}
