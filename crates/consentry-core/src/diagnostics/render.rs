//! Human (rustc-like) and JSON renderings of diagnostics.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write as _;

use super::position::line_range;
use super::{Diagnostic, SourceFile};
use crate::json::{self, Value};

/// Renders findings the way rustc does, one block per finding:
///
/// ```text
/// error[M001]: message `banner-title` is missing from zh-CN
///   --> locales/zh-CN.ftl:12:1
///    |
/// 12 | accept-all = 全部接受
///    | ^
///    = note: defined in locales/en.ftl:3:1
/// ```
///
/// `sources` supplies the file text for the source line; a finding whose file is not among
/// them (or that has no position) is rendered without one. Blocks are separated by a blank
/// line. No colour codes are written.
pub fn render_human(diagnostics: &[Diagnostic], sources: &[SourceFile]) -> String {
    let mut out = String::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "{}[{}]: {}", d.severity, d.code, d.message);
        let Some(loc) = &d.location else {
            let _ = writeln!(out, " --> {}", d.file);
            if let Some(note) = &d.note {
                let _ = writeln!(out, "  = note: {note}");
            }
            continue;
        };
        let gutter = digits(loc.line);
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {}:{}:{}", d.file, loc.line, loc.column);
        let source = sources.iter().find(|s| s.path == d.file);
        if let Some((text, caret_at, caret_len)) =
            source.and_then(|s| snippet(&s.bytes, loc.line, &loc.span))
        {
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{} | {text}", loc.line);
            let _ = writeln!(
                out,
                "{pad} | {}{}",
                " ".repeat(caret_at),
                "^".repeat(caret_len.max(1))
            );
        }
        if let Some(note) = &d.note {
            let _ = writeln!(out, "{pad} = note: {note}");
        }
    }
    out
}

/// The source line (tabs expanded), the display column where the caret starts and the caret
/// width, for a span starting on `line`. Spans running past the line end are cut at it.
fn snippet(
    bytes: &[u8],
    line: usize,
    span: &core::ops::Range<usize>,
) -> Option<(String, usize, usize)> {
    let range = line_range(bytes, line)?;
    let line_bytes = &bytes[range.clone()];
    let start = span.start.clamp(range.start, range.end) - range.start;
    let end = span.end.clamp(range.start, range.end) - range.start;
    let end = end.max(start);
    // A very long line (a minified or hostile file) is shown as a window around the caret.
    let (from, to) = window(line_bytes, start, end);
    let (start, end) = (start - from, end.min(to) - from);
    let cut_before = from > 0;
    let cut_after = to < line_bytes.len();
    let line_bytes = &line_bytes[from..to];
    let text = String::from_utf8_lossy(line_bytes);
    let before = String::from_utf8_lossy(&line_bytes[..start]);
    let inside = String::from_utf8_lossy(&line_bytes[start..end]);
    let mut shown = String::new();
    if cut_before {
        shown.push('…');
    }
    for c in text.chars() {
        if c == '\t' {
            shown.push_str("    ");
        } else if !c.is_control() {
            shown.push(c);
        }
    }
    if cut_after {
        shown.push('…');
    }
    let lead = usize::from(cut_before);
    Some((shown, lead + width(&before), width(&inside)))
}

/// Longest source line shown whole, in bytes.
const MAX_SHOWN: usize = 160;

/// The byte range of `line` to show: all of it if short, else about `MAX_SHOWN` bytes starting
/// a little before the span. The range always contains `start..end`; its ends are moved to
/// character starts (backwards at the front, forwards at the back), so nothing is cut in half
/// and invalid bytes cannot push the window past the span.
fn window(line: &[u8], start: usize, end: usize) -> (usize, usize) {
    if line.len() <= MAX_SHOWN {
        return (0, line.len());
    }
    let continuation = |i: usize| line.get(i).is_some_and(|b| (b & 0xC0) == 0x80);
    let mut from = start.saturating_sub(40);
    while from > 0 && continuation(from) {
        from -= 1;
    }
    let mut to = (from + MAX_SHOWN).max(end).min(line.len());
    while to < line.len() && continuation(to) {
        to += 1;
    }
    (from, to)
}

fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// Terminal columns taken by `c`: 2 for East Asian wide and full-width characters, 0 for
/// combining marks and invisible format characters, 4 for a tab, else 1.
fn char_width(c: char) -> usize {
    let u = c as u32;
    match u {
        0x09 => 4,
        0x00..=0x08 | 0x0A..=0x1F | 0x7F => 0,
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F | 0xFEFF => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

fn digits(mut n: usize) -> usize {
    let mut d = 1;
    while n >= 10 {
        n /= 10;
        d += 1;
    }
    d
}

/// Renders findings as one JSON array (canonical JSON, RFC 8785), each element an object with
/// `code`, `rule` (the rule name), `severity` (`error` / `warning`), `file`, `line` and `column`
/// (1-based, `null` for whole-file findings), `message` and, when there is one, `note`.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let items: Vec<Value> = diagnostics
        .iter()
        .map(|d| {
            let num = |n: Option<usize>| {
                n.and_then(|n| i64::try_from(n).ok())
                    .map_or(Value::Null, Value::Int)
            };
            let mut members = alloc::vec![
                ("code", Value::str(d.code.as_str())),
                ("rule", Value::str(d.code.name())),
                ("severity", Value::str(d.severity.as_str())),
                ("file", Value::str(d.file.clone())),
                ("line", num(d.line())),
                ("column", num(d.column())),
                ("message", Value::str(d.message.clone())),
            ];
            if let Some(note) = &d.note {
                members.push(("note", Value::str(note.clone())));
            }
            Value::object(members)
        })
        .collect();
    json::to_canonical_string(&Value::Arr(items))
}
