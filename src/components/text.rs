//! Rendering notice text: text nodes and links, never raw HTML.
//!
//! Every string of a notice reaches the page through [`text`] or [`rich`], which make it inert
//! and legible: it becomes a text node (markup such as `<script>` or `<img onerror>` is shown
//! as the characters it is, never parsed), links keep only `https:` and `mailto:` targets
//! ([`safe_href`]), and invisible formatting characters that could disguise the text are
//! removed ([`clean`]).

use std::borrow::Cow;

use consentry_core::bundle::{LocaleBundle, Rich, Span};
use yew::{AttrValue, Html, html};

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

/// Notice text as one text node ([`clean`]ed).
pub fn text(s: &str) -> Html {
    html! { { clean(s).into_owned() } }
}

/// A link: `<a class="cy-link" href>` for an `https:` / `mailto:` target, else its label as
/// plain text.
pub fn link(href: &str, label: &str) -> Html {
    if safe_href(href) {
        html! { <a class="cy-link" href={href.to_owned()}>{ text(label) }</a> }
    } else {
        text(label)
    }
}

/// Rich text as Yew nodes: each [`Span::Text`] a text node, each [`Span::Link`] a [`link`].
pub fn rich(r: &Rich) -> Html {
    r.0.iter()
        .map(|span| match span {
            Span::Text(t) => text(t),
            Span::Link { href, text: label } => link(href, label),
        })
        .collect()
}

/// The message `id` as rich text. A message the locale lacks (`consentry lint` reports it,
/// so a shipped notice has them all) shows its id rather than nothing, so no control is left
/// without a name.
pub fn message(bundle: &LocaleBundle, id: &str) -> Html {
    match bundle.message(id) {
        Some(r) => rich(r),
        None => html! { { id.to_owned() } },
    }
}

/// The message `id` as plain text (links reduced to their labels), for attributes and
/// `<option>`s.
pub fn message_plain(bundle: &LocaleBundle, id: &str) -> AttrValue {
    match bundle.message(id) {
        Some(r) => AttrValue::from(clean(&r.to_plain()).into_owned()),
        None => AttrValue::from(id.to_owned()),
    }
}

/// `a` + `b` + `c` as one string (ids and message keys, without `format!`).
pub fn cat(a: &str, b: &str, c: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + c.len());
    s.push_str(a);
    s.push_str(b);
    s.push_str(c);
    s
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
