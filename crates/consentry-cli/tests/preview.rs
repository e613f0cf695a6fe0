//! `consentry preview`: the real binary serving a temporary locales directory over a real
//! socket on 127.0.0.1.

use std::fs;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// The preview process; stopped (by its own handle) when the test ends.
struct Preview {
    child: Child,
    addr: String,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path) -> Preview {
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["preview", dir.to_str().unwrap(), "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start consentry preview");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");
    Preview { child, addr }
}

/// One HTTP request; returns the status line, the headers and the body.
fn request(addr: &str, method: &str, path: &str) -> (String, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = String::new();
    s.read_to_string(&mut raw).unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap();
    let (status, headers) = head.split_once("\r\n").unwrap_or((head, ""));
    (status.to_string(), headers.to_string(), body.to_string())
}

fn get(addr: &str, path: &str) -> (String, String) {
    let (status, _, body) = request(addr, "GET", path);
    (status, body)
}

#[test]
fn serves_every_locale_and_reloads_on_change_with_findings_on_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../locales");
    for e in fs::read_dir(&repo).unwrap() {
        let e = e.unwrap();
        fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let preview = start(dir.path());
    let addr = preview.addr.as_str();

    let (status, headers, page) = request(addr, "GET", "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(
        headers.contains("Content-Security-Policy: default-src 'none'; script-src 'self'"),
        "{headers}"
    );
    for tag in ["ar", "en", "es", "fr", "pt-BR", "zh-CN"] {
        assert!(
            page.contains(&format!("data-testid=\"locale-{tag}\"")),
            "{tag}"
        );
    }
    assert!(page.contains("<article lang=\"ar\" dir=\"rtl\""));
    assert!(page.contains("data-errors=\"0\""));
    assert!(page.contains("全部同意"));
    assert!(page.contains("<script src=\"/reload.js\" defer></script>"));
    assert!(!page.contains("<script>"), "no inline script");

    let (_, v1) = get(addr, "/version");
    assert_eq!(v1.len(), 64);
    assert!(page.contains(&format!("data-version=\"{v1}\"")));

    // Edit a file: the fingerprint the page polls changes, and the page shows the finding,
    // with the hostile text escaped.
    let en = dir.path().join("en.ftl");
    let text = fs::read_to_string(&en).unwrap();
    fs::write(
        &en,
        text.replace("close = Close", "close = <script>alert(1)</script>"),
    )
    .unwrap();
    let (_, v2) = get(addr, "/version");
    assert_ne!(v1, v2, "the page reloads when this changes");
    let (_, page) = get(addr, "/");
    assert!(page.contains("error[M011]"), "{page}");
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!page.contains("<script>alert"));
    assert!(page.contains("data-errors=\"1\""));

    let (status, js) = get(addr, "/reload.js");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(js.contains("fetch('/version'"));
    assert_eq!(get(addr, "/nope").0, "HTTP/1.1 404 Not Found");
    assert_eq!(
        request(addr, "POST", "/").0,
        "HTTP/1.1 405 Method Not Allowed"
    );
    let (status, headers, body) = request(addr, "HEAD", "/version");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(headers.contains("Content-Length: 64") && body.is_empty());
}

#[test]
fn listens_only_on_loopback_and_needs_a_directory() {
    let dir = tempfile::tempdir().unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args([
            "preview",
            dir.path().to_str().unwrap(),
            "--listen",
            "0.0.0.0:0",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("loopback"));
    let o = Command::new(env!("CARGO_BIN_EXE_consentry"))
        .args(["preview", "/nonexistent/locales", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}
