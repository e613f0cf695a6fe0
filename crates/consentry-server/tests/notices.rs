//! Published notices with the real binary over real sockets (ADR 0010): versions published
//! while the server runs are accepted without a restart, a receipt for a version not published
//! yet is answered retryably and accepted once it is, text that was never published under a
//! known version stays refused, a half-written version is never loaded, and the server does
//! not start without published notices unless told it is a development server.

mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::http::{HttpAnswer, Server, http};
use consentry_core::bundle::archive::{ARCHIVE_DIR, version_dir_name};
use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::{self, Value};
use consentry_core::testing::{TestSigner, sample_bundle, sample_receipt};
use tempfile::TempDir;

/// The sample notice under `version`: its bytes (one complete locale file) and manifest.
fn build_of(version: &str) -> (Vec<(String, Vec<u8>)>, String) {
    let mut b = sample_bundle();
    b.version = version.to_owned();
    let bytes = b.to_json().into_bytes();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..12]);
    let m = Manifest {
        notice_id: b.notice_id.clone(),
        version: b.version.clone(),
        default_locale: b.locale.clone(),
        build_time: None,
        locales: vec![ManifestEntry {
            locale: b.locale.clone(),
            path: file.clone(),
            sha256: digest,
            dir: Direction::Ltr,
            name: "English".into(),
        }],
    };
    let files = vec![
        (file, bytes),
        ("manifest.json".to_owned(), m.to_json().into_bytes()),
    ];
    (files, b.notice_id.as_str().to_owned())
}

fn version(n: u32) -> String {
    format!("{}.{n}", sample_bundle().version)
}

/// `archive/<id>/<version>/` under `root`.
fn version_dir(root: &Path, v: &str) -> PathBuf {
    let (_, id) = build_of(v);
    root.join(ARCHIVE_DIR)
        .join(id)
        .join(version_dir_name(v).unwrap())
}

/// Publishes `v` into `root` as `consentry build` does: complete under a dot name, renamed,
/// then the current manifest at the top replaced by a rename.
fn publish(root: &Path, v: &str) {
    let (files, _) = build_of(v);
    let dir = version_dir(root, v);
    let parent = dir.parent().unwrap();
    std::fs::create_dir_all(parent).unwrap();
    let tmp = parent.join(format!(
        ".{}.tmp-test",
        dir.file_name().unwrap().to_str().unwrap()
    ));
    std::fs::create_dir(&tmp).unwrap();
    for (name, bytes) in &files {
        std::fs::write(tmp.join(name), bytes).unwrap();
    }
    std::fs::rename(&tmp, &dir).unwrap();
    for (name, bytes) in &files {
        let t = root.join(format!(".{name}.tmp"));
        std::fs::write(&t, bytes).unwrap();
        std::fs::rename(&t, root.join(name)).unwrap();
    }
}

/// A device-signed receipt for version `v` of the sample notice (distinct per `seed`): the
/// first receipt of a device of its own, so receipts never compete for one subject's chain.
fn receipt_for(v: &str, seed: u8) -> Vec<u8> {
    let (files, _) = build_of(v);
    let s = TestSigner::from_label(&format!("notices device {seed}"));
    let mut r = sample_receipt(&s, seed, seed.is_multiple_of(2));
    r.notice.version = v.to_owned();
    r.notice.sha256 = Sha256Digest::of(&files[0].1);
    s.sign_receipt(&r)
}

fn post(port: u16, body: &[u8]) -> HttpAnswer {
    http(port, "POST", "/v1/receipts", Some("application/json"), body)
}

fn code(a: &HttpAnswer) -> String {
    let v = json::parse(&a.body).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(&a.body));
    });
    v.get("error")
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned()
}

/// Asserts the answer is the retryable `503 notice_pending` with `Retry-After`.
fn assert_pending(a: &HttpAnswer, what: &str) {
    assert_eq!(
        (a.status, code(a).as_str()),
        (503, "notice_pending"),
        "{what}: {}",
        String::from_utf8_lossy(&a.body)
    );
    let after: u64 = a
        .header("Retry-After")
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{what}: a Retry-After in seconds"));
    assert!(after > 0, "{what}");
}

/// Sends `body` again every 50 ms until it is stored (201) or 10 s have passed.
fn resend_until_stored(port: u16, body: &[u8], what: &str) -> HttpAnswer {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let a = post(port, body);
        if a.status == 201 || Instant::now() > deadline {
            assert_eq!(
                a.status,
                201,
                "{what}: {}",
                String::from_utf8_lossy(&a.body)
            );
            return a;
        }
        assert_pending(&a, what);
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Posts `body` for `span` and checks it stays `notice_pending` throughout.
fn stays_pending(port: u16, body: &[u8], span: Duration, what: &str) {
    let until = Instant::now() + span;
    while Instant::now() < until {
        assert_pending(&post(port, body), what);
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Running {
    tmp: TempDir,
    notices: PathBuf,
    server: Server,
}

/// The server on a fresh database, watching `notices` (v1 published) every 50 ms.
fn start_with_v1() -> Running {
    let tmp = tempfile::tempdir().unwrap();
    let notices = tmp.path().join("notice");
    std::fs::create_dir_all(&notices).unwrap();
    publish(&notices, &version(1));
    let server = Server::sqlite(
        &tmp.path().join("receipts.sqlite"),
        &tmp.path().join("keys"),
        &[
            "--notices",
            notices.to_str().unwrap(),
            "--notices-poll",
            "0.05",
            "--rate-limit",
            "0",
        ],
    );
    Running {
        tmp,
        notices,
        server,
    }
}

fn rows(r: &Running) -> i64 {
    common::row_count(&r.tmp.path().join("receipts.sqlite"))
}

#[test]
fn a_version_published_while_running_is_accepted_without_a_restart() {
    let r = start_with_v1();
    let port = r.server.port;
    let pid = r.server.child.id();
    let v1 = receipt_for(&version(1), 1);
    assert_eq!(post(port, &v1).status, 201);

    // Version 2 is on the page before it reaches this server: retryable, nothing stored.
    let v2 = receipt_for(&version(2), 2);
    assert_pending(&post(port, &v2), "v2 before it is published");
    assert_eq!(rows(&r), 1, "a pending receipt is not stored");

    // Published while the server runs: the same bytes, sent again, are stored.
    publish(&r.notices, &version(2));
    let stored = resend_until_stored(port, &v2, "v2 after it is published");
    assert!(String::from_utf8_lossy(&stored.body).contains("\"status\":\"stored\""));
    // The earlier version still is accepted, and it is the same process.
    assert_eq!(post(port, &receipt_for(&version(1), 3)).status, 201);
    assert_eq!(r.server.child.id(), pid);
    assert_eq!(rows(&r), 3, "nothing lost");

    // A version published later still, through a new build, likewise.
    let v3 = receipt_for(&version(3), 4);
    assert_pending(&post(port, &v3), "v3 before it is published");
    publish(&r.notices, &version(3));
    resend_until_stored(port, &v3, "v3 after it is published");
    assert_eq!(rows(&r), 4);
}

#[test]
fn another_text_under_a_published_version_is_refused_for_good() {
    let r = start_with_v1();
    let port = r.server.port;
    // The published id and version, with a digest that is not its text: final.
    let s = TestSigner::device();
    let mut swapped = sample_receipt(&s, 5, true);
    swapped.notice.version = version(1);
    swapped.notice.sha256 = Sha256Digest::of(b"a text nobody published under this version");
    let a = post(port, &s.sign_receipt(&swapped));
    assert_eq!(
        (a.status, code(&a).as_str()),
        (422, "notice_unknown"),
        "{}",
        String::from_utf8_lossy(&a.body)
    );
    assert_eq!(a.header("Retry-After"), None);
    assert_eq!(rows(&r), 0);
}

#[test]
fn a_half_written_version_is_never_loaded() {
    let r = start_with_v1();
    let port = r.server.port;
    let (files, id) = build_of(&version(2));
    let notice_dir = r.notices.join(ARCHIVE_DIR).join(&id);
    let v2 = receipt_for(&version(2), 6);

    // Complete, but still under the temporary name a build publishes from.
    let tmp = notice_dir.join(format!(
        ".{}.tmp-4242",
        version_dir_name(&version(2)).unwrap()
    ));
    std::fs::create_dir_all(&tmp).unwrap();
    for (name, bytes) in &files {
        std::fs::write(tmp.join(name), bytes).unwrap();
    }
    stays_pending(
        port,
        &v2,
        Duration::from_millis(600),
        "a version still being published",
    );

    // Under its own name, but copied half-way: the manifest, not yet the locale file.
    let dir = version_dir(&r.notices, &version(2));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("manifest.json"), &files[1].1).unwrap();
    stays_pending(
        port,
        &v2,
        Duration::from_millis(600),
        "a manifest without its file",
    );
    // The file cut short: its digest is not the manifest's.
    std::fs::write(dir.join(&files[0].0), &files[0].1[..files[0].1.len() / 2]).unwrap();
    stays_pending(port, &v2, Duration::from_millis(600), "a file cut short");
    assert_eq!(rows(&r), 0);

    // Once the copy is complete, the version is loaded at the next scan.
    std::fs::write(dir.join(&files[0].0), &files[0].1).unwrap();
    resend_until_stored(port, &v2, "the completed version");
    assert_eq!(rows(&r), 1);
}

/// Runs the binary expecting it to refuse to start; returns its stderr.
fn refused(args: &[&std::ffi::OsStr]) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let (db, keys) = (tmp.path().join("r.sqlite"), tmp.path().join("keys"));
    let mut all: Vec<&std::ffi::OsStr> = vec![
        "--listen".as_ref(),
        "127.0.0.1:0".as_ref(),
        "--db".as_ref(),
        db.as_os_str(),
        "--key-dir".as_ref(),
        keys.as_os_str(),
    ];
    all.extend_from_slice(args);
    common::http::refused_start(&all)
}

#[test]
fn without_published_notices_the_server_starts_only_as_a_development_server() {
    let err = refused(&[]);
    assert!(
        err.contains("no --notices given") && err.contains("--dev-any-notice"),
        "{err}"
    );
    // A directory without any complete version is no archive.
    let empty = tempfile::tempdir().unwrap();
    let err = refused(&["--notices".as_ref(), empty.path().as_os_str()]);
    assert!(err.contains("holds no complete notice version"), "{err}");
    let err = refused(&["--notices".as_ref(), empty.path().join("nope").as_os_str()]);
    assert!(err.contains("cannot load --notices"), "{err}");
    // Both at once is a contradiction.
    let err = refused(&[
        "--notices".as_ref(),
        empty.path().as_os_str(),
        "--dev-any-notice".as_ref(),
    ]);
    assert!(err.contains("cannot be used with"), "{err}");

    // Told so, it starts and accepts a receipt for any notice text.
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::sqlite(
        &tmp.path().join("r.sqlite"),
        &tmp.path().join("keys"),
        &["--dev-any-notice"],
    );
    let s = TestSigner::device();
    let mut any = sample_receipt(&s, 7, true);
    any.notice.sha256 = Sha256Digest::of(b"whatever the page showed");
    assert_eq!(post(server.port, &s.sign_receipt(&any)).status, 201);
    assert!(server.terminate());
}
