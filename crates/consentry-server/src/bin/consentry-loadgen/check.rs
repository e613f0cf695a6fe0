//! `consentry-loadgen check`: the consent-check benchmark (issue 15, item 5: p99 under 5 ms at
//! 2,000 checks/s on SQLite).
//!
//! 1. The real release server on a fresh SQLite ledger with a service-tokens file, and N
//!    subjects' chains stored through `POST /v1/receipts` (every receipt a distinct, valid,
//!    device-signed one; an even subject's chain of five ends with "accept all", an odd one's
//!    of four with "reject all").
//! 2. `POST /v1/consent/check` for `marketing`: a closed loop (32 keep-alive connections as
//!    fast as the server answers), then an open loop at a fixed rate, latency measured from each
//!    check's scheduled send time (queueing counts). One check in ten names a subject with no
//!    receipt.
//! 3. Every answer is checked against what the subject decided (`allowed` true for the even
//!    subjects, false for the odd and the unknown); a wrong or failed answer counts as an error
//!    and fails the run.
//! 4. The same by identifier: each subject's receipts carry a link token the server issued for
//!    a customer number (`POST /v1/links`), and the checks name the number
//!    (`{"identifier":{"kind":"customer",…}}`): the server finds the number's own key in the
//!    store, makes its references (ADR 0019) and reads their receipts. One check in ten names a
//!    number that has no key.

use std::path::Path;
use std::time::{Duration, Instant};

use consentry_core::testing::TestSigner;
use consentry_server::check::{Service, ServiceTokens, new_token};

use super::{
    Conn, CpuUse, Outcome, arg, closed_loop, collect, cpu_time, linked_chain, row, start_server,
    write_notices,
};

const CONNECTIONS: usize = 32;
const OPEN_CONNECTIONS: usize = 16;
const RUN: u8 = 9;

/// One check: the request body and whether the answer must allow.
type Ask = (Vec<u8>, bool);

pub fn check(args: &[String]) -> Result<(), String> {
    let bin =
        std::path::PathBuf::from(arg(args, "--server-bin").ok_or("--server-bin is required")?);
    let subjects: usize = arg(args, "--subjects")
        .map_or(Ok(2000), |s| s.parse())
        .map_err(|e| format!("--subjects: {e}"))?;
    let rate: f64 = arg(args, "--rate")
        .map_or(Ok(2000.0), |s| s.parse())
        .map_err(|e| format!("--rate: {e}"))?;
    let secs: f64 = arg(args, "--rate-seconds")
        .map_or(Ok(10.0), |s| s.parse())
        .map_err(|e| format!("--rate-seconds: {e}"))?;
    let dir = std::env::temp_dir().join(format!("consentry-loadgen-check-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let result = run(&dir, &bin, subjects, rate, secs);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn label(d: usize) -> String {
    format!("loadgen run {RUN} conn {} device {d}", d % CONNECTIONS)
}

fn ask(subject: &str) -> Vec<u8> {
    format!("{{\"subject\":\"{subject}\",\"purpose\":\"marketing\"}}").into_bytes()
}

/// The customer number of subject `d`.
fn customer(d: usize) -> String {
    format!("C-{d:07}")
}

fn ask_by_number(number: &str) -> Vec<u8> {
    format!(
        "{{\"identifier\":{{\"kind\":\"customer\",\"value\":\"{number}\"}},\"purpose\":\"marketing\"}}"
    )
    .into_bytes()
}

/// Who a check names: the subject (device key thumbprint) or the customer number.
#[derive(Clone, Copy)]
enum By {
    Subject,
    Number,
}

/// `n` checks spread over `conns` connections: subjects in turn, one in ten unknown.
fn asks(subjects: &[String], n: usize, conns: usize, by: By) -> Vec<Vec<Ask>> {
    let mut work = vec![Vec::with_capacity(n / conns + 1); conns];
    for i in 0..n {
        let a = match (i % 10 == 9, by) {
            (true, By::Subject) => (ask(&format!("unknown-subject-{i}")), false),
            (true, By::Number) => (ask_by_number(&format!("X-{i}")), false),
            (false, _) => {
                let d = (i * 7919) % subjects.len();
                let body = match by {
                    By::Subject => ask(&subjects[d]),
                    By::Number => ask_by_number(&customer(d)),
                };
                (body, d.is_multiple_of(2))
            }
        };
        work[i % conns].push(a);
    }
    work
}

/// A link token for subject `d`'s customer number, issued by the server.
fn link_for(conn: &mut Conn, auth: &str, d: usize) -> Result<String, String> {
    let body = format!(
        "{{\"channel\":\"online_chat\",\"identifier\":{{\"kind\":\"customer\",\"value\":\"{}\"}}}}",
        customer(d)
    );
    let (status, answer) = conn.request("/v1/links", auth, body.as_bytes())?;
    if status != 201 {
        return Err(format!(
            "POST /v1/links answered {status}: {}",
            String::from_utf8_lossy(&answer)
        ));
    }
    let v = consentry_core::json::parse(&answer).map_err(|e| e.to_string())?;
    v.get("token")
        .and_then(consentry_core::json::Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| "POST /v1/links answered without a token".into())
}

/// Sends each connection's checks, back to back (`rate` None) or on a fixed schedule (check
/// `i` of connection `c` due at `(i * conns + c) / rate` s); a wrong answer is an error.
fn run_checks(port: u16, token: &str, work: Vec<Vec<Ask>>, rate: Option<f64>) -> Outcome {
    let conns = work.len();
    let auth = format!("Authorization: Bearer {token}\r\n");
    // On a schedule: the first check is due a little later, when every thread is up.
    let start = Instant::now() + Duration::from_millis(if rate.is_some() { 200 } else { 0 });
    let results: Vec<(usize, usize, Vec<f64>)> = std::thread::scope(|s| {
        let handles: Vec<_> = work
            .into_iter()
            .enumerate()
            .map(|(c, asks)| {
                let auth = auth.as_str();
                s.spawn(move || {
                    let mut conn = Conn::new(port);
                    let (mut ok, mut err) = (0, 0);
                    let mut lat = Vec::with_capacity(asks.len());
                    for (i, (body, allowed)) in asks.iter().enumerate() {
                        let due = match rate {
                            Some(r) => {
                                let due =
                                    start + Duration::from_secs_f64((i * conns + c) as f64 / r);
                                let now = Instant::now();
                                if due > now {
                                    std::thread::sleep(due - now);
                                }
                                due
                            }
                            None => Instant::now(),
                        };
                        let expected: &[u8] = if *allowed {
                            b"{\"answer\":{\"allowed\":true,"
                        } else {
                            b"{\"answer\":{\"allowed\":false,"
                        };
                        match conn.request("/v1/consent/check", auth, body) {
                            Ok((200, answer)) if answer.starts_with(expected) => ok += 1,
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

fn run(dir: &Path, bin: &Path, subjects: usize, rate: f64, secs: f64) -> Result<(), String> {
    write_notices(&dir.join("notices"))?;
    let (token, token_sha256) = new_token()?;
    let mut tokens = ServiceTokens::default();
    tokens.add(Service {
        name: "bench".into(),
        purposes: vec!["marketing".into()],
        links: vec!["online_chat".into()],
        link_kinds: vec!["customer".into()],
        token_sha256,
    })?;
    let file = dir.join("service-tokens.json");
    std::fs::write(&file, tokens.to_json()).map_err(|e| e.to_string())?;
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))
            .map_err(|e| e.to_string())?;
    }
    let server = start_server(
        bin,
        dir,
        &[
            "--db".into(),
            dir.join("receipts.sqlite").display().to_string(),
            "--service-tokens".into(),
            file.display().to_string(),
        ],
    )?;

    eprintln!("loadgen: check: storing the chains of {subjects} subjects, each with a link");
    let auth = format!("Authorization: Bearer {token}\r\n");
    let mut links = Conn::new(server.port);
    let mut chains: Vec<Vec<Vec<u8>>> = vec![Vec::new(); CONNECTIONS];
    let mut kids = Vec::with_capacity(subjects);
    for d in 0..subjects {
        let c = d % CONNECTIONS;
        let link = link_for(&mut links, &auth, d)?;
        chains[c].extend(linked_chain(
            c,
            d,
            if d.is_multiple_of(2) { 5 } else { 4 },
            RUN,
            Some(&link),
        ));
        kids.push(TestSigner::from_label(&label(d)).kid());
    }
    let stored = closed_loop(&[server.port], chains);
    if stored.errors > 0 {
        return Err(format!("{} receipts were not stored", stored.errors));
    }
    // Warm-up, not counted.
    let _ = run_checks(server.port, &token, asks(&kids, 2000, 8, By::Subject), None);
    let _ = run_checks(server.port, &token, asks(&kids, 2000, 8, By::Number), None);

    let pid = server.child.id();
    let cpu = || CpuUse {
        server: cpu_time(pid),
        database: None,
        loadgen: cpu_time(std::process::id()),
    };
    let delta = |a: CpuUse, b: CpuUse| {
        let d = |a: Option<Duration>, b: Option<Duration>| Some(b?.saturating_sub(a?));
        CpuUse {
            server: d(a.server, b.server),
            database: None,
            loadgen: d(a.loadgen, b.loadgen),
        }
    };
    eprintln!("loadgen: check: closed loop, {CONNECTIONS} connections");
    let c0 = cpu();
    let closed = run_checks(
        server.port,
        &token,
        asks(&kids, 40_000, CONNECTIONS, By::Subject),
        None,
    );
    let c1 = cpu();
    eprintln!("loadgen: check: open loop at {rate} /s for {secs} s");
    let n = (rate * secs) as usize;
    let open = run_checks(
        server.port,
        &token,
        asks(&kids, n, OPEN_CONNECTIONS, By::Subject),
        Some(rate),
    );
    let c2 = cpu();
    eprintln!("loadgen: check: by customer number, closed loop then {rate} /s");
    let closed_n = run_checks(
        server.port,
        &token,
        asks(&kids, 20_000, CONNECTIONS, By::Number),
        None,
    );
    let c3 = cpu();
    let open_n = run_checks(
        server.port,
        &token,
        asks(&kids, n, OPEN_CONNECTIONS, By::Number),
        Some(rate),
    );
    let c4 = cpu();
    println!(
        "{}",
        row(
            "sqlite",
            &format!("max throughput, {CONNECTIONS} connections"),
            &closed,
            delta(c0, c1)
        )
    );
    println!(
        "{}",
        row(
            "sqlite",
            &format!("fixed rate {rate:.0} /s offered, {OPEN_CONNECTIONS} connections"),
            &open,
            delta(c1, c2)
        )
    );
    println!(
        "{}",
        row(
            "sqlite",
            &format!("by customer number: max throughput, {CONNECTIONS} connections"),
            &closed_n,
            delta(c2, c3)
        )
    );
    println!(
        "{}",
        row(
            "sqlite",
            &format!(
                "by customer number: fixed rate {rate:.0} /s offered, {OPEN_CONNECTIONS} connections"
            ),
            &open_n,
            delta(c3, c4)
        )
    );
    println!(
        "- subjects: {subjects} ({} receipts stored, each carrying its customer number's link); checks per run: {} + {n} by subject, {} + {n} by customer number",
        stored.ok, 40_000, 20_000
    );
    drop(server);
    let errors = closed.errors + open.errors + closed_n.errors + open_n.errors;
    if errors > 0 {
        return Err(format!(
            "{errors} checks failed or were answered wrongly (see the table)"
        ));
    }
    Ok(())
}
