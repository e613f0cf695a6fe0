//! The transparency log and its witness, end to end with real parts: the real server binary
//! over HTTP on 127.0.0.1 (SQLite file or the PostgreSQL `TempPostgres` starts), the real
//! `consentry-witness` binary, and the offline checks `consentry verify` runs
//! (`consentry_tlog`; the `consentry` binary too when it has been built next to the server).
//!
//! The attack of issue 13 item 2: with only the database, drop the delete triggers, delete a
//! subject's withdrawal and everything after it (ledger and log tables alike), restart,
//! re-POST the later bodies. The chain re-links and its export verifies, but the witness
//! refuses every later checkpoint (409, then 422), the witnessed checkpoint an auditor holds
//! no longer matches the export (`log_inconsistent`), the server's new checkpoints are
//! `checkpoint_unwitnessed`, and the withdrawal's downloaded proof still verifies.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::http::{Server, http, http_with};
use consentry_core::json::{self, Value};
use consentry_core::receipt::verify::{KeySet, VerifyPolicy, verify_ledger_export};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};
use consentry_server::temp_pg::TempPostgres;
use consentry_tlog::{CosignatureVerifier, LogSigner, Proof, StandardVerifier};

const TOKEN: &str = "tlog-admin-token-0123456789";

/// The real witness binary, killed when dropped.
struct WitnessProc {
    child: Child,
    url: String,
    key: String,
}

impl WitnessProc {
    fn start(log_key: &str, dir: &Path) -> Self {
        Self::start_on(log_key, dir, "127.0.0.1:0")
    }

    fn start_on(log_key: &str, dir: &Path, listen: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_consentry-witness"))
            .args(["--listen", listen, "--log-key", log_key, "--state-dir"])
            .arg(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        let key = line
            .trim()
            .strip_prefix("witness key: ")
            .unwrap()
            .to_owned();
        line.clear();
        out.read_line(&mut line).unwrap();
        let addr = line
            .trim()
            .strip_prefix("consentry-witness listening on ")
            .unwrap()
            .to_owned();
        Self {
            child,
            url: format!("{addr}/add-checkpoint"),
            key,
        }
    }

    fn port(&self) -> u16 {
        self.url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }
}

impl Drop for WitnessProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `consentry` CLI binary, when it has been built next to the server.
fn cli() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_BIN_EXE_consentry-server")).with_file_name("consentry");
    p.exists().then_some(p)
}

/// Runs `consentry verify <args>`; `None` when the binary is not built.
fn cli_verify(args: &[&str]) -> Option<(i32, String)> {
    let out = Command::new(cli()?)
        .arg("verify")
        .args(args)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.status.code().unwrap_or(-1), text))
}

fn post(port: u16, body: &[u8]) -> (u16, Value, Vec<u8>) {
    let a = http(port, "POST", "/v1/receipts", Some("application/json"), body);
    let v = json::parse(&a.body).unwrap_or(Value::Null);
    (a.status, v, a.body)
}

fn proof_of(answer: &Value) -> Proof {
    Proof::parse(
        answer
            .get("tlog_proof")
            .and_then(Value::as_str)
            .expect("tlog_proof"),
    )
    .unwrap()
}

fn checkpoint(port: u16) -> Vec<u8> {
    let a = http(port, "GET", "/v1/log/checkpoint", None, b"");
    assert_eq!(a.status, 200);
    assert_eq!(a.header("cache-control"), Some("no-cache"));
    a.body
}

fn export(port: u16) -> Vec<u8> {
    let auth = format!("Bearer {TOKEN}");
    let e = http_with(
        port,
        "GET",
        "/v1/admin/receipts",
        &[("Authorization", &auth)],
        b"",
    );
    assert_eq!(e.status, 200);
    e.body
}

fn entry_hashes(export: &[u8]) -> Vec<[u8; 32]> {
    export
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v = json::parse(l).unwrap();
            consentry_core::encoding::Sha256Digest::from_hex(
                v.get("entry_hash").unwrap().as_str().unwrap(),
            )
            .unwrap()
            .0
        })
        .collect()
}

/// Polls until the server's checkpoint is cosigned by `w` at `size`.
fn wait_witnessed(
    port: u16,
    log: &StandardVerifier,
    w: &CosignatureVerifier,
    size: u64,
) -> Vec<u8> {
    let start = Instant::now();
    loop {
        let cp = checkpoint(port);
        if let Ok(v) = consentry_tlog::verify_checkpoint(&cp, log, std::slice::from_ref(w))
            && v.checkpoint.size() == size
        {
            return cp;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "not witnessed at size {size}: {}",
            String::from_utf8_lossy(&cp)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_owned()
}

/// A key directory under `dir` holding a new log key (origin `test-1`); returns the
/// directory and the log's verifier key.
fn key_dir_with_log_key(dir: &Path) -> (PathBuf, String) {
    let key_dir = dir.join("keys");
    std::fs::create_dir_all(&key_dir).unwrap();
    let log_priv = LogSigner::generate("test-1").unwrap();
    std::fs::write(key_dir.join("log.key"), &log_priv).unwrap();
    let vkey = LogSigner::from_private(&log_priv)
        .unwrap()
        .verifier_key()
        .to_owned();
    (key_dir, vkey)
}

/// The flags of a logging server on `store_args` that reports to `witness` and has the admin
/// token (written under `dir`).
fn logging_server_args(
    dir: &Path,
    store_args: &[String],
    key_dir: &Path,
    witness: &WitnessProc,
) -> Vec<String> {
    let token_file = dir.join("token");
    common::write_secret(&token_file, TOKEN);
    let mut args = store_args.to_vec();
    args.extend(
        [
            "--key-dir",
            key_dir.to_str().unwrap(),
            "--log-id",
            "test-1",
            "--dev-any-notice",
            "--rate-limit",
            "0",
            "--admin-token-file",
            token_file.to_str().unwrap(),
            "--witness",
            &witness.url,
            "--witness-key",
            &witness.key,
            "--witness-period",
            "0.05",
        ]
        .map(str::to_owned),
    );
    args
}

/// Runs the whole story on one backend. `store_args`: the server's store flags;
/// `attack(first_deleted)`: what the attacker does to the stopped server's database.
fn story(tmp: &Path, store_args: &[String], attack: &dyn Fn(u64)) {
    // The log key, made before the first start so the witness can be configured with it.
    let (key_dir, log_vkey) = key_dir_with_log_key(tmp);
    let log = consentry_tlog::log_verifier(&log_vkey).unwrap();
    let witness = WitnessProc::start(&log_vkey, &tmp.join("witness"));
    let wkey = CosignatureVerifier::new(&witness.key).unwrap();
    let args = logging_server_args(tmp, store_args, &key_dir, &witness);
    let argv: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();

    let a = TestSigner::from_label("tlog subject A");
    let b = TestSigner::from_label("tlog subject B");
    let c = TestSigner::from_label("tlog subject C");
    let a1 = sample_receipt(&a, 1, true);
    let a2 = next_receipt(&a, &a1, 2, false); // the withdrawal
    let b1 = sample_receipt(&b, 3, true);
    let b2 = next_receipt(&b, &b1, 4, true);
    let bodies: Vec<Vec<u8>> = [(&a, &a1), (&a, &a2), (&b, &b1), (&b, &b2)]
        .iter()
        .map(|(s, r)| s.sign_receipt(r))
        .collect();

    let server = Server::start(&argv);
    let port = server.port;
    let ks =
        KeySet::from_jwks(&http(port, "GET", "/.well-known/consentry/keys.json", None, b"").body)
            .unwrap();
    let info =
        json::parse(&http(port, "GET", "/.well-known/consentry/log.json", None, b"").body).unwrap();
    assert_eq!(
        info.get("log_key").unwrap().as_str(),
        Some(log_vkey.as_str())
    );
    assert_eq!(info.get("origin").unwrap().as_str(), Some("test-1"));

    let mut answers = Vec::new();
    for (i, body) in bodies.iter().enumerate() {
        let (status, v, _) = post(port, body);
        assert_eq!(status, 201, "{v:?}");
        let p = proof_of(&v);
        assert_eq!(p.index, i as u64, "entry {} is leaf {i}", i + 1);
        answers.push(v);
    }
    let cp4 = wait_witnessed(port, &log, &wkey, 4);

    // The resend (200) carries the witnessed checkpoint: the withdrawal's downloaded copy.
    let (status, resend, raw) = post(port, &bodies[1]);
    assert_eq!(status, 200);
    let p = proof_of(&resend);
    let v = consentry_tlog::verify_checkpoint(&p.checkpoint, &log, std::slice::from_ref(&wkey))
        .expect("the resend's proof carries the witnessed checkpoint");
    assert_eq!(v.checkpoint.size(), 4);
    let download = format!(
        "{{\"receipt\":{},\"server\":{}}}",
        String::from_utf8_lossy(&bodies[1]),
        String::from_utf8_lossy(&raw)
    );
    let dl = write(tmp, "withdrawal.json", download.as_bytes());
    let keys_file = write(
        tmp,
        "keys.json",
        &http(port, "GET", "/.well-known/consentry/keys.json", None, b"").body,
    );
    let cp4_file = write(tmp, "cp4.txt", &cp4);
    if let Some((code, out)) = cli_verify(&[
        &dl,
        "--keys",
        &keys_file,
        "--log-key",
        &log_vkey,
        "--witness-key",
        &witness.key,
    ]) {
        assert_eq!(code, 0, "{out}");
        assert!(
            out.contains("included in checkpoint test-1 size 4"),
            "{out}"
        );
    }

    // Tiles: the level-0 partial tile holds the four leaf hashes and makes the root.
    let t = http(port, "GET", "/v1/log/tile/0/000.p/4", None, b"");
    assert_eq!(t.status, 200);
    assert_eq!(t.body.len(), 4 * 32);
    let leaves: Vec<consentry_tlog::Hash> = t
        .body
        .chunks(32)
        .map(|c| consentry_tlog::Hash(c.try_into().unwrap()))
        .collect();
    assert_eq!(
        leaves,
        entry_hashes(&export(port))
            .iter()
            .map(consentry_tlog::leaf_hash)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        consentry_tlog::MemoryTree::from_leaves(&leaves).root(4),
        Some(*v.checkpoint.hash())
    );
    // Every 201's proof (computed in the writer, from the batch's hashes) verifies.
    for (i, a) in answers.iter().enumerate() {
        proof_of(a).verify(leaves[i], &log, &[]).unwrap();
    }
    assert_eq!(
        http(port, "GET", "/v1/log/tile/0/000.p/5", None, b"").status,
        404
    );
    assert_eq!(
        http(port, "GET", "/v1/log/tile/0/000", None, b"").status,
        404
    );
    let export4 = export(port);
    assert!(server.terminate());

    // ---- The attack: the DBA deletes the withdrawal and everything after it. ----
    attack(2);
    let server = Server::start(&argv);
    let port = server.port;
    for body in &bodies[2..] {
        let (status, v, _) = post(port, body);
        assert_eq!(status, 201, "re-POSTed at a lower position: {v:?}");
    }
    // The original bug: the rewritten chain verifies on its own.
    let rewritten = export(port);
    verify_ledger_export(&rewritten, &VerifyPolicy::default(), &ks, None)
        .expect("the rewritten chain is internally valid");
    assert_eq!(entry_hashes(&rewritten).len(), 3);
    // One more receipt brings the tree back to size 4, with another root.
    let (status, _, _) = post(port, &c.sign_receipt(&sample_receipt(&c, 5, true)));
    assert_eq!(status, 201);
    std::thread::sleep(Duration::from_millis(800));

    // The witness kept its size-4 checkpoint and refused the rewrite (409 for size 3, then
    // 422 for the other size-4 root, kept as evidence).
    let origin_hash = consentry_tlog::sha256_hex("test-1");
    let w = http(
        witness.port(),
        "GET",
        &format!("/{origin_hash}/checkpoint"),
        None,
        b"",
    );
    assert_eq!(w.status, 200);
    let held =
        consentry_tlog::verify_checkpoint(&w.body, &log, std::slice::from_ref(&wkey)).unwrap();
    assert_eq!(
        (held.checkpoint.size(), held.checkpoint.hash()),
        (4, v.checkpoint.hash())
    );
    let refused = std::fs::read_dir(tmp.join("witness").join("refused"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert!(refused >= 1, "the witness keeps the refused checkpoint");
    // The server's own checkpoint now is unwitnessed.
    let answer = post(port, &bodies[3]).1;
    let p_new = proof_of(&answer);
    let e = consentry_tlog::verify_checkpoint(&p_new.checkpoint, &log, std::slice::from_ref(&wkey))
        .unwrap_err();
    assert_eq!(e.code, "checkpoint_unwitnessed");
    let new_cp = consentry_tlog::verify_checkpoint(&p_new.checkpoint, &log, &[]).unwrap();
    assert_eq!(new_cp.checkpoint.size(), 4);
    assert_ne!(new_cp.checkpoint.hash(), v.checkpoint.hash());

    // The auditor's witnessed checkpoint against the new export: log_inconsistent.
    let e =
        consentry_tlog::check_entries(&entry_hashes(&export(port)), &held.checkpoint).unwrap_err();
    assert_eq!(e.code, "log_inconsistent");
    consentry_tlog::check_entries(&entry_hashes(&export4), &held.checkpoint).unwrap();
    // Same size, other root: no proof makes them consistent.
    let e = consentry_tlog::check_consistency(
        &[],
        4,
        *held.checkpoint.hash(),
        4,
        *new_cp.checkpoint.hash(),
    )
    .unwrap_err();
    assert_eq!(e.code, "log_inconsistent");
    // Grow to 5 and ask the server for a proof from 4: it does not hold against the witnessed 4.
    let (status, _, _) = post(
        port,
        &c.sign_receipt(&next_receipt(&c, &sample_receipt(&c, 5, true), 6, false)),
    );
    assert_eq!(status, 201);
    let cons = http(port, "GET", "/v1/log/consistency/4/5", None, b"");
    assert_eq!(cons.status, 200);
    let cp5 = http(port, "GET", "/v1/log/checkpoint", None, b"").body;
    let hashes: Vec<_> = String::from_utf8_lossy(&cons.body)
        .lines()
        .map(|l| consentry_tlog::parse_hash_line(l).unwrap())
        .collect();
    let cp5v = consentry_tlog::verify_checkpoint(&cp5, &log, &[]).unwrap();
    if cp5v.checkpoint.size() == 5 {
        let e = consentry_tlog::check_consistency(
            &hashes,
            4,
            *held.checkpoint.hash(),
            5,
            *cp5v.checkpoint.hash(),
        )
        .unwrap_err();
        assert_eq!(e.code, "log_inconsistent");
    }

    // The withdrawal's downloaded proof still verifies offline against the witnessed tree.
    let dlp = Proof::parse(
        json::parse(download.as_bytes())
            .unwrap()
            .get("server")
            .unwrap()
            .get("tlog_proof")
            .unwrap()
            .as_str()
            .unwrap(),
    )
    .unwrap();
    let leaf = leaves[1];
    dlp.verify(leaf, &log, std::slice::from_ref(&wkey)).unwrap();

    // The same through the CLI, when built.
    let new_export = write(tmp, "export-new.ndjson", &export(port));
    let old_export = write(tmp, "export-4.ndjson", &export4);
    let new_cp_file = write(tmp, "cp-new.txt", &p_new.checkpoint);
    if cli().is_some() {
        let (code, out) = cli_verify(&[
            "--ledger",
            &new_export,
            "--keys",
            &keys_file,
            "--log-key",
            &log_vkey,
            "--witness-key",
            &witness.key,
            "--checkpoint",
            &cp4_file,
        ])
        .unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("[log_inconsistent]"), "{out}");
        let (code, out) = cli_verify(&[
            "--ledger",
            &old_export,
            "--keys",
            &keys_file,
            "--log-key",
            &log_vkey,
            "--witness-key",
            &witness.key,
            "--checkpoint",
            &cp4_file,
        ])
        .unwrap();
        assert_eq!(code, 0, "{out}");
        let (code, out) = cli_verify(&[
            "--ledger",
            &new_export,
            "--keys",
            &keys_file,
            "--log-key",
            &log_vkey,
            "--witness-key",
            &witness.key,
            "--checkpoint",
            &new_cp_file,
        ])
        .unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("[checkpoint_unwitnessed]"), "{out}");
        if cp5v.checkpoint.size() == 5 {
            let cp5_file = write(tmp, "cp5.txt", &cp5);
            let proof_file = write(tmp, "proof-4-5.txt", &cons.body);
            let (code, out) = cli_verify(&[
                "--checkpoint",
                &cp4_file,
                "--checkpoint",
                &cp5_file,
                "--proof",
                &proof_file,
                "--log-key",
                &log_vkey,
            ])
            .unwrap();
            assert_eq!(code, 1, "{out}");
            assert!(out.contains("[log_inconsistent]"), "{out}");
        }
        let (code, out) = cli_verify(&[
            &dl,
            "--keys",
            &keys_file,
            "--log-key",
            &log_vkey,
            "--witness-key",
            &witness.key,
        ])
        .unwrap();
        assert_eq!(code, 0, "{out}");

        // Another entry's proof does not prove this receipt.
        let doc = |env: &[u8], answer: &Value, proof: Value| {
            format!(
                "{{\"receipt\":{},\"server\":{}}}",
                String::from_utf8_lossy(env),
                json::to_canonical_string(&Value::object([
                    ("receipt", answer.get("receipt").unwrap().clone()),
                    ("tlog_proof", proof),
                ]))
            )
        };
        let swapped = doc(
            &bodies[0],
            &answers[0],
            resend.get("tlog_proof").unwrap().clone(),
        );
        let sw = write(tmp, "swapped.json", swapped.as_bytes());
        let (code, out) = cli_verify(&[&sw, "--keys", &keys_file, "--log-key", &log_vkey]).unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("[inclusion_invalid]"), "{out}");

        // A log-signed tree that holds the withdrawal's leaf at another position (what a log
        // that reorders would sign): the proof's index must be the entry's.
        let signer =
            LogSigner::from_private(&std::fs::read_to_string(key_dir.join("log.key")).unwrap())
                .unwrap();
        let moved = Proof {
            index: 0,
            hashes: Vec::new(),
            checkpoint: signer.sign(1, leaves[1]).unwrap().into_bytes(),
        };
        let mv = write(
            tmp,
            "moved.json",
            doc(&bodies[1], &answers[1], Value::str(moved.to_text())).as_bytes(),
        );
        let (code, out) = cli_verify(&[&mv, "--keys", &keys_file, "--log-key", &log_vkey]).unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("[inclusion_invalid]"), "{out}");

        // A receipt without its proof, when the log is required.
        let bare = write(
            tmp,
            "bare.json",
            &answers[0]
                .get("receipt")
                .map(json::to_canonical_string)
                .unwrap()
                .into_bytes(),
        );
        let (code, out) =
            cli_verify(&[&bare, "--keys", &keys_file, "--log-key", &log_vkey]).unwrap();
        assert_eq!(code, 1, "{out}");
        assert!(out.contains("[tlog_proof_missing]"), "{out}");
    }
    drop(server);
}

/// The attack on SQLite, as issue 13 describes it.
fn sqlite_attack(db: &Path, first: u64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let leaf_id = consentry_tlog::tlog_tiles::stored_hash_index(0, first - 1);
    conn.execute_batch(&format!(
        "DROP TRIGGER ledger_no_delete;
         DROP TRIGGER tlog_hashes_no_delete;
         DELETE FROM ledger WHERE idx >= {first};
         DELETE FROM tlog_hashes WHERE id >= {leaf_id};
         DELETE FROM tlog_checkpoints WHERE size >= {first};
         DELETE FROM tlog_cosigned WHERE size >= {first};"
    ))
    .unwrap();
}

#[test]
fn sqlite_rewrite_after_a_witnessed_checkpoint_is_caught() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("receipts.sqlite");
    let store = vec!["--db".to_owned(), db.to_str().unwrap().to_owned()];
    story(tmp.path(), &store, &|first| sqlite_attack(&db, first));
}

/// Runs SQL statements on a temporary cluster's database, waiting out a postmaster that is
/// still starting on a loaded machine.
fn pg_sql(pg: &TempPostgres, db: &str, q: &str) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let start = Instant::now();
        let c = loop {
            match tokio_postgres::connect(&pg.conninfo(db), tokio_postgres::NoTls).await {
                Ok((c, conn)) => {
                    tokio::spawn(conn);
                    break c;
                }
                Err(e) if start.elapsed() < Duration::from_secs(30) => {
                    let _ = e;
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!("cannot connect to PostgreSQL: {e}"),
            }
        };
        c.batch_execute(q).await.unwrap();
    });
}

#[test]
fn postgres_rewrite_after_a_witnessed_checkpoint_is_caught() {
    let pg = TempPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    pg_sql(&pg, "postgres", "CREATE DATABASE tlog");
    let tmp = tempfile::tempdir().unwrap();
    let store = vec!["--postgres".to_owned(), pg.conninfo("tlog")];
    story(tmp.path(), &store, &|first| {
        let leaf_id = consentry_tlog::tlog_tiles::stored_hash_index(0, first - 1);
        pg_sql(
            &pg,
            "tlog",
            &format!(
                "ALTER TABLE ledger DISABLE TRIGGER USER;
                 ALTER TABLE tlog_hashes DISABLE TRIGGER USER;
                 DELETE FROM ledger WHERE idx >= {first};
                 DELETE FROM tlog_hashes WHERE id >= {leaf_id};
                 DELETE FROM tlog_checkpoints WHERE size >= {first};
                 DELETE FROM tlog_cosigned WHERE size >= {first};"
            ),
        );
    });
}

/// Two replicas on one PostgreSQL, both logging and both reporting to one witness.
struct Replicas {
    pg: TempPostgres,
    _tmp: tempfile::TempDir,
    servers: [Server; 2],
    log: StandardVerifier,
    witness: WitnessProc,
}

fn two_logging_replicas() -> Replicas {
    let pg = TempPostgres::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"));
    pg_sql(&pg, "postgres", "CREATE DATABASE replicas");
    let tmp = tempfile::tempdir().unwrap();
    // The log key, made before the first start so the witness can be configured with it.
    let (key_dir, log_vkey) = key_dir_with_log_key(tmp.path());
    let witness = WitnessProc::start(&log_vkey, &tmp.path().join("witness"));
    let store = ["--postgres".to_owned(), pg.conninfo("replicas")];
    let args = logging_server_args(tmp.path(), &store, &key_dir, &witness);
    let argv: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    // One after the other: the first makes the server key the second then reads.
    let first = Server::start(&argv);
    let servers = [first, Server::start(&argv)];
    Replicas {
        pg,
        _tmp: tmp,
        servers,
        log: consentry_tlog::log_verifier(&log_vkey).unwrap(),
        witness,
    }
}

/// Several replicas make one log: each writer keeps the log's frontier between its batches,
/// and must notice when the other replica's batches moved the log on. Every 201's proof
/// verifies, every checkpoint either replica signed is a prefix of the one tree the ledger
/// makes, and the witness cosigns the final checkpoint on both.
#[test]
fn two_postgres_replicas_make_one_witnessed_log() {
    let r = two_logging_replicas();
    let ports = [r.servers[0].port, r.servers[1].port];
    let threads: Vec<_> = (0..4u8)
        .map(|d| {
            std::thread::spawn(move || {
                let s = TestSigner::from_label(&format!("replica log device {d}"));
                let mut prev = None;
                let mut answers = Vec::new();
                for k in 0..10u8 {
                    let rec = match &prev {
                        None => sample_receipt(&s, d * 10 + k, true),
                        Some(p) => next_receipt(&s, p, d * 10 + k, k % 3 == 0),
                    };
                    // Each device alternates between the replicas.
                    let (status, v, _) = post(ports[usize::from(k % 2)], &s.sign_receipt(&rec));
                    assert_eq!(status, 201, "{v:?}");
                    answers.push(v);
                    prev = Some(rec);
                }
                answers
            })
        })
        .collect();
    let answers: Vec<Value> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    let leaves: Vec<consentry_tlog::Hash> = entry_hashes(&export(ports[0]))
        .iter()
        .map(consentry_tlog::leaf_hash)
        .collect();
    assert_eq!(leaves.len(), 40);
    let tree = consentry_tlog::MemoryTree::from_leaves(&leaves);
    let mut sizes = std::collections::BTreeSet::new();
    for a in &answers {
        let p = proof_of(a);
        let leaf = usize::try_from(p.index).unwrap();
        p.verify(leaves[leaf], &r.log, &[])
            .unwrap_or_else(|e| panic!("leaf {leaf}: {e:?}"));
        let cp = consentry_tlog::verify_checkpoint(&p.checkpoint, &r.log, &[]).unwrap();
        assert_eq!(
            tree.root(cp.checkpoint.size()),
            Some(*cp.checkpoint.hash()),
            "the checkpoint of size {} is a prefix of the ledger's tree",
            cp.checkpoint.size()
        );
        sizes.insert(cp.checkpoint.size());
    }
    assert!(sizes.len() > 1, "several batches: {sizes:?}");
    let w = CosignatureVerifier::new(&r.witness.key).unwrap();
    for port in ports {
        wait_witnessed(port, &r.log, &w, 40);
    }
}

/// A batch that fails after `BEGIN` (here: the log tables claim more entries than the ledger
/// holds) is rolled back at once. Otherwise its transaction would stay open holding the
/// ledger lock, and the other replica would wait for it until this one got another receipt.
#[test]
fn a_failed_batch_does_not_hold_the_ledger_lock() {
    let r = two_logging_replicas();
    let body = |label: &str, seed: u8| {
        let s = TestSigner::from_label(label);
        s.sign_receipt(&sample_receipt(&s, seed, true))
    };
    assert_eq!(post(r.servers[0].port, &body("lock d1", 41)).0, 201);
    pg_sql(
        &r.pg,
        "replicas",
        "INSERT INTO tlog_checkpoints (size, note) VALUES (1000, 'bogus')",
    );
    let (status, v, _) = post(r.servers[0].port, &body("lock d2", 42));
    assert_eq!(status, 500, "{v:?}");
    pg_sql(
        &r.pg,
        "replicas",
        "DELETE FROM tlog_checkpoints WHERE size = 1000",
    );
    let port = r.servers[1].port;
    let (tx, rx) = std::sync::mpsc::channel();
    let b = body("lock d3", 43);
    std::thread::spawn(move || {
        let _ = tx.send(post(port, &b).0);
    });
    let status = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the other replica answers: no transaction holds the ledger lock");
    assert_eq!(status, 201);
    // And the replica whose batch failed writes again.
    assert_eq!(post(r.servers[0].port, &body("lock d2", 42)).0, 201);
}

/// A DBA who deletes ledger rows but leaves the log tables: after a restart the server
/// refuses to write on top of entries the log covers (500, nothing stored) instead of
/// re-using their positions.
#[test]
fn ledger_rows_deleted_under_the_log_stop_the_writer() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("receipts.sqlite");
    let keys = tmp.path().join("keys");
    let flags = ["--dev-any-notice", "--rate-limit", "0"];
    let body = |label: &str, seed: u8| {
        let s = TestSigner::from_label(label);
        s.sign_receipt(&sample_receipt(&s, seed, true))
    };
    let server = Server::sqlite(&db, &keys, &flags);
    for (l, seed) in [("d1", 11), ("d2", 12), ("d3", 13)] {
        assert_eq!(post(server.port, &body(l, seed)).0, 201);
    }
    assert!(server.terminate());
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TRIGGER ledger_no_delete; DELETE FROM ledger WHERE idx >= 2;")
        .unwrap();
    let server = Server::sqlite(&db, &keys, &flags);
    let (status, v, _) = post(server.port, &body("d2", 12));
    assert_eq!(status, 500, "{v:?}");
    let n: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM ledger", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "nothing was written over the deleted positions");
}

/// Fail open for ingest: with the witness down, receipts are still accepted (their proof
/// carries an unwitnessed checkpoint); once it is back, the server's retries get the latest
/// checkpoint cosigned.
#[test]
fn a_witness_outage_delays_witnessing_but_not_ingest() {
    let tmp = tempfile::tempdir().unwrap();
    // The log key, made before the first start so the witness can be configured with it.
    let (key_dir, log_vkey) = key_dir_with_log_key(tmp.path());
    let log = consentry_tlog::log_verifier(&log_vkey).unwrap();
    let wdir = tmp.path().join("witness");
    // Start it once for its key and port, then take it down.
    let w = WitnessProc::start(&log_vkey, &wdir);
    let (url, wkey, port) = (w.url.clone(), w.key.clone(), w.port());
    drop(w);
    let db = tmp.path().join("receipts.sqlite");
    let server = Server::sqlite(
        &db,
        &key_dir,
        &[
            "--dev-any-notice",
            "--rate-limit",
            "0",
            "--witness",
            &url,
            "--witness-key",
            &wkey,
            "--witness-period",
            "0.05",
        ],
    );
    let s = TestSigner::from_label("outage");
    let (status, v, _) = post(server.port, &s.sign_receipt(&sample_receipt(&s, 21, true)));
    assert_eq!(status, 201, "ingest does not wait for the witness");
    let wv = CosignatureVerifier::new(&wkey).unwrap();
    let e = consentry_tlog::verify_checkpoint(
        &proof_of(&v).checkpoint,
        &log,
        std::slice::from_ref(&wv),
    )
    .unwrap_err();
    assert_eq!(e.code, "checkpoint_unwitnessed");
    std::thread::sleep(Duration::from_millis(300));
    let w = WitnessProc::start_on(&log_vkey, &wdir, &format!("127.0.0.1:{port}"));
    wait_witnessed(server.port, &log, &wv, 1);

    // The witness goes down again and a second receipt makes size 2: a resend of the first
    // answers with the witnessed size-1 checkpoint, the stronger proof that covers it.
    drop(w);
    let first = s.sign_receipt(&sample_receipt(&s, 21, true));
    let t = TestSigner::from_label("outage 2");
    assert_eq!(
        post(server.port, &t.sign_receipt(&sample_receipt(&t, 22, true))).0,
        201
    );
    let (status, v, _) = post(server.port, &first);
    assert_eq!(status, 200);
    let p = proof_of(&v);
    let cp = consentry_tlog::verify_checkpoint(&p.checkpoint, &log, std::slice::from_ref(&wv))
        .expect("the resend carries the witnessed checkpoint");
    assert_eq!(cp.checkpoint.size(), 1);
}

/// The server checks what a witness answers against the key it was given: a cosignature by
/// another key is not stored, and the checkpoint stays unwitnessed.
#[test]
fn a_cosignature_by_another_key_is_not_stored() {
    let tmp = tempfile::tempdir().unwrap();
    // The log key, made before the first start so the witness can be configured with it.
    let (key_dir, log_vkey) = key_dir_with_log_key(tmp.path());
    let w1 = WitnessProc::start(&log_vkey, &tmp.path().join("w1"));
    let w2 = WitnessProc::start(&log_vkey, &tmp.path().join("w2"));
    // w1's URL, w2's key.
    let server = Server::sqlite(
        &tmp.path().join("receipts.sqlite"),
        &key_dir,
        &[
            "--dev-any-notice",
            "--rate-limit",
            "0",
            "--witness",
            &w1.url,
            "--witness-key",
            &w2.key,
            "--witness-period",
            "0.05",
        ],
    );
    let s = TestSigner::from_label("wrong key");
    assert_eq!(
        post(server.port, &s.sign_receipt(&sample_receipt(&s, 31, true))).0,
        201
    );
    std::thread::sleep(Duration::from_millis(600));
    // w1 did cosign (its state moved) ...
    let held = http(
        w1.port(),
        "GET",
        &format!("/{}/checkpoint", consentry_tlog::sha256_hex("test-1")),
        None,
        b"",
    );
    assert_eq!(held.status, 200);
    // ... but the server kept nothing cosigned: its checkpoint has the log's line only.
    let cp = String::from_utf8(checkpoint(server.port)).unwrap();
    assert_eq!(cp.matches("\u{2014} ").count(), 1, "{cp}");
    drop(w2);
}
