//! Rendering notice text: text nodes and links, never raw HTML.
//!
//! Every string of a notice reaches the page through [`text`] or [`rich`], which make it inert
//! and legible: it becomes a text node (markup such as `<script>` or `<img onerror>` is shown
//! as the characters it is, never parsed), links keep only `https:` and `mailto:` targets
//! ([`safe_href`]), and invisible formatting characters that could disguise the text are
//! removed ([`clean`]). The three rules are `consentry_web::text`'s, shared with the first
//! module's banner.

use consentry_core::bundle::{LocaleBundle, Rich, Span};
use yew::{AttrValue, Html, html};

pub use consentry_web::text::{clean, is_hidden, latin_runs, safe_href};

/// Notice text as one text node ([`clean`]ed).
pub fn text(s: &str) -> Html {
    html! { { clean(s).into_owned() } }
}

/// A name, address, e-mail address or number from the notice's facts, isolated from the text
/// around it (`<bdi>`, direction from its own first letter), and each Latin run inside a
/// right-to-left fact isolated left to right ([`latin_runs`]): "شركة … (Centre Pte. Ltd.)"
/// never shows as ".Centre Pte. Ltd", and no punctuation moves across a run's edge.
pub fn name(s: &str) -> Html {
    let s = clean(s);
    let runs = latin_runs(&s);
    if runs.len() < 2 {
        return html! { <bdi>{ s.into_owned() }</bdi> };
    }
    html! {
        <bdi>{ for runs.into_iter().map(|(latin, t)| if latin {
            html! { <bdi dir="ltr">{ t.to_owned() }</bdi> }
        } else {
            html! { { t.to_owned() } }
        }) }</bdi>
    }
}

/// A link: `<a class="cy-link" href dir="auto">` for an `https:` / `mailto:` target (isolated,
/// in the direction of its own text, as [`name`]), else its label as plain text.
pub fn link(href: &str, label: &str) -> Html {
    if safe_href(href) {
        html! { <a class="cy-link" href={href.to_owned()} dir="auto">{ text(label) }</a> }
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
            // Filled in before rendering (`consentry_web::text::fill`); one left is shown as
            // its name.
            Span::Var(name) => text(name),
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
