//! Text into HTML and SVG, escaped: the one escaper of the evidence report and its charts.

use alloc::string::String;

/// Appends `s` with `& < > " '` escaped, safe in element content and in quoted attributes.
pub fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}
