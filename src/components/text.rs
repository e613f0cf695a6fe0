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

pub use consentry_web::text::{clean, is_hidden, safe_href};

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

/// A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation
/// forms); the Arabic comma and the Arabic-Indic digits are not letters: they stay inside a run.
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
        && !matches!(c, '\u{060C}' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// `s` cut into `(latin, text)` runs when it mixes right-to-left letters with Latin ones: each
/// Latin run goes from a Latin letter to the last Latin letter before the next right-to-left
/// one, with the full stops right after it (abbreviations: "Ltd."). One run (`false`) when
/// `s` has no right-to-left letter or no Latin one.
pub fn latin_runs(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    // Where the text not yet pushed starts, and the Latin run being read (start, end).
    let mut from = 0;
    let mut run: Option<(usize, usize)> = None;
    let mut rtl = false;
    fn close<'s>(
        s: &'s str,
        out: &mut Vec<(bool, &'s str)>,
        from: &mut usize,
        (a, mut e): (usize, usize),
    ) {
        while s.as_bytes().get(e) == Some(&b'.') {
            e += 1;
        }
        if a > *from {
            out.push((false, &s[*from..a]));
        }
        out.push((true, &s[a..e]));
        *from = e;
    }
    for (i, c) in s.char_indices() {
        if is_latin(c) {
            let a = run.map_or(i, |(a, _)| a);
            run = Some((a, i + c.len_utf8()));
        } else if is_rtl(c) {
            rtl = true;
            if let Some(r) = run.take() {
                close(s, &mut out, &mut from, r);
            }
        }
    }
    if let Some(r) = run.filter(|_| rtl) {
        close(s, &mut out, &mut from, r);
    }
    if !rtl || out.is_empty() {
        return vec![(false, s)];
    }
    if from < s.len() {
        out.push((false, &s[from..]));
    }
    out
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

#[cfg(test)]
mod tests {
    use super::latin_runs;

    #[test]
    fn latin_runs_inside_right_to_left_facts_are_cut_out_with_their_full_stops() {
        let s = "مركز لومن ويف (Lumenwave Centre Pte. Ltd.)، سنغافورة";
        assert_eq!(
            latin_runs(s),
            vec![
                (false, "مركز لومن ويف ("),
                (true, "Lumenwave Centre Pte. Ltd."),
                (false, ")، سنغافورة"),
            ]
        );
        let addr = "Examplestraat 1، 1000 AA Example City، هولندا";
        assert_eq!(
            latin_runs(addr),
            vec![
                (true, "Examplestraat 1، 1000 AA Example City"),
                (false, "، هولندا")
            ]
        );
        assert_eq!(latin_runs("Example Ltd."), vec![(false, "Example Ltd.")]);
        assert_eq!(latin_runs("شركة"), vec![(false, "شركة")]);
        let joined: String = latin_runs(s).into_iter().map(|(_, t)| t).collect();
        assert_eq!(joined, s, "nothing is lost or moved");
    }
}
