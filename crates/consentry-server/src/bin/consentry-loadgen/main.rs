//! `consentry-loadgen`: the ingest benchmark's load generator (built with `--features
//! loadgen`; driven by `cargo xtask bench`).
//!
//! ```text
//! consentry-loadgen es256 [--iterations N]
//!     the raw cost of one ES256 verification (p256), of core's whole `verify`, and of one
//!     ES256 signature, on this machine, single-threaded, in CPU time of the measuring thread
//!     (so other processes on a shared machine do not inflate it); Markdown rows on stdout
//! consentry-loadgen ingest --server-bin PATH --backend sqlite|postgres [--replicas N]
//!                          [--max-receipts N] [--connections C] [--rate R] [--rate-seconds S]
//!     (`--replicas N`, PostgreSQL only: N server processes on the one database, the
//!     connections spread over them)
//!     starts the real server (and, for postgres, a temporary PostgreSQL), then
//!     1. closed loop: C (32) keep-alive connections send pre-signed receipts as fast as the
//!        server answers (throughput of verify + store durably + countersign);
//!     2. open loop: receipts offered at a fixed rate R for S seconds, latency measured from
//!        each receipt's scheduled send time (no coordinated omission);
//!     Markdown table rows on stdout, with the server's own CPU time per receipt (from
//!     /proc), which shows what the server would sustain without the load generator beside it.
//!
//! consentry-loadgen ramp --server-bin PATH --cli-bin PATH [--rates R1,R2,…]
//!                        [--step-seconds S] [--max-conns C]
//!     the load benchmark: rising offered rates from an open-loop generator, 2xx / 429 / 503 /
//!     other per step, then the database and `consentry verify --ledger` check that every
//!     acknowledged receipt is stored exactly once (see `ramp.rs`)
//!
//! consentry-loadgen check --server-bin PATH [--subjects N] [--rate R] [--rate-seconds S]
//!     the consent-check benchmark: N subjects' chains stored, then `POST /v1/consent/check`
//!     as fast as the server answers and at a fixed rate, every answer checked (see `check.rs`)
//! ```
//!
//! Every receipt is a distinct, valid, device-signed receipt of the sample notice (the
//! server loads that notice build, so digests are checked); each device's receipts form a
//! chain sent in order on one connection. Only 127.0.0.1 is ever contacted.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use consentry_core::bundle::{Direction, Manifest, ManifestEntry};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::ReceiptId;
use consentry_core::receipt::verify::{VerifyPolicy, verify};
use consentry_core::receipt::{Chain, EventType, Receipt};
use consentry_core::testing::{TestSigner, sample_bundle, sample_bundle_bytes, sample_receipt};
use consentry_server::temp_pg::TempPostgres;

mod check;
mod ramp;

const CONNECTIONS: usize = 32;
const CHAIN: usize = 50;

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("es256") => es256(&args[1..]),
        Some("ingest") => ingest(&args[1..]),
        Some("ramp") => ramp::ramp(&args[1..]),
        Some("check") => check::check(&args[1..]),
        _ => Err(
            "usage: consentry-loadgen es256 [--iterations N] | ingest --server-bin PATH \
                  --backend sqlite|postgres [--replicas N] [--max-receipts N] [--rate R] [--rate-seconds S] | \
                  ramp --server-bin PATH --cli-bin PATH [--rates R1,R2,…] [--step-seconds S] \
                  [--max-conns C] | check --server-bin PATH [--subjects N] [--rate R] \
                  [--rate-seconds S]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("consentry-loadgen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// CPU time this thread has run, from `/proc/thread-self/schedstat` (nanoseconds), so a
/// micro-benchmark is not inflated by other processes sharing the cores.
fn thread_cpu() -> Option<Duration> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        s.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Runs `f` `n` times; µs per call in CPU time (wall time where /proc is unavailable).
fn time_per_op(n: usize, mut f: impl FnMut() -> Result<(), String>) -> Result<f64, String> {
    let (c0, t0) = (thread_cpu(), Instant::now());
    for _ in 0..n {
        f()?;
    }
    let total = match (c0, thread_cpu()) {
        (Some(a), Some(b)) => b.saturating_sub(a),
        _ => t0.elapsed(),
    };
    Ok(total.as_secs_f64() * 1e6 / n as f64)
}

fn es256(args: &[String]) -> Result<(), String> {
    use consentry_core::receipt::verify::es256::{self, Backend, PublicKey, Signature as Es256Sig};
    use p256::ecdsa::signature::Signer as _;
    use p256::ecdsa::{Signature, SigningKey};
    let n: usize = arg(args, "--iterations")
        .map_or(Ok(3000), |s| s.parse())
        .map_err(|e| format!("--iterations: {e}"))?;
    let signer = TestSigner::device();
    let envelope = signer.sign_receipt(&sample_receipt(&signer, 1, true));
    let key =
        SigningKey::from_slice(&Sha256Digest::of(b"es256 bench").0).map_err(|e| e.to_string())?;
    // The same key as the server signer below.
    let public = PublicKey::from_sec1(key.verifying_key().to_sec1_point(false).as_bytes())
        .map_err(|e| e.to_string())?;
    let msg = vec![0x5a_u8; envelope.len()];
    let sig: Signature = key.sign(&msg);
    let sig = Es256Sig::from_raw(&sig.to_bytes()).map_err(|e| e.to_string())?;
    // One row per backend compiled in (the active one, used by `verify`, is marked).
    for backend in Backend::ALL {
        for _ in 0..n / 10 {
            es256::verify_with(*backend, &public, &msg, &sig).map_err(|e| e.to_string())?;
        }
        let t = time_per_op(n, || {
            es256::verify_with(*backend, &public, &msg, &sig).map_err(|e| e.to_string())
        })?;
        println!(
            "| ES256 verify ({}{}, {} B message) | {t:.1} µs | {:.0} /s |",
            backend.name(),
            if *backend == Backend::active() {
                ", active"
            } else {
                ""
            },
            msg.len(),
            1e6 / t
        );
    }
    let policy = VerifyPolicy::default();
    let full = time_per_op(n, || {
        verify(&envelope, &policy)
            .map(|_| ())
            .map_err(|e| e.to_string())
    })?;
    let server = consentry_server::ServerSigner::from_scalar(&Sha256Digest::of(b"es256 bench").0)
        .map_err(|e| e.to_string())?;
    let sign_fast = time_per_op(n, || {
        std::hint::black_box(server.sign(&msg));
        Ok(())
    })?;
    let sign_det = time_per_op(n, || {
        std::hint::black_box(server.sign_deterministic(&msg));
        Ok(())
    })?;
    println!(
        "| core `verify` of a whole receipt envelope ({} B: parse, canonical checks, ES256 on {}, receipt) | {full:.1} µs | {:.0} /s |",
        envelope.len(),
        Backend::active().name(),
        1e6 / full
    );
    println!(
        "| ES256 sign, the server's countersignature (ring 0.17) | {sign_fast:.1} µs | {:.0} /s |",
        1e6 / sign_fast
    );
    println!(
        "| ES256 sign (p256 0.14 with base-point tables, RFC 6979; the fallback) | {sign_det:.1} µs | {:.0} /s |",
        1e6 / sign_det
    );
    Ok(())
}

/// One device's chain of receipts, signed.
fn device_chain(conn: usize, dev: usize, len: usize, run: u8) -> Vec<Vec<u8>> {
    linked_chain(conn, dev, len, run, None)
}

/// [`device_chain`] with every receipt carrying `link` (a link token the server issued for
/// the online chat): the receipts of a person known by an identifier.
fn linked_chain(conn: usize, dev: usize, len: usize, run: u8, link: Option<&str>) -> Vec<Vec<u8>> {
    let signer = TestSigner::from_label(&format!("loadgen run {run} conn {conn} device {dev}"));
    let mut prev: Option<Receipt> = None;
    let mut out = Vec::with_capacity(len);
    for k in 0..len {
        let mut r = sample_receipt(&signer, 0, k % 2 == 0);
        if let Some(l) = link {
            r.link = Some(l.to_owned());
            r.event.channel = consentry_core::receipt::Channel::OnlineChat;
        }
        let mut id = [0u8; 16];
        id[0] = run;
        id[1..5].copy_from_slice(&(conn as u32).to_be_bytes());
        id[5..9].copy_from_slice(&(dev as u32).to_be_bytes());
        id[9..13].copy_from_slice(&(k as u32).to_be_bytes());
        r.receipt_id = ReceiptId::from_random_bytes(id);
        if let Some(p) = &prev {
            r.chain = Chain {
                subject_seq: p.chain.subject_seq + 1,
                prev: Some((p.receipt_id.clone(), Sha256Digest::of(&p.payload_bytes()))),
                resumed: false,
            };
            r.event.kind = EventType::Update;
        }
        out.push(signer.sign_receipt(&r));
        prev = Some(r);
    }
    out
}

/// `per_conn` receipts for each of `conns` connections, signed on all cores.
fn presign(conns: usize, per_conn: usize, run: u8) -> Vec<Vec<Vec<u8>>> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut slots: Vec<Vec<Vec<u8>>> = vec![Vec::new(); conns];
    std::thread::scope(|s| {
        let chunks: Vec<_> = slots.chunks_mut(conns.div_ceil(workers)).collect();
        let mut base = 0;
        for chunk in chunks {
            let start = base;
            base += chunk.len();
            s.spawn(move || {
                for (i, slot) in chunk.iter_mut().enumerate() {
                    let c = start + i;
                    let mut v = Vec::with_capacity(per_conn);
                    let mut dev = 0;
                    while v.len() < per_conn {
                        let len = CHAIN.min(per_conn - v.len());
                        v.extend(device_chain(c, dev, len, run));
                        dev += 1;
                    }
                    *slot = v;
                }
            });
        }
    });
    slots
}

/// A keep-alive HTTP/1.1 connection.
struct Conn {
    port: u16,
    stream: Option<BufReader<TcpStream>>,
}

impl Conn {
    fn new(port: u16) -> Self {
        Self { port, stream: None }
    }

    /// POSTs one receipt; returns the status (reconnects once if the connection was closed).
    fn post(&mut self, body: &[u8]) -> Result<u16, String> {
        self.request("/v1/receipts", "", body)
            .map(|(status, _)| status)
    }

    /// POSTs `body` to `path` with `headers` (whole `Name: value\r\n` lines); returns the
    /// status and the body (reconnects once if the connection was closed).
    fn request(
        &mut self,
        path: &str,
        headers: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), String> {
        for attempt in 0..2 {
            if self.stream.is_none() {
                let s = TcpStream::connect(("127.0.0.1", self.port)).map_err(|e| e.to_string())?;
                s.set_nodelay(true).map_err(|e| e.to_string())?;
                self.stream = Some(BufReader::new(s));
            }
            match self.exchange(path, headers, body) {
                Ok(s) => return Ok(s),
                Err(e) if attempt == 0 => {
                    self.stream = None;
                    let _ = e;
                }
                Err(e) => return Err(e),
            }
        }
        Err("unreachable".into())
    }

    fn exchange(
        &mut self,
        path: &str,
        headers: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>), String> {
        let r = self.stream.as_mut().ok_or("no connection")?;
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\
             {headers}Content-Length: {}\r\n\r\n",
            body.len()
        );
        let w = r.get_mut();
        w.write_all(head.as_bytes()).map_err(|e| e.to_string())?;
        w.write_all(body).map_err(|e| e.to_string())?;
        let mut line = String::new();
        if r.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("connection closed".into());
        }
        let status: u16 = line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("bad status line {line:?}"))?;
        let mut len = 0usize;
        for (k, v) in read_head(r)? {
            if k.eq_ignore_ascii_case("content-length") {
                len = v.parse().map_err(|_| "bad content-length")?;
            }
        }
        let mut buf = vec![0u8; len];
        r.read_exact(&mut buf).map_err(|e| e.to_string())?;
        Ok((status, buf))
    }
}

struct Running {
    child: Child,
    port: u16,
    /// Already stopped and waited for.
    stopped: bool,
}

impl Drop for Running {
    fn drop(&mut self) {
        if self.stopped {
            return;
        }
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

/// Reads the header lines of an HTTP/1.1 answer (after its status line) up to the blank line:
/// `(name, value)` pairs, values trimmed.
fn read_head(r: &mut impl std::io::BufRead) -> Result<Vec<(String, String)>, String> {
    let mut head = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line).map_err(|e| e.to_string())? == 0 {
            return Err("the answer ended inside its head".into());
        }
        let l = line.trim_end();
        if l.is_empty() {
            return Ok(head);
        }
        if let Some((k, v)) = l.split_once(':') {
            head.push((k.to_owned(), v.trim().to_owned()));
        }
    }
}

fn start_server(bin: &Path, dir: &Path, backend_args: &[String]) -> Result<Running, String> {
    let log = std::fs::File::create(dir.join("server.log")).map_err(|e| e.to_string())?;
    let mut child = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
            // One load generator stands in for many clients, from one address.
            "--max-connections-per-client",
            "0",
            "--log-format",
            "json",
        ])
        .arg("--key-dir")
        .arg(dir.join("keys"))
        .arg("--notices")
        .arg(dir.join("notices"))
        .args(backend_args)
        .env("RUST_LOG", "info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let port = line
        .trim_end()
        .rsplit(':')
        .next()
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("unexpected first line {line:?}"))?;
    Ok(Running {
        child,
        port,
        stopped: false,
    })
}

fn write_notices(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let bytes = sample_bundle_bytes();
    let b = sample_bundle();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..8]);
    std::fs::write(dir.join(&file), &bytes).map_err(|e| e.to_string())?;
    let m = Manifest {
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
    std::fs::write(dir.join("manifest.json"), m.to_json()).map_err(|e| e.to_string())
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

struct Outcome {
    sent: usize,
    ok: usize,
    errors: usize,
    elapsed: Duration,
    latencies_ms: Vec<f64>,
}

/// Closed loop: every connection sends its receipts back to back (connection `c` to
/// `ports[c % ports.len()]`: one port per server replica).
fn closed_loop(ports: &[u16], work: Vec<Vec<Vec<u8>>>) -> Outcome {
    let start = Instant::now();
    let results: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = work
            .into_iter()
            .enumerate()
            .map(|(n, receipts)| {
                let port = ports[n % ports.len()];
                s.spawn(move || {
                    let mut c = Conn::new(port);
                    let (mut ok, mut err) = (0, 0);
                    let mut lat = Vec::with_capacity(receipts.len());
                    for r in &receipts {
                        let t = Instant::now();
                        match c.post(r) {
                            Ok(201 | 200) => ok += 1,
                            _ => err += 1,
                        }
                        lat.push(t.elapsed().as_secs_f64() * 1e3);
                    }
                    (ok, err, lat)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((0, 1, Vec::new())))
            .collect()
    });
    collect(results, start.elapsed())
}

/// Open loop: receipt `i` of connection `c` is due at `(i * conns + c) / rate` seconds.
fn open_loop(ports: &[u16], work: Vec<Vec<Vec<u8>>>, rate: f64) -> Outcome {
    let conns = work.len();
    let start = Instant::now() + Duration::from_millis(200);
    let results: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = work
            .into_iter()
            .enumerate()
            .map(|(c, receipts)| {
                let port = ports[c % ports.len()];
                s.spawn(move || {
                    let mut conn = Conn::new(port);
                    let (mut ok, mut err) = (0, 0);
                    let mut lat = Vec::with_capacity(receipts.len());
                    for (i, r) in receipts.iter().enumerate() {
                        let due = start + Duration::from_secs_f64((i * conns + c) as f64 / rate);
                        let now = Instant::now();
                        if due > now {
                            std::thread::sleep(due - now);
                        }
                        match conn.post(r) {
                            Ok(201 | 200) => ok += 1,
                            _ => err += 1,
                        }
                        lat.push(Instant::now().duration_since(due).as_secs_f64() * 1e3);
                    }
                    (ok, err, lat)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or((0, 1, Vec::new())))
            .collect()
    });
    collect(results, Instant::now().duration_since(start))
}

fn collect(results: Vec<(usize, usize, Vec<f64>)>, elapsed: Duration) -> Outcome {
    let mut o = Outcome {
        sent: 0,
        ok: 0,
        errors: 0,
        elapsed,
        latencies_ms: Vec::new(),
    };
    for (ok, err, lat) in results {
        o.ok += ok;
        o.errors += err;
        o.sent += ok + err;
        o.latencies_ms.extend(lat);
    }
    o.latencies_ms.sort_by(f64::total_cmp);
    o
}

/// CPU time (user + system) the process has used so far, from `/proc/<pid>/stat`.
fn cpu_time(pid: u32) -> Option<Duration> {
    proc_stat(&pid.to_string(), false).map(|(t, _)| t)
}

/// `(utime + stime, ppid)` of a process from `/proc/<pid>/stat`, and, with `children`, the
/// time of its children it has waited for.
fn proc_stat(pid: &str, children: bool) -> Option<(Duration, u32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // Fields after the parenthesised command name: ppid is field 4, utime and stime 14 and
    // 15, cutime and cstime 16 and 17; USER_HZ is 100 on Linux.
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let field = |i: usize| f.get(i).and_then(|v| v.parse::<u64>().ok());
    let mut ticks = field(11)? + field(12)?;
    if children {
        ticks += field(13)? + field(14)?;
    }
    Some((Duration::from_millis(ticks * 10), f.get(1)?.parse().ok()?))
}

/// CPU time of a PostgreSQL cluster: the postmaster (with the backends it has reaped) and
/// every process it started that still runs (backends, checkpointer, WAL writer).
fn cluster_cpu(postmaster: u32) -> Option<Duration> {
    let mut total = proc_stat(&postmaster.to_string(), true)?.0;
    for e in std::fs::read_dir("/proc").ok()?.flatten() {
        let name = e.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        if let Some((t, ppid)) = proc_stat(pid, false)
            && ppid == postmaster
        {
            total += t;
        }
    }
    Some(total)
}

/// CPU time spent by each party during one load.
#[derive(Clone, Copy)]
struct CpuUse {
    server: Option<Duration>,
    database: Option<Duration>,
    loadgen: Option<Duration>,
}

fn row(backend: &str, mode: &str, o: &Outcome, cpu: CpuUse) -> String {
    let per = |d: Option<Duration>| {
        d.map_or_else(
            || "–".to_owned(),
            |c| format!("{:.0} µs", c.as_secs_f64() * 1e6 / o.ok.max(1) as f64),
        )
    };
    let (server, database, loadgen) = (per(cpu.server), per(cpu.database), per(cpu.loadgen));
    format!(
        "| {backend} | {mode} | {} | {} | {:.0} /s | {:.2} ms | {:.2} ms | {:.2} ms | {server} | {database} | {loadgen} |",
        o.sent,
        o.errors,
        o.ok as f64 / o.elapsed.as_secs_f64(),
        percentile(&o.latencies_ms, 0.50),
        percentile(&o.latencies_ms, 0.99),
        o.latencies_ms.last().copied().unwrap_or(f64::NAN),
    )
}

fn ingest(args: &[String]) -> Result<(), String> {
    let bin = PathBuf::from(arg(args, "--server-bin").ok_or("--server-bin is required")?);
    let backend = arg(args, "--backend").unwrap_or_else(|| "sqlite".into());
    let max_receipts: usize = arg(args, "--max-receipts")
        .map_or(Ok(24_000), |s| s.parse())
        .map_err(|e| format!("--max-receipts: {e}"))?;
    let rate: f64 = arg(args, "--rate")
        .map_or(Ok(2000.0), |s| s.parse())
        .map_err(|e| format!("--rate: {e}"))?;
    let secs: f64 = arg(args, "--rate-seconds")
        .map_or(Ok(10.0), |s| s.parse())
        .map_err(|e| format!("--rate-seconds: {e}"))?;
    let connections: usize = arg(args, "--connections")
        .map_or(Ok(CONNECTIONS), |s| s.parse())
        .map_err(|e| format!("--connections: {e}"))?;
    let replicas: usize = arg(args, "--replicas")
        .map_or(Ok(1), |s| s.parse())
        .map_err(|e| format!("--replicas: {e}"))?;
    if replicas == 0 || (replicas > 1 && backend != "postgres") {
        return Err("--replicas: 1, or more with --backend postgres (one database)".into());
    }

    let dir = std::env::temp_dir().join(format!("consentry-loadgen-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let plan = Plan {
        max_receipts,
        rate,
        secs,
        connections,
        replicas,
    };
    let result = ingest_in(&dir, &bin, &backend, &plan);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// What one ingest run offers.
struct Plan {
    /// Receipts of the closed loop.
    max_receipts: usize,
    /// Offered rate of the open loop (receipts/s) …
    rate: f64,
    /// … for this many seconds.
    secs: f64,
    /// Connections of the closed loop.
    connections: usize,
    /// Server processes on the one database.
    replicas: usize,
}

fn ingest_in(dir: &Path, bin: &Path, backend: &str, plan: &Plan) -> Result<(), String> {
    let &Plan {
        max_receipts,
        rate,
        secs,
        connections,
        replicas,
    } = plan;
    write_notices(&dir.join("notices"))?;

    let mut pg = None;
    let backend_args: Vec<String> = match backend {
        "sqlite" => vec![
            "--db".into(),
            dir.join("receipts.sqlite").display().to_string(),
        ],
        "postgres" => {
            let p = TempPostgres::start().map_err(|e| format!("PostgreSQL: {e}"))?;
            p.create_database("bench")
                .map_err(|e| format!("PostgreSQL: creating the bench database: {e}"))?;
            let args = vec!["--postgres".into(), p.conninfo("bench")];
            pg = Some(p);
            args
        }
        other => return Err(format!("unknown backend {other:?}")),
    };

    eprintln!(
        "loadgen: signing {max_receipts} + {} receipts",
        (rate * secs) as usize
    );
    let per_conn = max_receipts.div_ceil(connections);
    let closed = presign(connections, per_conn, 1);
    let open_conns = 64;
    let open = presign(open_conns, ((rate * secs) as usize).div_ceil(open_conns), 2);

    // Replicas: stateless servers on one database, started one after the other (the first
    // creates the key directory the others read).
    let mut servers = Vec::with_capacity(replicas);
    for _ in 0..replicas {
        servers.push(start_server(bin, dir, &backend_args)?);
    }
    let ports: Vec<u16> = servers.iter().map(|s| s.port).collect();
    let label = if replicas > 1 {
        format!("{backend}, {replicas} replicas")
    } else {
        backend.to_owned()
    };
    let backend = label.as_str();
    // Warm-up: a few hundred receipts, not counted.
    let warm = presign(4, 100, 3);
    closed_loop(&ports, warm);

    let pids: Vec<u32> = servers.iter().map(|s| s.child.id()).collect();
    let postmaster = pg.as_ref().and_then(TempPostgres::pid);
    let cpu = || CpuUse {
        server: pids.iter().map(|p| cpu_time(*p)).sum::<Option<Duration>>(),
        // SQLite runs inside the server: its share is in the server's column.
        database: postmaster.and_then(cluster_cpu),
        loadgen: cpu_time(std::process::id()),
    };
    eprintln!("loadgen: {backend}: closed loop, {connections} connections");
    let cpu0 = cpu();
    let c = closed_loop(&ports, closed);
    let cpu1 = cpu();
    eprintln!("loadgen: {backend}: open loop at {rate} /s for {secs} s");
    let o = open_loop(&ports, open, rate);
    let cpu2 = cpu();
    let delta = |a: CpuUse, b: CpuUse| {
        let d = |a: Option<Duration>, b: Option<Duration>| Some(b?.saturating_sub(a?));
        CpuUse {
            server: d(a.server, b.server),
            database: d(a.database, b.database),
            loadgen: d(a.loadgen, b.loadgen),
        }
    };
    println!(
        "{}",
        row(
            backend,
            &format!("max throughput, {connections} connections"),
            &c,
            delta(cpu0, cpu1)
        )
    );
    println!(
        "{}",
        row(
            backend,
            &format!("fixed rate {rate:.0} /s offered, 64 connections"),
            &o,
            delta(cpu1, cpu2)
        )
    );
    drop(servers);
    drop(pg);
    if c.errors > 0 || o.errors > 0 {
        return Err(format!(
            "{} + {} requests failed (see the table)",
            c.errors, o.errors
        ));
    }
    Ok(())
}
