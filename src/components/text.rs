//! Rendering notice text: text nodes and links, never raw HTML.

use consentry_core::bundle::{LocaleBundle, Rich, Span};
use yew::{AttrValue, Html, html};

use crate::messages::fallback;

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

/// Rich text as Yew nodes: each [`Span::Text`] a text node (escaped), each [`Span::Link`] an
/// `<a class="cy-link" href>`.
pub fn rich(r: &Rich) -> Html {
    r.0.iter()
        .map(|span| match span {
            Span::Text(t) => html! { {t.clone()} },
            Span::Link { href, text } if safe_href(href) => html! {
                <a class="cy-link" href={href.clone()}>{text.clone()}</a>
            },
            Span::Link { text, .. } => html! { {text.clone()} },
        })
        .collect()
}

/// The message `id` as rich text. A widget message the locale does not define yet shows its
/// English text marked `lang="en"` ([`crate::messages`]); any other missing message (the
/// linter prevents it) shows its id rather than nothing, so no control is left without a name.
pub fn message(bundle: &LocaleBundle, id: &str) -> Html {
    match (bundle.message(id), fallback(id)) {
        (Some(r), _) => rich(r),
        (None, Some(en)) => html! { <span lang="en">{en}</span> },
        (None, None) => html! { {id.to_owned()} },
    }
}

/// The message `id` as plain text (links reduced to their labels), for attributes and
/// `<option>`s.
pub fn message_plain(bundle: &LocaleBundle, id: &str) -> AttrValue {
    match (bundle.message(id), fallback(id)) {
        (Some(r), _) => AttrValue::from(r.to_plain()),
        (None, Some(en)) => AttrValue::Static(en),
        (None, None) => AttrValue::from(id.to_owned()),
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
}
