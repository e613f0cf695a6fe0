//! The notice as the person saw it, as plain text: the one rendering that `consentry verify`
//! prints and the console shows beside a receipt.

use alloc::format;
use alloc::string::{String, ToString};
use core::fmt::Write as _;

use super::{LocaleBundle, Rich, Span};

/// A rich text as plain text: links as `text <href>`, unfilled variables as `{name}`.
pub fn rich_text(r: &Rich) -> String {
    let mut s = String::new();
    for span in &r.0 {
        match span {
            Span::Text(t) => s.push_str(t),
            Span::Link { href, text } => {
                s.push_str(text);
                s.push_str(" <");
                s.push_str(href);
                s.push('>');
            }
            Span::Var(name) => {
                s.push('{');
                s.push_str(name);
                s.push('}');
            }
        }
    }
    s
}

/// The notice exactly as the widget showed it, from the archived compiled locale file, with
/// the guardian age the receipt's regimes set filled in.
pub fn notice_text(b: &LocaleBundle, age: Option<u8>) -> String {
    let fill = |r: &Rich| {
        r.with_vars(|name| match name {
            "age" => age.map(|a| a.to_string()),
            _ => None,
        })
    };
    let msg = |id: &str| {
        b.message(id)
            .map(|r| rich_text(&fill(r)))
            .unwrap_or_default()
    };
    let mut s = String::new();
    let _ = writeln!(
        s,
        "\nNotice shown ({}, {}, text direction {}), from the archived build:",
        b.locale,
        msg("language-name"),
        b.dir.as_str()
    );
    let _ = writeln!(s, "  {}", msg("banner-title"));
    let _ = writeln!(s, "  {}", msg("banner-body"));
    let _ = writeln!(
        s,
        "  [{}] [{}] [{}]",
        msg("accept-all"),
        msg("reject-all"),
        msg("open-settings")
    );
    let _ = writeln!(s, "  {}: {}", msg("settings-title"), msg("settings-intro"));
    for p in &b.purposes {
        let _ = writeln!(
            s,
            "  - {}{}",
            rich_text(&p.name),
            if p.required {
                format!(" ({})", msg("required-purpose"))
            } else {
                String::new()
            }
        );
        let _ = writeln!(s, "    {}", rich_text(&p.description));
        let basis = b
            .message(&format!("legal-basis-{}", p.legal_basis.replace('_', "-")))
            .map_or_else(|| p.legal_basis.clone(), rich_text);
        let _ = writeln!(s, "    {}: {basis}", msg("legal-basis-label"));
        let _ = writeln!(s, "    {}: {}", msg("retention-label"), p.retention);
        if !p.recipients.is_empty() {
            let _ = writeln!(
                s,
                "    {}: {}",
                msg("recipients-label"),
                p.recipients.join(", ")
            );
        }
        for t in &p.transfers {
            let _ = writeln!(
                s,
                "    {}: {} ({})",
                msg("transfers-label"),
                t.destination,
                t.safeguard
            );
        }
    }
    let c = &b.controller;
    let _ = writeln!(
        s,
        "  {}: {}, {}, {}",
        msg("controller-heading"),
        c.name,
        c.address,
        c.email
    );
    if let (Some(n), Some(e)) = (&c.dpo_name, &c.dpo_email) {
        let _ = writeln!(s, "  {}: {n}, {e}", msg("dpo-heading"));
    }
    s
}
