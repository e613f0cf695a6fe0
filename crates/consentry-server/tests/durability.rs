//! Durability: the real server binary is killed with SIGKILL while several clients are
//! sending receipts; after a restart on the same files, every receipt that got a 2xx is
//! there, byte for byte countersigned, the whole ledger verifies, and the transparency log
//! goes on from exactly the ledger's entries.

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::http::{Server, http, http_with, parse_answer};
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::{self, Value};
use consentry_core::receipt::verify::{
    KeySet, VerifyPolicy, verify_countersigned, verify_ledger_export, verify_ledger_head,
};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};

const TOKEN: &str = "durability-admin-token-0123";

/// One POST on a fresh connection; `None` when the connection fails or is cut (the server
/// died mid-request).
fn try_post(port: u16, body: &[u8]) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    let head = format!(
        "POST /v1/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).ok()?;
    s.write_all(body).ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    if raw.windows(4).all(|w| w != b"\r\n\r\n") {
        return None;
    }
    Some(parse_answer(&raw).status)
}

#[test]
fn every_acknowledged_receipt_survives_sigkill() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("receipts.sqlite");
    let keys_dir = tmp.path().join("keys");
    sigkill_under_load(tmp.path(), |flags| Server::sqlite(&db, &keys_dir, flags));
}

/// The same on PostgreSQL: the server process is killed, the database (another process)
/// keeps every commit it acknowledged.
#[test]
fn every_acknowledged_receipt_survives_sigkill_on_postgres() {
    let tmp = tempfile::tempdir().unwrap();
    let pg = consentry_server::temp_pg::TempPostgres::start()
        .unwrap_or_else(|e| panic!("cannot start PostgreSQL for the tests: {e}"));
    pg.create_database("durability").unwrap();
    let conninfo = pg.conninfo("durability");
    let keys_dir = tmp.path().join("keys");
    sigkill_under_load(tmp.path(), |flags| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--postgres".as_ref(),
            conninfo.as_ref(),
            "--key-dir".as_ref(),
            keys_dir.as_os_str(),
            "--log-id".as_ref(),
            "test-1".as_ref(),
        ];
        args.extend(flags.iter().map(std::ffi::OsStr::new));
        Server::start(&args)
    });
}

/// Six devices send chained receipts; the server started by `start` is killed with SIGKILL
/// after 100 acknowledgements and started again on the same store.
fn sigkill_under_load(tmp: &std::path::Path, start: impl Fn(&[&str]) -> Server) {
    let token_file = tmp.join("token");
    common::write_secret(&token_file, TOKEN);
    let token = token_file.to_str().unwrap().to_owned();
    let flags = [
        "--dev-any-notice",
        "--rate-limit",
        "0",
        "--admin-token-file",
        &token,
    ];

    // Chained receipts from 6 devices, signed up front.
    let devices: Vec<Vec<(String, Vec<u8>)>> = (0..6u8)
        .map(|d| {
            let s = TestSigner::from_label(&format!("durability device {d}"));
            let mut prev = None;
            (0..40u8)
                .map(|k| {
                    let seed = d * 40 + k;
                    let r = match &prev {
                        None => sample_receipt(&s, seed, true),
                        Some(p) => next_receipt(&s, p, seed, k % 2 == 0),
                    };
                    let out = (r.receipt_id.as_str().to_owned(), s.sign_receipt(&r));
                    prev = Some(r);
                    out
                })
                .collect()
        })
        .collect();

    let mut server = start(&flags);
    let port = server.port;
    let acked: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let count = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let threads: Vec<_> = devices
        .into_iter()
        .map(|receipts| {
            let (acked, count, stop) = (acked.clone(), count.clone(), stop.clone());
            std::thread::spawn(move || {
                let mut failed = 0;
                for (id, env) in receipts {
                    if stop.load(Ordering::SeqCst) && failed > 0 {
                        break;
                    }
                    match try_post(port, &env) {
                        Some(s) if (200..300).contains(&s) => {
                            acked.lock().unwrap().push(id);
                            count.fetch_add(1, Ordering::SeqCst);
                        }
                        Some(s) => panic!("unexpected status {s}"),
                        None => {
                            failed += 1;
                            if !stop.load(Ordering::SeqCst) {
                                panic!("request failed before the kill");
                            }
                        }
                    }
                }
            })
        })
        .collect();

    // Kill the server in the middle of the stream.
    while count.load(Ordering::SeqCst) < 100 {
        std::thread::sleep(Duration::from_millis(5));
    }
    stop.store(true, Ordering::SeqCst);
    server.child.kill().unwrap(); // SIGKILL
    server.child.wait().unwrap();
    for t in threads {
        t.join().unwrap();
    }
    drop(server);
    let acked = acked.lock().unwrap().clone();
    eprintln!("{} receipts acknowledged before SIGKILL", acked.len());
    assert!(acked.len() >= 100);

    // Restart on the same database and keys.
    let server = start(&flags);
    let port = server.port;
    let ks =
        KeySet::from_jwks(&http(port, "GET", "/.well-known/consentry/keys.json", None, b"").body)
            .unwrap();
    for id in &acked {
        let g = http(port, "GET", &format!("/v1/receipts/{id}"), None, b"");
        assert_eq!(
            g.status, 200,
            "acknowledged receipt {id} is missing after SIGKILL"
        );
        verify_countersigned(&g.body, &VerifyPolicy::default(), &ks).unwrap();
    }
    let auth = format!("Bearer {TOKEN}");
    let export_now = || {
        let e = http_with(
            port,
            "GET",
            "/v1/admin/receipts",
            &[("Authorization", &auth)],
            b"",
        );
        assert_eq!(e.status, 200);
        e
    };
    let export = export_now();
    let (head, _) =
        verify_ledger_head(&http(port, "GET", "/v1/ledger/head", None, b"").body, &ks).unwrap();
    let check =
        verify_ledger_export(&export.body, &VerifyPolicy::default(), &ks, Some(&head)).unwrap();
    assert!(check.entries as usize >= acked.len());
    assert!(check.flagged.is_empty(), "{:?}", check.flagged);

    // And the ledger goes on after the crash, and so does its log: the killed batch left no
    // leaf, hash or checkpoint without its ledger rows (they share one transaction), so the
    // next receipt's proof verifies and its checkpoint's tree is the tree of every entry.
    let s = TestSigner::from_label("after the crash");
    let r = sample_receipt(&s, 250, true);
    let a = http(
        port,
        "POST",
        "/v1/receipts",
        Some("application/json"),
        &s.sign_receipt(&r),
    );
    assert_eq!(a.status, 201);
    let info =
        json::parse(&http(port, "GET", "/.well-known/consentry/log.json", None, b"").body).unwrap();
    let log =
        consentry_tlog::log_verifier(info.get("log_key").and_then(Value::as_str).unwrap()).unwrap();
    let proof = consentry_tlog::Proof::parse(
        json::parse(&a.body)
            .unwrap()
            .get("tlog_proof")
            .and_then(Value::as_str)
            .expect("the answer carries an inclusion proof"),
    )
    .unwrap();
    let export = export_now();
    let leaves: Vec<consentry_tlog::Hash> = export
        .body
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v = json::parse(l).unwrap();
            let h = Sha256Digest::from_hex(v.get("entry_hash").and_then(Value::as_str).unwrap());
            consentry_tlog::leaf_hash(&h.unwrap().0)
        })
        .collect();
    assert_eq!(
        proof.index + 1,
        leaves.len() as u64,
        "the new receipt is the last leaf"
    );
    proof
        .verify(leaves[leaves.len() - 1], &log, &[])
        .expect("the proof verifies against the log key");
    let cp = consentry_tlog::verify_checkpoint(&proof.checkpoint, &log, &[]).unwrap();
    assert_eq!(cp.checkpoint.size(), leaves.len() as u64);
    assert_eq!(
        consentry_tlog::MemoryTree::from_leaves(&leaves).root(cp.checkpoint.size()),
        Some(*cp.checkpoint.hash()),
        "the checkpoint after the crash covers exactly the ledger's entries"
    );
    drop(server);
}
