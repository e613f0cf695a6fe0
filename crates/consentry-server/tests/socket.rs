//! The real binary over a real socket: start on port 0, POST a receipt with a plain HTTP/1.1
//! client over `TcpStream`, read it back countersigned, stop it gracefully (SIGTERM), restart
//! it on the same files, rotate its key, and kill it by its handle.

mod common;

use std::process::Command;

use common::http::{Server, http, http_with};
use consentry_core::receipt::verify::{KeySet, KeyStatus, VerifyPolicy, verify_countersigned};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};

#[test]
fn real_binary_stores_countersigns_restarts_and_rotates_keys() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("nested").join("receipts.sqlite");
    let key_dir = tmp.path().join("keys");
    let token_file = tmp.path().join("admin-token");
    common::write_secret(&token_file, "a-long-enough-admin-token\n");
    let token_arg = token_file.to_str().unwrap().to_owned();
    let server = Server::sqlite(
        &db,
        &key_dir,
        &["--dev-any-notice", "--admin-token-file", &token_arg],
    );
    let port = server.port;
    assert!(
        db.exists(),
        "database and its directory are created at startup"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let key = std::fs::read_dir(&key_dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.extension().is_some_and(|x| x == "p256"))
            .expect("a private key file");
        let mode = std::fs::metadata(&key).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "private key file mode");
    }

    let a = http(port, "GET", "/healthz", None, b"");
    assert_eq!(a.status, 200);
    let keys =
        KeySet::from_jwks(&http(port, "GET", "/.well-known/consentry/keys.json", None, b"").body)
            .unwrap();
    assert_eq!(keys.len(), 1);
    let first_kid = keys.keys()[0].kid.clone();

    let signer = TestSigner::device();
    let receipt = sample_receipt(&signer, 7, true);
    let envelope = signer.sign_receipt(&receipt);
    let a = http(
        port,
        "POST",
        "/v1/receipts",
        Some("application/json"),
        &envelope,
    );
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let body = String::from_utf8(a.body).unwrap();
    assert!(
        body.contains(&format!("\"receipt_id\":\"{}\"", receipt.receipt_id)),
        "{body}"
    );
    assert!(body.contains("\"status\":\"stored\""), "{body}");

    let g = http(
        port,
        "GET",
        &format!("/v1/receipts/{}", receipt.receipt_id),
        None,
        b"",
    );
    assert_eq!(g.status, 200);
    assert_eq!(g.header("content-type"), Some("application/json"));
    let countersigned = g.body;
    let (v, cs) = verify_countersigned(&countersigned, &VerifyPolicy::default(), &keys).unwrap();
    assert_eq!(v.receipt(), &receipt);
    assert_eq!(cs.kid, first_kid);
    let raw = http(
        port,
        "GET",
        &format!("/v1/receipts/{}/received", receipt.receipt_id),
        None,
        b"",
    );
    assert_eq!(raw.body, envelope);

    let bad = http(port, "POST", "/v1/receipts", Some("text/plain"), &envelope);
    assert_eq!(bad.status, 415);
    assert!(String::from_utf8_lossy(&bad.body).contains("\"code\":\"unsupported_media_type\""));
    let denied = http(port, "GET", "/v1/admin/receipts", None, b"");
    assert_eq!(denied.status, 401);
    let export = http_with(
        port,
        "GET",
        "/v1/admin/receipts?format=ndjson",
        &[("Authorization", "Bearer a-long-enough-admin-token")],
        b"",
    );
    assert_eq!(export.status, 200);
    assert_eq!(String::from_utf8_lossy(&export.body).lines().count(), 1);

    // Graceful stop: SIGTERM, exit 0.
    assert!(server.terminate(), "SIGTERM must stop the server cleanly");

    // Rotate the key with the binary's own command, restart on the same files.
    let out = Command::new(env!("CARGO_BIN_EXE_consentry-server"))
        .args(["keys", "rotate", "--key-dir"])
        .arg(&key_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let server = Server::sqlite(&db, &key_dir, &["--dev-any-notice"]);
    let port = server.port;
    let keys =
        KeySet::from_jwks(&http(port, "GET", "/.well-known/consentry/keys.json", None, b"").body)
            .unwrap();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys.get(&first_kid).unwrap().status, KeyStatus::Retired);
    // The receipt countersigned before the rotation still verifies, and is still served.
    let g = http(
        port,
        "GET",
        &format!("/v1/receipts/{}", receipt.receipt_id),
        None,
        b"",
    );
    assert_eq!(g.body, countersigned);
    verify_countersigned(&g.body, &VerifyPolicy::default(), &keys).unwrap();
    // New receipts are countersigned with the new key and continue the chain.
    let next = next_receipt(&signer, &receipt, 8, false);
    let a = http(
        port,
        "POST",
        "/v1/receipts",
        Some("application/json"),
        &signer.sign_receipt(&next),
    );
    assert_eq!(a.status, 201);
    let g = http(
        port,
        "GET",
        &format!("/v1/receipts/{}", next.receipt_id),
        None,
        b"",
    );
    let (_, cs2) = verify_countersigned(&g.body, &VerifyPolicy::default(), &keys).unwrap();
    assert_ne!(cs2.kid, first_kid);
    assert_eq!(keys.get(&cs2.kid).unwrap().status, KeyStatus::Active);
    assert_eq!(cs2.position.index, 2);

    drop(server); // killed by its handle
}

/// Behind a reverse proxy every connection is the proxy's: with `--trusted-proxy` the rate
/// limit counts each visitor the proxy forwarded (`X-Forwarded-For`), and without it the header
/// is anyone's to write and is ignored.
#[test]
fn a_trusted_proxy_forwards_the_visitor_and_an_untrusted_header_is_ignored() {
    let post = |port: u16, forwarded: &str| {
        http_with(
            port,
            "POST",
            "/v1/receipts",
            &[
                ("Content-Type", "application/json"),
                ("X-Forwarded-For", forwarded),
            ],
            b"{}",
        )
        .status
    };
    let limit = [
        "--dev-any-notice",
        "--rate-limit",
        "0.001",
        "--rate-burst",
        "1",
    ];

    let tmp = tempfile::tempdir().unwrap();
    let direct = Server::sqlite(&tmp.path().join("a.sqlite"), &tmp.path().join("ka"), &limit);
    assert_ne!(post(direct.port, "203.0.113.1"), 429);
    assert_eq!(
        post(direct.port, "203.0.113.2"),
        429,
        "a forged header must not buy a fresh bucket"
    );

    let mut args = limit.to_vec();
    args.extend(["--trusted-proxy", "127.0.0.0/8"]);
    let proxied = Server::sqlite(&tmp.path().join("b.sqlite"), &tmp.path().join("kb"), &args);
    assert_ne!(post(proxied.port, "203.0.113.1"), 429);
    assert_ne!(post(proxied.port, "203.0.113.2"), 429, "another visitor");
    assert_eq!(post(proxied.port, "203.0.113.1"), 429, "the first, again");
    // What the visitor wrote at the left is not who it is: the proxy appended its address.
    assert_eq!(post(proxied.port, "198.51.100.9, 203.0.113.2"), 429);

    let e = common::http::refused_start(&[
        "--dev-any-notice".as_ref(),
        "--trusted-proxy".as_ref(),
        "proxy.example".as_ref(),
    ]);
    assert!(e.contains("--trusted-proxy \"proxy.example\""), "{e}");
}
