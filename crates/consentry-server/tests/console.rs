//! The console's sign-in (issue 15, item 1): Argon2id accounts, sessions in an HttpOnly
//! cookie, CSRF, lockout, role checks, and the append-only, hash-chained audit trail that
//! records each, through the router on real SQLite files, and the real binary's `account add`.

mod common;

use axum::http::{Method, StatusCode, header};
use common::http::{Server, http_with};
use common::*;
use consentry_core::json::Value;
use consentry_server::console::{COOKIE, ConsoleStore, MAX_FAILURES, Role};

const PASSWORD: &str = "correct horse battery staple";

struct Console {
    f: Fixture,
    dir: tempfile::TempDir,
}

fn console() -> Console {
    let dir = tempfile::tempdir().unwrap();
    let store = ConsoleStore::open(&dir.path().join("console.sqlite")).unwrap();
    for (name, role) in [
        ("agent.li", Role::Agent),
        ("auditor.ng", Role::Auditor),
        ("dpo.weber", Role::Dpo),
        ("admin.root", Role::Admin),
    ] {
        store
            .add_account(name, role, PASSWORD, consentry_core::time::Timestamp(T0))
            .unwrap();
    }
    Console {
        f: fixture_with(registry_policy(), |s| s.with_console(store)),
        dir,
    }
}

impl Console {
    fn db(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.dir.path().join("console.sqlite")).unwrap()
    }

    async fn login_raw(
        &self,
        user: &str,
        pass: &str,
        csrf: Option<&str>,
        origin: Option<&str>,
    ) -> Answer {
        let body = format!(r#"{{"username":"{user}","password":"{pass}"}}"#);
        let mut r = Req::new(Method::POST, "/console/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "console.test")
            .body(body.into_bytes());
        if let Some(c) = csrf {
            r = r.header(header::HeaderName::from_static("x-consentry-csrf"), c);
        }
        if let Some(o) = origin {
            r = r.header(header::ORIGIN, o);
        }
        r.send(&self.f.router).await
    }

    /// Signs in; returns the cookie pair and the CSRF token.
    async fn login(&self, user: &str) -> (String, String) {
        let a = self.login_raw(user, PASSWORD, Some("1"), None).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let set = a
            .headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let pair = set.split(';').next().unwrap().to_owned();
        let csrf = a
            .json()
            .get("csrf")
            .and_then(Value::as_str)
            .unwrap()
            .to_owned();
        (pair, csrf)
    }

    async fn get(&self, uri: &str, cookie: Option<&str>) -> Answer {
        let mut r = Req::new(Method::GET, uri);
        if let Some(c) = cookie {
            r = r.header(header::COOKIE, c);
        }
        r.send(&self.f.router).await
    }

    async fn logout(&self, cookie: &str, csrf: Option<&str>) -> Answer {
        let mut r = Req::new(Method::POST, "/console/api/logout")
            .header(header::COOKIE, cookie)
            .header(header::HOST, "console.test");
        if let Some(c) = csrf {
            r = r.header(header::HeaderName::from_static("x-consentry-csrf"), c);
        }
        r.send(&self.f.router).await
    }

    /// The audit trail's `(actor, action, detail)` rows, oldest first.
    fn trail(&self) -> Vec<(String, String, String)> {
        let db = self.db();
        let mut st = db
            .prepare("SELECT actor, action, detail FROM audit ORDER BY seq")
            .unwrap();
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    }
}

fn has(trail: &[(String, String, String)], actor: &str, action: &str) -> usize {
    trail
        .iter()
        .filter(|(a, b, _)| a == actor && b == action)
        .count()
}

#[tokio::test]
async fn sign_in_gives_a_strict_cookie_and_roles_decide_every_page() {
    let c = console();
    let a = c.login_raw("agent.li", PASSWORD, Some("1"), None).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let set = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(set.starts_with(&format!("{COOKIE}=")), "{set}");
    for attr in ["Path=/", "Secure", "HttpOnly", "SameSite=Strict"] {
        assert!(set.contains(attr), "{attr} missing: {set}");
    }
    assert_eq!(a.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let token = set
        .split(';')
        .next()
        .unwrap()
        .split_once('=')
        .unwrap()
        .1
        .to_owned();
    // The database holds the token's hash only.
    let stored: String = c
        .db()
        .query_row("SELECT token_sha256 FROM sessions", [], |r| r.get(0))
        .unwrap();
    assert_ne!(stored, token);
    assert_eq!(stored.len(), 64);

    let (agent, _) = c.login("agent.li").await;
    let me = c.get("/console/api/me", Some(&agent)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json().get("role").and_then(Value::as_str), Some("agent"));
    // An agent's session on an auditor's page: refused, and recorded.
    let a = c.get("/console/api/audit", Some(&agent)).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error_code(), "forbidden");
    // No session, or a made-up one.
    for cookie in [
        None,
        Some(format!(
            "{COOKIE}=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        )),
    ] {
        let a = c.get("/console/api/audit", cookie.as_deref()).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        assert_eq!(a.error_code(), "unauthenticated");
    }
    // The auditor, the DPO and the admin read the trail; it holds the agent's attempt.
    for who in ["auditor.ng", "dpo.weber", "admin.root"] {
        let (cookie, _) = c.login(who).await;
        let a = c.get("/console/api/audit", Some(&cookie)).await;
        assert_eq!(a.status, StatusCode::OK, "{who}: {}", a.text());
        let v = a.json();
        assert_eq!(v.get("intact"), Some(&Value::Bool(true)));
        let entries = v.get("entries").and_then(Value::as_array).unwrap();
        assert!(entries.iter().any(|e| {
            e.get("actor").and_then(Value::as_str) == Some("agent.li")
                && e.get("action").and_then(Value::as_str) == Some("forbidden")
                && e.get("detail").and_then(Value::as_str) == Some("/console/api/audit as agent")
        }));
    }
    let trail = c.trail();
    assert_eq!(has(&trail, "agent.li", "login"), 2);
    assert_eq!(has(&trail, "agent.li", "forbidden"), 1);
    assert_eq!(has(&trail, "-", "unauthenticated"), 2);
    assert_eq!(has(&trail, "auditor.ng", "audit_read"), 1);
    assert_eq!(has(&trail, "-", "account_created"), 4);
}

#[tokio::test]
async fn wrong_password_and_unknown_name_answer_alike_then_the_name_is_locked() {
    let c = console();
    let wrong = c
        .login_raw("auditor.ng", "not the password at all", Some("1"), None)
        .await;
    let unknown = c
        .login_raw("nobody.here", "not the password at all", Some("1"), None)
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong.body, unknown.body,
        "the answer must not tell the two apart"
    );
    assert_eq!(wrong.error_code(), "invalid_credentials");
    for _ in 1..MAX_FAILURES {
        let a = c
            .login_raw("auditor.ng", "still wrong, still wrong", Some("1"), None)
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
    }
    // Locked: even the right password is refused now.
    let a = c.login_raw("auditor.ng", PASSWORD, Some("1"), None).await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{}", a.text());
    assert_eq!(a.error_code(), "locked");
    assert!(a.headers.get(header::RETRY_AFTER).is_some());
    // Another name is not.
    c.login("dpo.weber").await;
    let trail = c.trail();
    assert_eq!(has(&trail, "auditor.ng", "login_failed"), 5);
    assert_eq!(has(&trail, "auditor.ng", "locked"), 1);
    assert_eq!(has(&trail, "auditor.ng", "login_locked"), 1);
    assert_eq!(has(&trail, "nobody.here", "login_failed"), 1);
    assert_eq!(has(&trail, "auditor.ng", "login"), 0);
}

#[tokio::test]
async fn csrf_header_and_origin_are_required_for_every_post() {
    let c = console();
    // Sign-in without the header, or from another origin.
    let a = c.login_raw("agent.li", PASSWORD, None, None).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error_code(), "csrf");
    let a = c
        .login_raw(
            "agent.li",
            PASSWORD,
            Some("1"),
            Some("https://evil.example"),
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = c
        .login_raw(
            "agent.li",
            PASSWORD,
            Some("1"),
            Some("https://console.test"),
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "same origin: {}", a.text());
    // Sign-out needs the session's own token.
    let (cookie, csrf) = c.login("agent.li").await;
    assert_eq!(c.logout(&cookie, None).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        c.logout(&cookie, Some("1")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.logout(&cookie, Some(&csrf)).await.status,
        StatusCode::NO_CONTENT
    );
    // The session is gone.
    assert_eq!(
        c.get("/console/api/me", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let trail = c.trail();
    assert_eq!(has(&trail, "-", "csrf_refused"), 2);
    assert_eq!(has(&trail, "agent.li", "csrf_refused"), 2);
    assert_eq!(has(&trail, "agent.li", "logout"), 1);
}

#[tokio::test]
async fn the_audit_trail_refuses_changes_and_shows_one_made_behind_its_back() {
    let c = console();
    let (auditor, _) = c.login("auditor.ng").await;
    let db = c.db();
    let e = db
        .execute("UPDATE audit SET actor = 'someone' WHERE seq = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    let e = db
        .execute("DELETE FROM audit WHERE seq = 1", [])
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    // A database administrator drops the trigger and edits a row: the chain shows it.
    db.execute_batch(
        "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'nothing happened' WHERE seq = 5;",
    )
    .unwrap();
    let a = c.get("/console/api/audit", Some(&auditor)).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json().get("intact"), Some(&Value::Bool(false)));
}

#[test]
fn accounts_are_made_from_the_command_line_and_sign_in_on_the_real_server() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("console.sqlite");
    let add = |user: &str, role: &str, stdin: &str| {
        use std::io::Write as _;
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_consentry-server"))
            .args([
                "account",
                "add",
                "--username",
                user,
                "--role",
                role,
                "--console-db",
            ])
            .arg(&db)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, said) = add("agent.li", "agent", &format!("{PASSWORD}\n"));
    assert!(ok, "{said}");
    let (ok, said) = add("agent.li", "agent", &format!("{PASSWORD}\n"));
    assert!(!ok && said.contains("exists already"), "{said}");
    let (ok, said) = add("short.pw", "agent", "tooshort\n");
    assert!(!ok && said.contains("at least 12"), "{said}");
    let (ok, said) = add("x", "agent", &format!("{PASSWORD}\n"));
    assert!(!ok && said.contains("3 to 64"), "{said}");
    let (ok, said) = add("boss.z", "superuser", &format!("{PASSWORD}\n"));
    assert!(!ok && said.contains("--role"), "{said}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&db).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // The stored hash is Argon2id, not the password.
    let hash: String = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT password_hash FROM accounts", [], |r| r.get(0))
        .unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );

    let server = Server::sqlite(
        &tmp.path().join("r.sqlite"),
        &tmp.path().join("keys"),
        &["--dev-any-notice", "--console-db", db.to_str().unwrap()],
    );
    let body = format!(r#"{{"username":"agent.li","password":"{PASSWORD}"}}"#);
    let a = http_with(
        server.port,
        "POST",
        "/console/api/login",
        &[
            ("Content-Type", "application/json"),
            ("X-Consentry-CSRF", "1"),
        ],
        body.as_bytes(),
    );
    assert_eq!(a.status, 200, "{}", String::from_utf8_lossy(&a.body));
    assert!(a.header("set-cookie").unwrap().contains("HttpOnly"));
    assert!(server.terminate());
}

#[tokio::test]
async fn a_session_ends_after_30_idle_minutes_and_after_8_hours_in_all() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let now = Arc::new(AtomicI64::new(T0));
    let dir = tempfile::tempdir().unwrap();
    let store = ConsoleStore::open(&dir.path().join("console.sqlite")).unwrap();
    store
        .add_account(
            "dpo.weber",
            Role::Dpo,
            PASSWORD,
            consentry_core::time::Timestamp(T0),
        )
        .unwrap();
    let clock = now.clone();
    let c = Console {
        f: fixture_with(registry_policy(), move |s| {
            s.with_console(store).with_clock(Arc::new(move || {
                consentry_core::time::Timestamp(clock.load(Ordering::SeqCst))
            }))
        }),
        dir,
    };
    let minute = 60_000;
    // Idle: 29 minutes between requests is fine, 31 is not.
    let (cookie, _) = c.login("dpo.weber").await;
    now.fetch_add(29 * minute, Ordering::SeqCst);
    assert_eq!(
        c.get("/console/api/me", Some(&cookie)).await.status,
        StatusCode::OK
    );
    now.fetch_add(31 * minute, Ordering::SeqCst);
    assert_eq!(
        c.get("/console/api/me", Some(&cookie)).await.status,
        StatusCode::UNAUTHORIZED
    );
    // In all: kept busy every 20 minutes, it still ends after 8 hours.
    let (cookie, _) = c.login("dpo.weber").await;
    let mut alive = 0;
    for _ in 0..(8 * 3 + 1) {
        now.fetch_add(20 * minute, Ordering::SeqCst);
        if c.get("/console/api/me", Some(&cookie)).await.status == StatusCode::OK {
            alive += 1;
        }
    }
    assert_eq!(alive, 8 * 3, "alive for 8 hours, then refused");
}

#[tokio::test]
async fn one_address_cannot_guess_across_many_names() {
    let c = console();
    let from = |last: u8| std::net::SocketAddr::from(([10, 0, 0, last], 40000));
    let try_from = |addr, n: usize| {
        let body = format!(r#"{{"username":"guess.{n}","password":"wrong wrong wrong"}}"#);
        Req::new(Method::POST, "/console/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HeaderName::from_static("x-consentry-csrf"), "1")
            .body(body.into_bytes())
            .peer(addr)
    };
    // A different name each time, so no lockout: the address's budget stops it.
    let mut statuses = Vec::new();
    for n in 0..12 {
        statuses.push(try_from(from(1), n).send(&c.f.router).await.status);
    }
    assert_eq!(statuses[..10], [StatusCode::UNAUTHORIZED; 10]);
    assert_eq!(statuses[10..], [StatusCode::TOO_MANY_REQUESTS; 2]);
    // Another address is not held back.
    assert_eq!(
        try_from(from(2), 99).send(&c.f.router).await.status,
        StatusCode::UNAUTHORIZED
    );
    // The refusals are in the trail, once a minute per address (a flood cannot fill it).
    assert_eq!(has(&c.trail(), "-", "rate_limited"), 1);
    // So is a sign-in the server could not read.
    let a = Req::new(Method::POST, "/console/api/login")
        .header(header::HeaderName::from_static("x-consentry-csrf"), "1")
        .body(b"{\"username\": 7}".to_vec())
        .peer(from(3))
        .send(&c.f.router)
        .await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.error_code(), "invalid_login");
    assert_eq!(has(&c.trail(), "-", "login_invalid_request"), 1);
}

/// Guesses sent at the same time get no more tries than guesses sent one after another: the
/// lock is checked again once each password has been verified.
#[test]
fn parallel_guesses_cannot_outrun_the_lock() {
    let dir = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(ConsoleStore::open(&dir.path().join("c.sqlite")).unwrap());
    let t = consentry_core::time::Timestamp(T0);
    store
        .add_account("auditor.ng", Role::Auditor, PASSWORD, t)
        .unwrap();
    let n = 12;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
    let results: Vec<_> = (0..n)
        .map(|i| {
            let (store, barrier) = (store.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                let pass = format!("wrong guess number {i}");
                store.login("auditor.ng", &pass, t, "10.0.0.9").unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let failed = results
        .iter()
        .filter(|r| matches!(r, consentry_server::console::Login::Invalid))
        .count();
    assert!(
        failed <= usize::try_from(MAX_FAILURES).unwrap(),
        "{failed} wrong guesses were checked, more than the {MAX_FAILURES} allowed"
    );
    let db = rusqlite::Connection::open(dir.path().join("c.sqlite")).unwrap();
    let recorded: i64 = db
        .query_row(
            "SELECT count(*) FROM audit WHERE action = 'login_failed'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(recorded <= MAX_FAILURES, "{recorded} failures recorded");
    // The name is locked: the right password, next, is refused too.
    assert!(matches!(
        store.login("auditor.ng", PASSWORD, t, "10.0.0.9").unwrap(),
        consentry_server::console::Login::Locked(_)
    ));
    assert_eq!(store.verify_audit().map(|_| ()), Ok(()));
}

/// Two writers on one console file (the server and `account add`, say) never fork the audit
/// chain: each append reads the head and inserts in one write transaction.
#[test]
fn two_writers_keep_one_audit_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("c.sqlite");
    let a = std::sync::Arc::new(ConsoleStore::open(&path).unwrap());
    let b = std::sync::Arc::new(ConsoleStore::open(&path).unwrap());
    let t = consentry_core::time::Timestamp(T0);
    let writers: Vec<_> = [a.clone(), b]
        .into_iter()
        .enumerate()
        .map(|(w, s)| {
            std::thread::spawn(move || {
                for i in 0..300 {
                    s.audit(t, &format!("writer-{w}"), "test", &i.to_string(), "-")
                        .unwrap();
                }
            })
        })
        .collect();
    for h in writers {
        h.join().unwrap();
    }
    assert_eq!(a.verify_audit(), Ok(600));
}
