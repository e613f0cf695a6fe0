//! The real binary over a real socket: start on port 0, POST a receipt with a plain HTTP/1.1
//! client over `TcpStream`, read it back, then kill the process by its handle.

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

use consentry_core::receipt::verify::{VerifyPolicy, verify};
use consentry_core::testing::{TestSigner, sample_receipt};

/// Kills the child when the test ends, pass or fail.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

struct HttpAnswer {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl HttpAnswer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request on a fresh connection (`Connection: close`), answer read to EOF.
fn http(
    port: u16,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: &[u8],
) -> HttpAnswer {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(ct) = content_type {
        head.push_str(&format!("Content-Type: {ct}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();

    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("status line {status_line:?}"));
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body = raw[split + 4..].to_vec();
    let answer = HttpAnswer {
        status,
        headers,
        body,
    };
    assert!(
        answer.header("transfer-encoding").is_none(),
        "this minimal client expects Content-Length bodies"
    );
    if let Some(len) = answer.header("content-length") {
        assert_eq!(len.parse::<usize>().unwrap(), answer.body.len());
    }
    answer
}

#[test]
fn real_binary_stores_and_returns_a_receipt_over_tcp() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("nested").join("receipts.sqlite");
    let mut child = Command::new(env!("CARGO_BIN_EXE_consentry-server"))
        .args(["--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);

    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim_end()
        .strip_prefix("consentry-server listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    let port: u16 = addr.strip_prefix("127.0.0.1:").unwrap().parse().unwrap();
    assert_ne!(port, 0);
    assert!(
        db.exists(),
        "database and its directory are created at startup"
    );

    let a = http(port, "GET", "/healthz", None, b"");
    assert_eq!(a.status, 200);

    let signer = TestSigner::device();
    let receipt = sample_receipt(&signer, 7, true);
    let envelope = signer.sign_receipt(&receipt);
    let a = http(
        port,
        "POST",
        "/v1/receipts",
        Some("application/json"),
        &envelope,
    );
    assert_eq!(a.status, 201, "{}", String::from_utf8_lossy(&a.body));
    let body = String::from_utf8(a.body).unwrap();
    assert!(
        body.contains(&format!("\"receipt_id\":\"{}\"", receipt.receipt_id)),
        "{body}"
    );
    assert!(body.contains("\"status\":\"stored\""), "{body}");

    let g = http(
        port,
        "GET",
        &format!("/v1/receipts/{}", receipt.receipt_id),
        None,
        b"",
    );
    assert_eq!(g.status, 200);
    assert_eq!(g.header("content-type"), Some("application/json"));
    assert_eq!(g.body, envelope);
    assert_eq!(
        verify(&g.body, &VerifyPolicy::default()).unwrap().receipt(),
        &receipt
    );

    let bad = http(port, "POST", "/v1/receipts", Some("text/plain"), &envelope);
    assert_eq!(bad.status, 415);
    assert!(String::from_utf8_lossy(&bad.body).contains("\"code\":\"unsupported_media_type\""));

    drop(server);
}
