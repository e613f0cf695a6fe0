//! `consentry-witness`: a C2SP tlog-witness for one Consentry log, run by the compliance or
//! audit side (ADR 0011), on its own host, with its own key and state directory.
//!
//! `POST /add-checkpoint` (body: `old <size>`, consistency proof lines, a blank line, the
//! log-signed checkpoint) answers `200` with its `cosignature/v1` line, `409` with the size it
//! last cosigned when `old` differs, `422` for a bad proof or another root at the same size,
//! `403` without a valid log signature, `404` for another log, `400` for a malformed body.
//! `GET /<hex sha256(origin)>/checkpoint` serves the last checkpoint it cosigned.
//!
//! On start it prints `witness key: <verifier key>` and `consentry-witness listening on
//! http://<addr>` on stdout.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};
use clap::Parser;
use consentry_tlog::{CosignatureSigner, Witness};

/// A C2SP tlog-witness for one Consentry transparency log.
#[derive(Parser, Debug)]
#[command(name = "consentry-witness", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8090")]
    listen: SocketAddr,
    /// The log's verifier key (`<origin>+<hex id>+<base64>`, from the log's
    /// `/.well-known/consentry/log.json`, checked out of band).
    #[arg(long, value_name = "VERIFIER")]
    log_key: String,
    /// Directory of the witness's state (the last checkpoint cosigned, refused checkpoints)
    /// and, unless --key-file, its private key.
    #[arg(long, default_value = "./witness", value_name = "DIR")]
    state_dir: PathBuf,
    /// The witness's private key file (created 0600 when missing; default
    /// `<state-dir>/witness.key`).
    #[arg(long, value_name = "FILE")]
    key_file: Option<PathBuf>,
    /// The witness's name (its key's name), used when the key is created.
    #[arg(long, default_value = "consentry-witness")]
    name: String,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("consentry-witness: {msg}");
    ExitCode::from(2)
}

fn load_key(path: &std::path::Path, name: &str) -> Result<CosignatureSigner, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let t = CosignatureSigner::generate(name)?;
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            let mut f = o
                .open(path)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            f.write_all(t.as_bytes())
                .and_then(|()| f.sync_all())
                .map_err(|e| format!("{}: {e}", path.display()))?;
            t
        }
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    CosignatureSigner::from_private(&text)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn answer(status: u16, ctype: &'static str, body: String) -> Response {
    let mut res = (
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
        body,
    )
        .into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(ctype));
    res
}

async fn add_checkpoint(State(w): State<Arc<Witness>>, body: Bytes) -> Response {
    let w2 = w.clone();
    // The state file is written and fsynced under the witness's lock: off the executor.
    let Ok(a) = tokio::task::spawn_blocking(move || w2.add_checkpoint(&body, now())).await else {
        return answer(500, "text/plain; charset=utf-8", "internal error\n".into());
    };
    if a.status != 200 {
        eprintln!(
            "consentry-witness: add-checkpoint {}: {}",
            a.status,
            a.body.trim()
        );
    }
    answer(a.status, a.content_type, a.body)
}

async fn latest(State(w): State<Arc<Witness>>, Path(origin_hash): Path<String>) -> Response {
    if origin_hash != consentry_tlog::sha256_hex(w.origin()) {
        return answer(404, "text/plain; charset=utf-8", "unknown log\n".into());
    }
    match w.latest() {
        Some(s) => answer(200, "text/plain; charset=utf-8", s.note),
        None => answer(
            404,
            "text/plain; charset=utf-8",
            "nothing cosigned yet\n".into(),
        ),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let log = match consentry_tlog::log_verifier(&args.log_key) {
        Ok(v) => v,
        Err(e) => return fail(format!("--log-key: {e}")),
    };
    if let Err(e) = std::fs::create_dir_all(&args.state_dir) {
        return fail(format!("{}: {e}", args.state_dir.display()));
    }
    let key_path = args
        .key_file
        .clone()
        .unwrap_or_else(|| args.state_dir.join("witness.key"));
    let signer = match load_key(&key_path, &args.name) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let witness = match Witness::open(log, signer, &args.state_dir) {
        Ok(w) => Arc::new(w),
        Err(e) => return fail(e),
    };
    let app = Router::new()
        .route(
            "/add-checkpoint",
            post(add_checkpoint).layer(DefaultBodyLimit::max(64 * 1024)),
        )
        .route("/{origin}/checkpoint", get(latest))
        .with_state(witness.clone());
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "witness key: {}", witness.verifier_key());
        let _ = writeln!(out, "consentry-witness listening on http://{local}");
        let _ = out.flush();
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
