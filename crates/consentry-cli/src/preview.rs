//! `consentry preview <dir> [--listen 127.0.0.1:PORT]`: the notice in every locale, as
//! compliance staff edit it, with the lint findings on the same page.
//!
//! A small HTTP/1.1 server on the standard library, loopback only. Every page load lints and
//! compiles the directory afresh. Live reload: the page's script (`/reload.js`, no inline code,
//! so the page runs under a strict CSP) polls `/version`, a fingerprint of the directory's
//! files, and reloads when it changes. Everything shown is HTML-escaped; the only links are the
//! ones from `[links]` in `notice.toml` (already checked to be `https:` or `mailto:`).
//!
//! Routes: `/` (the preview), `/version` (fingerprint, text), `/reload.js`, `/preview.css`.

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use consentry_core::bundle::{LocaleBundle, Rich, Span};
use consentry_core::compile::{self, CompileOptions};
use consentry_core::diagnostics::{self, SourceFile};
use consentry_core::encoding::Sha256Digest;

use crate::exit;
use crate::source;

/// Arguments of `consentry preview`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The locales directory (notice.toml and <language-tag>.ftl files).
    pub dir: PathBuf,
    /// Address to listen on; loopback only. Port 0 picks a free port.
    #[arg(long, default_value = "127.0.0.1:8765")]
    pub listen: SocketAddr,
}

/// Serves until the process is stopped. Exit 2 if the directory cannot be read or the address
/// is not a loopback address or cannot be bound.
pub fn run(args: &Args) -> ExitCode {
    if !args.listen.ip().is_loopback() {
        return exit::io_failure(format!(
            "--listen {}: the preview only listens on the loopback address (127.0.0.1 or ::1)",
            args.listen
        ));
    }
    if let Err(e) = source::read_locales(&args.dir) {
        return exit::io_failure(e);
    }
    let listener = match TcpListener::bind(args.listen) {
        Ok(l) => l,
        Err(e) => return exit::io_failure(format!("cannot listen on {}: {e}", args.listen)),
    };
    let addr = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return exit::io_failure(e),
    };
    println!(
        "preview of {} on http://{addr}/ (reloads when a file changes; Ctrl-C to stop)",
        args.dir.display()
    );
    let _ = std::io::stdout().flush();
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let dir = args.dir.clone();
        std::thread::spawn(move || {
            let _ = serve(stream, &dir);
        });
    }
    ExitCode::from(exit::CLEAN)
}

fn serve(mut stream: TcpStream, dir: &Path) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Skip the headers (bounded).
    let mut total = request_line.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 16 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default();
    let (status, content_type, body) = if method != "GET" && method != "HEAD" {
        (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "only GET".into(),
        )
    } else {
        match path {
            "/" => ("200 OK", "text/html; charset=utf-8", page(dir)),
            "/version" => ("200 OK", "text/plain; charset=utf-8", fingerprint(dir)),
            "/reload.js" => ("200 OK", "text/javascript; charset=utf-8", RELOAD_JS.into()),
            "/preview.css" => ("200 OK", "text/css; charset=utf-8", PREVIEW_CSS.into()),
            _ => (
                "404 Not Found",
                "text/plain; charset=utf-8",
                "not found".into(),
            ),
        }
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
         Content-Security-Policy: default-src 'none'; script-src 'self'; style-src 'self'; \
         connect-src 'self'; img-src 'self'\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    if method != "HEAD" {
        stream.write_all(body.as_bytes())?;
    }
    stream.flush()
}

/// A fingerprint of the files the notice is made of: changes whenever one is added, removed
/// or edited.
pub fn fingerprint(dir: &Path) -> String {
    let mut all = Vec::new();
    match source::read_locales(dir) {
        Ok(files) => {
            for f in files {
                all.extend_from_slice(f.path.as_bytes());
                all.push(0);
                all.extend_from_slice(Sha256Digest::of(&f.bytes).to_hex().as_bytes());
                all.push(b'\n');
            }
        }
        Err(e) => all.extend_from_slice(e.as_bytes()),
    }
    Sha256Digest::of(&all).to_hex()
}

const RELOAD_JS: &str = r#"// Reloads the preview when a file of the notice changes.
const version = document.documentElement.dataset.version;
async function poll() {
  try {
    const r = await fetch('/version', { cache: 'no-store' });
    if (r.ok && (await r.text()) !== version) { location.reload(); return; }
  } catch (_) { /* the preview server may be restarting */ }
  setTimeout(poll, 700);
}
setTimeout(poll, 700);
"#;

const PREVIEW_CSS: &str = "body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1c1e21}\
header{background:#1c3d5a;color:#fff;padding:12px 20px}header h1{font-size:18px;margin:0}\
main{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:16px;padding:16px}\
section.findings{grid-column:1/-1;background:#fff;border-left:6px solid #2e7d32;padding:8px 16px}\
section.findings.bad{border-color:#c62828}pre{white-space:pre-wrap;font-size:13px}\
article{background:#fff;padding:12px 16px;border-radius:6px}article h2{font-size:17px}\
article h3{font-size:15px;margin-bottom:4px}dl{margin:0}dt{font-weight:600}dd{margin:0 0 6px}\
.meta{color:#555;font-size:13px}";

/// Text escaped for HTML: core's one escaper (the evidence report's too).
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    consentry_core::evidence::escape_into(&mut out, s);
    out
}

/// Rich text as HTML: text escaped, links only for `https:` / `mailto:` targets.
fn rich(r: &Rich) -> String {
    let mut s = String::new();
    for span in &r.0 {
        match span {
            Span::Text(t) => s.push_str(&esc(t)),
            Span::Link { href, text }
                if href.starts_with("https://") || href.starts_with("mailto:") =>
            {
                let _ = write!(
                    s,
                    "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                    esc(href),
                    esc(text)
                );
            }
            Span::Link { text, .. } => s.push_str(&esc(text)),
            // Filled in by the widget from the rules in force (the guardian age, …).
            Span::Var(name) => {
                let _ = write!(s, "<var>{}</var>", esc(name));
            }
        }
    }
    s
}

fn page(dir: &Path) -> String {
    let version = fingerprint(dir);
    let label = source::dir_label(dir);
    let mut s = format!(
        "<!doctype html>\n<html lang=\"en\" data-version=\"{}\"><head><meta charset=\"utf-8\">\
         <title>Preview: {}</title><link rel=\"stylesheet\" href=\"/preview.css\">\
         <script src=\"/reload.js\" defer></script></head><body>\
         <header><h1>Notice preview: {}</h1></header><main>",
        esc(&version),
        esc(&label),
        esc(&label)
    );
    let files: Vec<SourceFile> = match source::read_locales(dir) {
        Ok(f) => f,
        Err(e) => {
            let _ = write!(
                s,
                "<section class=\"findings bad\" data-testid=\"findings\"><pre>{}</pre></section>",
                esc(&e)
            );
            s.push_str("</main></body></html>\n");
            return s;
        }
    };
    let compiled = compile::compile(&label, &files, &CompileOptions::default());
    let (errors, warnings) = diagnostics::count(&compiled.diagnostics);
    let _ = write!(
        s,
        "<section class=\"findings{}\" data-testid=\"findings\" data-errors=\"{errors}\" \
         data-warnings=\"{warnings}\"><h2>Lint: {errors} error{}, {warnings} warning{}</h2>",
        if errors > 0 { " bad" } else { "" },
        if errors == 1 { "" } else { "s" },
        if warnings == 1 { "" } else { "s" },
    );
    if !compiled.diagnostics.is_empty() {
        let _ = write!(
            s,
            "<pre>{}</pre>",
            esc(&diagnostics::render_human(&compiled.diagnostics, &files))
        );
    }
    s.push_str("</section>");
    match &compiled.build {
        Some(build) => {
            for b in &build.bundles {
                locale(&mut s, b);
            }
        }
        None => s.push_str(
            "<article><p>Fix the errors above to see the notice; this page reloads by itself \
             when you save.</p></article>",
        ),
    }
    s.push_str("</main></body></html>\n");
    s
}

fn locale(s: &mut String, b: &LocaleBundle) {
    let m = |id: &str| b.message(id).map(rich).unwrap_or_default();
    let _ = write!(
        s,
        "<article lang=\"{}\" dir=\"{}\" data-testid=\"locale-{}\"><p class=\"meta\">{} · {} · \
         {} {}</p><h2>{}</h2><p>{}</p>",
        esc(b.locale.as_str()),
        b.dir.as_str(),
        esc(b.locale.as_str()),
        esc(b.locale.as_str()),
        b.dir.as_str(),
        m("notice-version-label"),
        esc(&b.version),
        m("banner-title"),
        m("banner-body"),
    );
    let _ = write!(
        s,
        "<p>[{}] [{}] [{}]</p><h3>{}</h3>",
        m("accept-all"),
        m("reject-all"),
        m("open-settings"),
        m("purposes-heading")
    );
    for p in &b.purposes {
        let _ = write!(
            s,
            "<h3>{}{}</h3><p>{}</p><dl><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd>",
            rich(&p.name),
            if p.required {
                format!(" ({})", m("required-purpose"))
            } else {
                String::new()
            },
            rich(&p.description),
            m("legal-basis-label"),
            b.legal_basis_label(&p.legal_basis)
                .map(rich)
                .unwrap_or_else(|| esc(&p.legal_basis)),
            m("retention-label"),
            esc(&p.retention),
        );
        let labels: Vec<String> = p
            .data_categories
            .iter()
            .map(|c| b.data_category_label(c).map(rich).unwrap_or_else(|| esc(c)))
            .collect();
        let _ = write!(
            s,
            "<dt>{}</dt><dd>{}</dd>",
            m("data-categories-label"),
            labels.join("; ")
        );
        if !p.recipients.is_empty() {
            let names: Vec<String> = p.recipients.iter().map(|r| esc(b.shown(r))).collect();
            let _ = write!(
                s,
                "<dt>{}</dt><dd>{}</dd>",
                m("recipients-label"),
                names.join("; ")
            );
        }
        if let Some(li) = &p.legitimate_interest {
            let _ = write!(
                s,
                "<dt>{}</dt><dd>{}</dd>",
                m("legitimate-interest-label"),
                rich(li)
            );
        }
        s.push_str("</dl>");
    }
    let _ = write!(s, "<h3>{}</h3><ul>", m("rights-heading"));
    for r in &b.rights {
        let _ = write!(s, "<li>{}</li>", rich(&r.text));
    }
    let _ = write!(s, "</ul><p>{}</p>", m("rights-how"));
    let _ = write!(s, "<h3>{}</h3>", m("complaints-heading"));
    for c in &b.complaints {
        let _ = write!(s, "<p>{}</p>", rich(&c.text));
    }
    let c = &b.controller;
    let _ = write!(
        s,
        "<h3>{}</h3><p>{}<br>{}<br>{}</p></article>",
        m("controller-heading"),
        esc(b.shown(&c.name)),
        esc(b.shown(&c.address)),
        esc(&c.email)
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::bundle::Span;

    #[test]
    fn text_is_escaped_and_only_safe_links_become_links() {
        let r = Rich(vec![
            Span::Text("<script>alert(1)</script> & \"x\"".into()),
            Span::Link {
                href: "javascript:alert(1)".into(),
                text: "bad".into(),
            },
            Span::Link {
                href: "https://example.com/?a=1&b=\"2\"".into(),
                text: "<b>ok</b>".into(),
            },
        ]);
        assert_eq!(
            rich(&r),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;bad<a href=\
             \"https://example.com/?a=1&amp;b=&quot;2&quot;\" rel=\"noopener noreferrer\">\
             &lt;b&gt;ok&lt;/b&gt;</a>"
        );
    }
}
