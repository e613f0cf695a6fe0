//! Notice text made inert and legible, for both of the widget's modules: which link targets may
//! be links ([`safe_href`]), and which invisible characters are dropped ([`clean`]). Every
//! string of a notice reaches the page as a text node (never parsed as HTML) after [`clean`].

use std::borrow::Cow;

/// Whether a link target may be rendered as an `<a href>`: `https:` and `mailto:` (what
/// `consentry build` allows). Anything else (`javascript:`, `data:`, relative) renders as
/// plain text, as a second line of defence behind the digest check.
pub fn safe_href(href: &str) -> bool {
    let lower = href
        .trim_start()
        .get(..8)
        .unwrap_or("")
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Characters dropped from notice text: the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which can make text display in an order other than the
/// one it is read in (and spill into the widget's own labels), and invisible characters with
/// no place in prose (zero-width space U+200B, word joiner U+2060, invisible operators
/// U+2061–U+2064, Mongolian vowel separator U+180E, byte order mark U+FEFF). The marks real
/// Arabic and Persian text needs stay: LRM/RLM (U+200E/F), ZWNJ and ZWJ (U+200C/D).
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

/// `s` without the characters of [`is_hidden`] (borrowed when there are none).
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_hidden) {
        Cow::Owned(s.chars().filter(|c| !is_hidden(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_and_mailto_links_are_links() {
        assert!(safe_href("https://example.com/privacy"));
        assert!(safe_href("HTTPS://EXAMPLE.COM"));
        assert!(safe_href("mailto:dpo@example.com"));
        for bad in [
            "javascript:alert(1)",
            " javascript:x",
            "data:text/html,x",
            "/privacy",
            "http://x",
            "",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn bidi_controls_and_invisible_characters_are_dropped_marks_are_kept() {
        assert_eq!(clean("plain"), Cow::Borrowed("plain"));
        assert_eq!(
            clean("invoice\u{202E}fdp.exe\u{202C} x\u{200B}y\u{2066}z\u{2069}\u{FEFF}"),
            "invoicefdp.exe xyz"
        );
        // Joiners and direction marks that real text needs stay.
        let arabic = "\u{200F}نص\u{200C}عربي\u{200D}";
        assert_eq!(clean(arabic), arabic);
    }
}
