//! The server's files on disk, with the real binary: the database and its companions readable
//! by the server's user alone, a token file other users can read refused, and a static site
//! that holds the data directory refused.

mod common;

use std::os::unix::fs::PermissionsExt as _;

use common::http::Server;

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Runs the binary expecting it not to start; returns its stderr.
fn refused(args: &[&str]) -> String {
    // Not about notices: any notice text is accepted.
    let mut all = vec![
        "--listen",
        "127.0.0.1:0",
        "--log-id",
        "test-1",
        "--dev-any-notice",
    ];
    all.extend_from_slice(args);
    let all: Vec<&std::ffi::OsStr> = all.iter().map(std::ffi::OsStr::new).collect();
    common::http::refused_start(&all)
}

#[test]
fn the_database_is_created_private_and_an_open_one_is_tightened() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let db = data.join("receipts.sqlite");
    let key_dir = data.join("keys");
    let server = Server::sqlite(&db, &key_dir, &["--dev-any-notice"]);
    assert_eq!(mode(&data), 0o700, "data directory");
    for suffix in ["", "-wal", "-shm"] {
        let p = std::path::PathBuf::from(format!("{}{suffix}", db.display()));
        assert_eq!(mode(&p), 0o600, "{}", p.display());
    }
    assert!(server.terminate());

    // The database's own directory, when the keys live elsewhere.
    let own = tmp.path().join("ledger").join("receipts.sqlite");
    let server = Server::sqlite(&own, &key_dir, &["--dev-any-notice"]);
    assert_eq!(
        mode(&tmp.path().join("ledger")),
        0o700,
        "database directory"
    );
    assert!(server.terminate());

    // A database an older server left world-readable is made private at the next start.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = Server::sqlite(&db, &key_dir, &["--dev-any-notice"]);
    assert_eq!(mode(&db), 0o600);
    assert!(server.terminate());
}

#[test]
fn a_token_file_other_users_can_read_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let token = tmp.path().join("admin-token");
    std::fs::write(&token, "a-long-enough-admin-token").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = tmp.path().join("r.sqlite");
    let keys = tmp.path().join("keys");
    let err = refused(&[
        "--db",
        db.to_str().unwrap(),
        "--key-dir",
        keys.to_str().unwrap(),
        "--admin-token-file",
        token.to_str().unwrap(),
    ]);
    assert!(
        err.contains("mode 0644") && err.contains("chmod 600"),
        "{err}"
    );

    // Its harmless neighbour: the same file at 0600 starts the server.
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o600)).unwrap();
    let server = Server::sqlite(
        &db,
        &keys,
        &[
            "--dev-any-notice",
            "--admin-token-file",
            token.to_str().unwrap(),
        ],
    );
    assert!(server.terminate());
}

#[test]
fn a_site_that_holds_the_data_directory_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("index.html"), "<!doctype html>").unwrap();
    // The keys, then the database, inside the site.
    let outside_db = tmp.path().join("r.sqlite");
    let err = refused(&[
        "--db",
        outside_db.to_str().unwrap(),
        "--key-dir",
        site.join("data/keys").to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ]);
    assert!(err.contains("--key-dir"), "{err}");
    assert!(
        !site.join("data").exists(),
        "refused before creating anything"
    );
    let err = refused(&[
        "--db",
        site.join("receipts.sqlite").to_str().unwrap(),
        "--key-dir",
        tmp.path().join("keys").to_str().unwrap(),
        "--site",
        site.to_str().unwrap(),
    ]);
    assert!(err.contains("--db"), "{err}");
    assert!(
        !site.join("receipts.sqlite").exists(),
        "refused before creating anything"
    );
    // Its harmless neighbour: data beside the site starts the server.
    let server = Server::sqlite(
        &outside_db,
        &tmp.path().join("keys"),
        &["--dev-any-notice", "--site", site.to_str().unwrap()],
    );
    assert!(server.terminate());
}

#[test]
fn a_framing_origin_must_be_an_origin() {
    let tmp = tempfile::tempdir().unwrap();
    let err = refused(&[
        "--db",
        tmp.path().join("r.sqlite").to_str().unwrap(),
        "--key-dir",
        tmp.path().join("keys").to_str().unwrap(),
        "--frame-ancestor",
        "https://a.example.com; script-src *",
    ]);
    assert!(err.contains("--frame-ancestor"), "{err}");
}
