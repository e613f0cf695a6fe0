//! `consentry-loadgen ramp`: the load benchmark (issue 7, item 5).
//!
//! Starts the real release server (SQLite, default limits, rate limit off: every request
//! comes from 127.0.0.1) and offers receipts at rising rates, each for a bounded time, from an
//! open-loop generator: receipt `i` of a step is sent at `i / rate` seconds whatever happened
//! to the ones before (up to `--max-conns` keep-alive connections, opened as needed), and its
//! latency is measured from that scheduled time, so queueing anywhere counts. Every receipt is
//! a distinct valid receipt from its own device.
//!
//! Per step it prints one Markdown row: offered rate, receipts sent, answers 2xx / 429 / 503 /
//! other (other = any other status, a connection error, or no answer within 10 s), the rate
//! of 2xx achieved, p50 / p99 / max latency of the 2xx answers and of the 503 answers, and the
//! server's CPU time per stored receipt.
//!
//! After the last step: the server must still be running and answer; the whole ledger is
//! exported over the admin API and checked with the real `consentry verify --ledger` (every
//! signature, countersignature and chain link, against the signed head); the server is
//! stopped with SIGTERM (it must exit 0); then its SQLite file is read directly: every receipt
//! that got a 2xx is there exactly once, no receipt that got 503 or 429 is, and the ledger
//! indexes run 1..N without a gap.

use std::collections::HashSet;
use std::io::{BufRead as _, BufReader, BufWriter, Read as _, Write as _};
use std::net::TcpStream as StdTcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use consentry_core::ids::ReceiptId;
use consentry_core::testing::{TestSigner, sample_receipt};
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _};
use tokio::sync::Semaphore;

use super::{arg, cpu_time, percentile, read_head, start_server, write_notices};

const TOKEN: &str = "loadgen-admin-token-0123456789";
/// A request with no complete answer after this long counts as `other`.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_RATES: &str = "1000,2000,3000,4000,5000,6000,8000,12000";

/// What became of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    Status(u16),
    /// Connection refused, reset or closed without an answer.
    Failed,
    /// No complete answer within [`REQUEST_TIMEOUT`].
    TimedOut,
}

struct StepResult {
    rate: u32,
    sent: usize,
    ok: usize,
    limited: usize,
    shed: usize,
    other: usize,
    achieved: f64,
    ok_ms: Vec<f64>,
    shed_ms: Vec<f64>,
    server_cpu: Option<Duration>,
    /// Receipt ids that got 2xx, and those that got 429/503.
    stored_ids: Vec<String>,
    refused_ids: Vec<String>,
    other_statuses: Vec<String>,
}

/// The receipts of one step: (receipt id, whole HTTP request bytes).
fn presign(step: u8, n: usize) -> Vec<(String, Vec<u8>)> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut out: Vec<(String, Vec<u8>)> = vec![(String::new(), Vec::new()); n];
    std::thread::scope(|s| {
        for (w, chunk) in out.chunks_mut(n.div_ceil(workers).max(1)).enumerate() {
            let base = w * n.div_ceil(workers).max(1);
            s.spawn(move || {
                for (k, slot) in chunk.iter_mut().enumerate() {
                    let i = (base + k) as u32;
                    let signer = TestSigner::from_label(&format!("ramp step {step} device {i}"));
                    let mut r = sample_receipt(&signer, 0, !i.is_multiple_of(3));
                    let mut id = [0u8; 16];
                    id[0] = 0xa5;
                    id[1] = step;
                    id[10..14].copy_from_slice(&i.to_be_bytes());
                    r.receipt_id = ReceiptId::from_random_bytes(id);
                    let body = signer.sign_receipt(&r);
                    let mut req = format!(
                        "POST /v1/receipts HTTP/1.1\r\nHost: 127.0.0.1\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
                    )
                    .into_bytes();
                    req.extend_from_slice(&body);
                    *slot = (r.receipt_id.as_str().to_owned(), req);
                }
            });
        }
    });
    out
}

type Conn = tokio::io::BufReader<tokio::net::TcpStream>;

/// Keep-alive connections to the server, at most `slots` in use at once.
struct Pool {
    port: u16,
    idle: Mutex<Vec<Conn>>,
    slots: Arc<Semaphore>,
}

impl Pool {
    async fn connect(&self) -> std::io::Result<Conn> {
        let s = tokio::net::TcpStream::connect(("127.0.0.1", self.port)).await?;
        s.set_nodelay(true)?;
        Ok(tokio::io::BufReader::new(s))
    }

    /// Status of the answer, and whether the connection may be reused.
    async fn exchange(conn: &mut Conn, req: &[u8]) -> std::io::Result<(u16, bool)> {
        conn.get_mut().write_all(req).await?;
        let mut line = String::new();
        if conn.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line {line:?}")))?;
        let (mut len, mut keep) = (0usize, true);
        loop {
            line.clear();
            if conn.read_line(&mut line).await? == 0 {
                return Err(std::io::ErrorKind::UnexpectedEof.into());
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    len = v
                        .trim()
                        .parse()
                        .map_err(|_| std::io::Error::other("bad content-length"))?;
                } else if k.eq_ignore_ascii_case("connection") && v.trim() == "close" {
                    keep = false;
                }
            }
        }
        let mut body = vec![0u8; len];
        conn.read_exact(&mut body).await?;
        Ok((status, keep))
    }

    async fn send(&self, req: &[u8]) -> Answer {
        let Ok(_slot) = self.slots.acquire().await else {
            return Answer::Failed;
        };
        let reused = self.idle.lock().ok().and_then(|mut v| v.pop());
        // A reused keep-alive connection may have been closed by the server in the meantime:
        // then try once more on a new one (a resend of the same receipt is idempotent).
        let attempts = if reused.is_some() { 2 } else { 1 };
        let mut conn = reused;
        for _ in 0..attempts {
            let mut c = match conn.take() {
                Some(c) => c,
                None => match self.connect().await {
                    Ok(c) => c,
                    Err(_) => return Answer::Failed,
                },
            };
            match Self::exchange(&mut c, req).await {
                Ok((status, keep)) => {
                    if keep && let Ok(mut v) = self.idle.lock() {
                        v.push(c);
                    }
                    return Answer::Status(status);
                }
                Err(_) => continue,
            }
        }
        Answer::Failed
    }
}

/// Offers `reqs` at `rate` per second; returns (index, answer, latency from the scheduled
/// send time) per request and the time of the last 2xx relative to the start.
fn open_loop(
    rt: &tokio::runtime::Runtime,
    pool: &Arc<Pool>,
    reqs: Arc<Vec<(String, Vec<u8>)>>,
    rate: f64,
) -> (Vec<(usize, Answer, Duration)>, Duration) {
    rt.block_on(async {
        let start = tokio::time::Instant::now() + Duration::from_millis(50);
        let mut tasks = Vec::with_capacity(reqs.len());
        for i in 0..reqs.len() {
            let due = start + Duration::from_secs_f64(i as f64 / rate);
            tokio::time::sleep_until(due).await;
            let (pool, reqs) = (pool.clone(), reqs.clone());
            tasks.push(tokio::spawn(async move {
                let answer =
                    match tokio::time::timeout_at(due + REQUEST_TIMEOUT, pool.send(&reqs[i].1))
                        .await
                    {
                        Ok(a) => a,
                        Err(_) => Answer::TimedOut,
                    };
                let done = tokio::time::Instant::now();
                (
                    i,
                    answer,
                    done.duration_since(due),
                    done.duration_since(start),
                )
            }));
        }
        let mut out = Vec::with_capacity(tasks.len());
        let mut last_ok = Duration::ZERO;
        for t in tasks {
            if let Ok((i, a, lat, at)) = t.await {
                if matches!(a, Answer::Status(200..=299)) {
                    last_ok = last_ok.max(at);
                }
                out.push((i, a, lat));
            }
        }
        (out, last_ok)
    })
}

fn run_step(
    rt: &tokio::runtime::Runtime,
    pool: &Arc<Pool>,
    pid: u32,
    step: u8,
    rate: u32,
    secs: f64,
) -> StepResult {
    let n = (f64::from(rate) * secs).round() as usize;
    eprintln!("loadgen: ramp step {step}: signing {n} receipts");
    let reqs = Arc::new(presign(step, n));
    eprintln!("loadgen: ramp step {step}: offering {rate} /s for {secs} s");
    let cpu0 = cpu_time(pid);
    let (answers, last_ok) = open_loop(rt, pool, reqs.clone(), f64::from(rate));
    let cpu1 = cpu_time(pid);
    let mut r = StepResult {
        rate,
        sent: answers.len(),
        ok: 0,
        limited: 0,
        shed: 0,
        other: 0,
        achieved: 0.0,
        ok_ms: Vec::new(),
        shed_ms: Vec::new(),
        server_cpu: match (cpu0, cpu1) {
            (Some(a), Some(b)) => Some(b.saturating_sub(a)),
            _ => None,
        },
        stored_ids: Vec::new(),
        refused_ids: Vec::new(),
        other_statuses: Vec::new(),
    };
    for (i, a, lat) in answers {
        let ms = lat.as_secs_f64() * 1e3;
        match a {
            Answer::Status(200..=299) => {
                r.ok += 1;
                r.ok_ms.push(ms);
                r.stored_ids.push(reqs[i].0.clone());
            }
            Answer::Status(429) => {
                r.limited += 1;
                r.refused_ids.push(reqs[i].0.clone());
            }
            Answer::Status(503) => {
                r.shed += 1;
                r.shed_ms.push(ms);
                r.refused_ids.push(reqs[i].0.clone());
            }
            other => {
                r.other += 1;
                if r.other_statuses.len() < 5 {
                    r.other_statuses.push(format!("{other:?}"));
                }
            }
        }
    }
    r.ok_ms.sort_by(f64::total_cmp);
    r.shed_ms.sort_by(f64::total_cmp);
    r.achieved = r.ok as f64 / last_ok.as_secs_f64().max(secs);
    r
}

fn row(r: &StepResult) -> String {
    let cpu = r.server_cpu.map_or_else(
        || "n/a".to_owned(),
        |c| {
            if r.ok == 0 {
                "n/a".to_owned()
            } else {
                format!("{:.0} µs", c.as_secs_f64() * 1e6 / r.ok as f64)
            }
        },
    );
    let lat = |v: &[f64]| {
        if v.is_empty() {
            "–".to_owned()
        } else {
            format!(
                "{:.1} / {:.1} / {:.0} ms",
                percentile(v, 0.50),
                percentile(v, 0.99),
                v.last().copied().unwrap_or(f64::NAN)
            )
        }
    };
    format!(
        "| {} /s | {} | {} | {} | {} | {} | {:.0} /s | {} | {} | {cpu} |",
        r.rate,
        r.sent,
        r.ok,
        r.limited,
        r.shed,
        r.other,
        r.achieved,
        lat(&r.ok_ms),
        lat(&r.shed_ms),
    )
}

/// GET `path` with the admin token into `file` (Content-Length or chunked body, streamed).
fn download(port: u16, path: &str, file: &Path) -> Result<(), String> {
    let mut s = StdTcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(300)))
        .map_err(|e| e.to_string())?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {TOKEN}\r\n\
         Connection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut r = BufReader::new(s);
    let mut line = String::new();
    r.read_line(&mut line).map_err(|e| e.to_string())?;
    if !line.starts_with("HTTP/1.1 200") {
        return Err(format!("GET {path}: {}", line.trim_end()));
    }
    let chunked = read_head(&mut r)?
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let mut out = BufWriter::new(
        std::fs::File::create(file).map_err(|e| format!("{}: {e}", file.display()))?,
    );
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line).map_err(|e| e.to_string())?;
            let size = usize::from_str_radix(line.trim(), 16)
                .map_err(|_| format!("bad chunk size {line:?}"))?;
            if size == 0 {
                break;
            }
            let mut chunk = vec![0u8; size + 2];
            r.read_exact(&mut chunk).map_err(|e| e.to_string())?;
            out.write_all(&chunk[..size]).map_err(|e| e.to_string())?;
        }
    } else {
        std::io::copy(&mut r, &mut out).map_err(|e| e.to_string())?;
    }
    out.flush().map_err(|e| e.to_string())
}

/// `HTTP/1.1 <status>` of a simple request on a fresh connection (the server is alive).
fn status_of(port: u16, req: &[u8]) -> Result<u16, String> {
    let mut s = StdTcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    s.write_all(req).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&buf[..buf.len().min(64)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no HTTP answer: {head:?}"))
}

fn peak_rss_mib(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = s
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// `consentry-loadgen ramp --server-bin PATH --cli-bin PATH [--rates R1,R2,…]
/// [--step-seconds S] [--max-conns C]`.
pub fn ramp(args: &[String]) -> Result<(), String> {
    let bin =
        std::path::PathBuf::from(arg(args, "--server-bin").ok_or("--server-bin is required")?);
    let cli = std::path::PathBuf::from(arg(args, "--cli-bin").ok_or("--cli-bin is required")?);
    let rates: Vec<u32> = arg(args, "--rates")
        .unwrap_or_else(|| DEFAULT_RATES.into())
        .split(',')
        .map(|r| r.trim().parse().map_err(|_| format!("--rates: {r:?}")))
        .collect::<Result<_, _>>()?;
    let secs: f64 = arg(args, "--step-seconds")
        .map_or(Ok(3.0), |s| s.parse())
        .map_err(|e| format!("--step-seconds: {e}"))?;
    let max_conns: usize = arg(args, "--max-conns")
        .map_or(Ok(1000), |s| s.parse())
        .map_err(|e| format!("--max-conns: {e}"))?;
    let dir = std::env::temp_dir().join(format!("consentry-ramp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = ramp_in(&dir, &bin, &cli, &rates, secs, max_conns);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn ramp_in(
    dir: &Path,
    bin: &Path,
    cli: &Path,
    rates: &[u32],
    secs: f64,
    max_conns: usize,
) -> Result<(), String> {
    let notices = dir.join("notices");
    write_notices(&notices)?;
    let token = dir.join("admin-token");
    {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        // The server refuses a token file other users can read.
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&token)
            .and_then(|mut f| f.write_all(TOKEN.as_bytes()))
            .map_err(|e| format!("{}: {e}", token.display()))?;
    }
    let db = dir.join("receipts.sqlite");
    let mut server = start_server(
        bin,
        dir,
        &[
            "--db".into(),
            db.display().to_string(),
            "--admin-token-file".into(),
            token.display().to_string(),
        ],
    )?;
    let port = server.port;
    let pid = server.child.id();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let pool = Arc::new(Pool {
        port,
        idle: Mutex::new(Vec::new()),
        slots: Arc::new(Semaphore::new(max_conns)),
    });

    // Warm-up (counted in the database check, not in the table).
    let warm = run_step(&rt, &pool, pid, 0, 500, 1.0);
    if warm.ok != warm.sent {
        return Err(format!(
            "warm-up at 500 /s: only {} of {} stored",
            warm.ok, warm.sent
        ));
    }
    let mut stored: Vec<String> = warm.stored_ids;
    let mut refused: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for (k, rate) in rates.iter().enumerate() {
        std::thread::sleep(Duration::from_millis(500));
        let r = run_step(&rt, &pool, pid, (k + 1) as u8, *rate, secs);
        if !r.other_statuses.is_empty() {
            eprintln!(
                "loadgen: step {rate} /s: other answers, e.g. {:?}",
                r.other_statuses
            );
        }
        stored.extend(r.stored_ids.iter().cloned());
        refused.extend(r.refused_ids.iter().cloned());
        println!("{}", row(&r));
        results.push(r);
    }
    drop(rt);

    // The server is alive and still answers.
    if let Ok(Some(status)) = server.child.try_wait() {
        return Err(format!("the server exited during the ramp ({status})"));
    }
    let health = status_of(
        port,
        b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    )?;
    let last = presign(250, 1).remove(0);
    let mut req = last.1.clone();
    let at = req
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("request head")?;
    req.splice(at..at, b"\r\nConnection: close".iter().copied());
    let after = status_of(port, &req)?;
    if health != 200 || after != 201 {
        return Err(format!(
            "after the ramp: /healthz {health}, a fresh receipt {after} (expected 200, 201)"
        ));
    }
    stored.push(last.0);
    let rss = peak_rss_mib(pid);

    // The whole ledger, over HTTP, checked with the real CLI.
    let export = dir.join("export.ndjson");
    download(port, "/v1/admin/receipts", &export)?;
    download(port, "/v1/ledger/head", &dir.join("head.json"))?;
    download(
        port,
        "/.well-known/consentry/keys.json",
        &dir.join("keys.json"),
    )?;
    let export_mib = std::fs::metadata(&export).map_or(0.0, |m| m.len() as f64 / 1048576.0);

    // Graceful stop.
    let _ = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status();
    let exit = server.child.wait().map_err(|e| e.to_string())?;
    server.stopped = true;
    if !exit.success() {
        return Err(format!(
            "the server did not stop cleanly on SIGTERM: {exit}"
        ));
    }

    let t = Instant::now();
    let out = Command::new(cli)
        .arg("verify")
        .arg("--ledger")
        .arg(&export)
        .arg("--keys")
        .arg(dir.join("keys.json"))
        .arg("--head")
        .arg(dir.join("head.json"))
        .arg("--notices")
        .arg(&notices)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {}: {e}", cli.display()))?;
    let verify_secs = t.elapsed().as_secs_f64();
    let verdict = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "consentry verify --ledger failed ({}): {}{}",
            out.status,
            verdict,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let first_line = verdict.lines().next().unwrap_or_default().to_owned();
    let flagged = verdict
        .lines()
        .find(|l| l.trim_start().starts_with("flagged:"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();

    // The database itself.
    let conn =
        rusqlite::Connection::open_with_flags(&db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| e.to_string())?;
    let (rows, distinct, min_idx, max_idx): (i64, i64, i64, i64) = conn
        .query_row(
            "SELECT count(*), count(DISTINCT receipt_id), coalesce(min(idx),0), coalesce(max(idx),0) FROM ledger",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|e| e.to_string())?;
    let mut ids = HashSet::with_capacity(rows as usize);
    {
        let mut stmt = conn
            .prepare("SELECT receipt_id FROM ledger")
            .map_err(|e| e.to_string())?;
        let it = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| e.to_string())?;
        for id in it {
            ids.insert(id.map_err(|e| e.to_string())?);
        }
    }
    let missing = stored.iter().filter(|id| !ids.contains(*id)).count();
    let refused_but_stored = refused.iter().filter(|id| ids.contains(*id)).count();
    let unanswered_stored = ids.len() as i64 - stored.len() as i64;
    let contiguous = rows == 0 || (min_idx == 1 && max_idx == rows);
    println!(
        "- Database after the run: {rows} rows, {distinct} distinct receipt ids, ledger indexes \
         {min_idx}..{max_idx} ({}); {} receipts got a 2xx: {missing} of them missing; {} got \
         429/503: {refused_but_stored} of them stored anyway; {unanswered_stored} stored \
         without a 2xx answer (client gave up).",
        if contiguous { "no gap" } else { "GAPS" },
        stored.len(),
        refused.len()
    );
    println!(
        "- `consentry verify --ledger` on the export ({export_mib:.0} MiB over the admin API) \
         with the signed head and the notice build: \"{first_line}\", {flagged} ({verify_secs:.1} s)."
    );
    println!(
        "- After the ramp the server was still running, `/healthz` answered {health} and a \
         fresh receipt {after}; on SIGTERM it exited cleanly ({exit}). Peak resident memory of \
         the server: {}.",
        rss.map_or_else(|| "n/a".to_owned(), |m| format!("{m:.0} MiB"))
    );
    // Held: the highest step such that it and every step below it got a 2xx for every
    // receipt (a clean step above a shedding one does not count as held).
    let clean = |r: &StepResult| r.ok == r.sent && r.sent > 0;
    let held = results
        .iter()
        .take_while(|r| clean(r))
        .map(|r| r.rate)
        .last();
    let clean_above: Vec<String> = results
        .iter()
        .skip_while(|r| clean(r))
        .filter(|r| clean(r))
        .map(|r| r.rate.to_string())
        .collect();
    println!(
        "- held: {}",
        held.map_or_else(|| "none".to_owned(), |h| h.to_string())
    );
    println!("- clean above: {}", clean_above.join(", "));
    if missing > 0 || refused_but_stored > 0 || rows != distinct || !contiguous {
        return Err(format!(
            "the database does not match the answers: {missing} acknowledged receipts missing, \
             {refused_but_stored} refused receipts stored, {rows} rows vs {distinct} ids, \
             contiguous: {contiguous}"
        ));
    }
    Ok(())
}
