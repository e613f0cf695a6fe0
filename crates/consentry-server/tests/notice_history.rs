//! The console's notice versions page (issue 15 item 6) through the router: every published
//! version, newest first, what changed from the one before (message by message, old and new
//! text), the build's lint record, and a version whose files do not check out listed as a
//! problem, never shown as a version. Roles and the audit trail as for every console read.

mod common;

use std::path::Path;

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::bundle::archive::{
    ARCHIVE_DIR, LINT_RECORD, LINT_RECORD_SCHEMA, version_dir_name,
};
use consentry_core::bundle::{Direction, Manifest, ManifestEntry, Rich};
use consentry_core::encoding::Sha256Digest;
use consentry_core::json::Value;
use consentry_core::testing::sample_bundle;
use consentry_core::time::Timestamp;
use consentry_server::console::{ConsoleStore, Role};

const PASSWORD: &str = "correct horse battery staple";

/// Publishes the sample notice as `version` into `root/archive/<id>/<version>/` (and, when
/// `current`, at the top), with the first layer's `banner-title` set to `title`.
fn publish(root: &Path, version: &str, title: &str, lint: Option<&str>, current: bool) {
    let mut b = sample_bundle();
    b.version = version.to_owned();
    for (id, text) in &mut b.messages {
        if id == "banner-title" {
            *text = Rich::plain(title);
        }
    }
    let bytes = b.to_json().into_bytes();
    let digest = Sha256Digest::of(&bytes);
    let file = format!("notice.en.{}.json", &digest.to_hex()[..12]);
    let m = Manifest {
        notice_id: b.notice_id.clone(),
        version: version.to_owned(),
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
    let dir = root
        .join(ARCHIVE_DIR)
        .join(b.notice_id.as_str())
        .join(version_dir_name(version).unwrap());
    std::fs::create_dir_all(&dir).unwrap();
    for d in [Some(dir.as_path()), current.then_some(root)]
        .into_iter()
        .flatten()
    {
        std::fs::write(d.join(&file), &bytes).unwrap();
        std::fs::write(d.join("manifest.json"), m.to_json()).unwrap();
    }
    if let Some(l) = lint {
        std::fs::write(dir.join(LINT_RECORD), l).unwrap();
    }
}

struct Page {
    f: Fixture,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

fn page() -> Page {
    let notices = tempfile::tempdir().unwrap();
    let root = notices.path();
    let warning = format!(
        r#"{{"findings":[{{"code":"M015","column":1,"file":"locales/fr.ftl","line":3,"message":"banner-title is the same as in en: not translated?","rule":"untranslated","severity":"warning"}}],"schema":"{LINT_RECORD_SCHEMA}"}}"#
    );
    // Out of order on purpose: 2026.12.10 comes after 2026.12.9.
    publish(
        root,
        "2026.12.10",
        "Your privacy, your choice",
        Some(&warning),
        true,
    );
    publish(root, "2026.12.9", "Your privacy", None, false);
    publish(root, "2026.12.11", "Tampered", None, false);
    // 2026.12.11's locale file no longer matches its manifest.
    let bad = root
        .join(ARCHIVE_DIR)
        .join(sample_bundle().notice_id.as_str())
        .join("2026.12.11");
    for e in std::fs::read_dir(&bad).unwrap() {
        let p = e.unwrap().path();
        if p.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("notice.")
        {
            std::fs::write(&p, b"{}").unwrap();
        }
    }
    let db = tempfile::tempdir().unwrap();
    let store = ConsoleStore::open(&db.path().join("console.sqlite")).unwrap();
    for (name, role) in [("agent.li", Role::Agent), ("auditor.ng", Role::Auditor)] {
        store
            .add_account(name, role, PASSWORD, Timestamp(T0))
            .unwrap();
    }
    let roots = vec![root.to_path_buf()];
    Page {
        f: fixture_with(registry_policy(), |s| {
            s.with_console(store).with_notice_dirs(roots)
        }),
        _dirs: (notices, db),
    }
}

impl Page {
    async fn login(&self, user: &str) -> String {
        let a = Req::new(Method::POST, "/console/api/login")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::HOST, "console.test")
            .header(header::HeaderName::from_static("x-consentry-csrf"), "1")
            .body(format!(r#"{{"username":"{user}","password":"{PASSWORD}"}}"#).into_bytes())
            .send(&self.f.router)
            .await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.text());
        let set = a.headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    }

    async fn get(&self, uri: &str, cookie: &str) -> Answer {
        Req::new(Method::GET, uri)
            .header(header::COOKIE, cookie)
            .send(&self.f.router)
            .await
    }
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v.get(k).and_then(Value::as_str).unwrap_or_default()
}

#[tokio::test]
async fn an_auditor_sees_every_version_what_changed_and_what_the_lint_found() {
    let p = page();
    let auditor = p.login("auditor.ng").await;
    let a = p.get("/console/api/notices", &auditor).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    assert_eq!(a.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let v = a.json();
    let notices = v.get("notices").and_then(Value::as_array).unwrap();
    assert_eq!(notices.len(), 1);
    let versions = notices[0]
        .get("versions")
        .and_then(Value::as_array)
        .unwrap();
    // Newest first, in version order (not text order), the tampered one left out.
    let names: Vec<&str> = versions.iter().map(|r| s(r, "version")).collect();
    assert_eq!(names, ["2026.12.10", "2026.12.9"]);
    let (new, old) = (&versions[0], &versions[1]);
    assert_eq!(new.get("current"), Some(&Value::Bool(true)));
    assert_eq!(old.get("current"), Some(&Value::Bool(false)));
    assert_eq!(s(new, "previous"), "2026.12.9");
    assert_eq!(new.get("material"), Some(&Value::Bool(true)));
    assert_eq!(s(new, "changes"), "en: banner-title");
    assert_eq!(old.get("previous"), Some(&Value::Null));
    assert_eq!(old.get("changes"), Some(&Value::Null));
    let lint = new.get("lint").unwrap();
    assert_eq!(lint.get("recorded"), Some(&Value::Bool(true)));
    assert_eq!(lint.get("warnings").and_then(Value::as_i64), Some(1));
    assert_eq!(
        old.get("lint").and_then(|l| l.get("recorded")),
        Some(&Value::Bool(false))
    );
    assert_eq!(s(new, "manifest_sha256").len(), 64);
    // The tampered version is a problem that names it.
    let problems = v.get("problems").and_then(Value::as_array).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        s(&problems[0], "dir").ends_with("2026.12.11"),
        "{problems:?}"
    );

    // One version: the message's old and new text, and the findings.
    let id = sample_bundle().notice_id;
    let a = p
        .get(
            &format!("/console/api/notices/{}/2026.12.10", id.as_str()),
            &auditor,
        )
        .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.text());
    let d = a.json();
    assert_eq!(s(&d, "previous"), "2026.12.9");
    let locales = d.get("locales").and_then(Value::as_array).unwrap();
    assert_eq!(locales.len(), 1);
    assert_eq!(s(&locales[0], "dir"), "ltr");
    let m = &locales[0]
        .get("messages")
        .and_then(Value::as_array)
        .unwrap()[0];
    assert_eq!(
        (s(m, "id"), s(m, "change"), s(m, "old"), s(m, "new")),
        (
            "banner-title",
            "changed",
            "Your privacy",
            "Your privacy, your choice"
        )
    );
    let findings = d
        .get("lint")
        .and_then(|l| l.get("findings"))
        .and_then(Value::as_array)
        .unwrap();
    assert_eq!(s(&findings[0], "code"), "M015");

    // A version that is not published (or did not check out) is 404, not guessed at.
    for missing in ["2026.12.11", "..%2F..%2Fetc", "2026.12.8"] {
        let a = p
            .get(
                &format!("/console/api/notices/{}/{missing}", id.as_str()),
                &auditor,
            )
            .await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{missing}: {}", a.text());
    }
    // An agent may not read the page.
    let agent = p.login("agent.li").await;
    let a = p.get("/console/api/notices", &agent).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[test]
fn a_lint_record_that_is_not_one_is_said_so() {
    use consentry_server::notice_history::{Lint, read_lint};
    let d = tempfile::tempdir().unwrap();
    assert_eq!(read_lint(d.path()), Lint::NotRecorded);
    for (text, why) in [
        ("not json", "lint.json"),
        (r#"{"findings":[],"schema":"other/1"}"#, "schema"),
        (
            &format!(r#"{{"findings":{{}},"schema":"{LINT_RECORD_SCHEMA}"}}"#),
            "not a list",
        ),
        (
            &format!(r#"{{"findings":[{{"code":"M015"}}],"schema":"{LINT_RECORD_SCHEMA}"}}"#),
            "finding 1",
        ),
    ] {
        std::fs::write(d.path().join(LINT_RECORD), text).unwrap();
        match read_lint(d.path()) {
            Lint::Unreadable(p) => assert!(p.contains(why), "{text}: {p}"),
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn a_served_build_that_is_not_the_archived_one_is_not_shown_as_current() {
    use consentry_server::notice_history::read_all;
    let root = tempfile::tempdir().unwrap();
    publish(root.path(), "2026.12.1", "Archived text", None, true);
    // Another build under the same version, served at the top.
    let other = tempfile::tempdir().unwrap();
    publish(other.path(), "2026.12.1", "Other text", None, true);
    for e in std::fs::read_dir(other.path()).unwrap() {
        let p = e.unwrap().path();
        if p.is_file() {
            std::fs::copy(&p, root.path().join(p.file_name().unwrap())).unwrap();
        }
    }
    let a = read_all(&[root.path().to_path_buf()]);
    let versions = &a.by_id[sample_bundle().notice_id.as_str()];
    assert_eq!(versions.len(), 1);
    assert!(
        !versions[0].current,
        "the archived build is not what is served"
    );
    assert_eq!(a.problems.len(), 1, "{:?}", a.problems);
    assert!(
        a.problems[0].1.contains("published twice"),
        "{:?}",
        a.problems
    );
}
