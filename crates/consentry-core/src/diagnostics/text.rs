//! Checks shared by `notice.toml` values and locale text: markup, invisible and
//! direction-changing characters, length. Text is shown as plain text by the widget whatever
//! it contains; these checks make sure a reviewer sees what a reader will see.

use alloc::string::String;

/// The first problem found in a piece of text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextProblem {
    /// Something that looks like an HTML tag or entity, e.g. `<script` or `&lt;`.
    Markup(String),
    /// An invisible character (zero-width space, joiner, word joiner, BOM, soft hyphen, …).
    Hidden(char),
    /// A bidirectional embedding, override or isolate control.
    Bidi(char),
    /// More characters than allowed (the count).
    TooLong(usize),
}

/// Whether `c` is invisible and has no place in notice text.
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{FEFF}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{3164}'
            | '\u{FFA0}'
    )
}

/// Whether `c` is a bidirectional embedding, override or isolate control (LRE, RLE, PDF,
/// LRO, RLO, LRI, RLI, FSI, PDI). The marks LRM and RLM are allowed.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The markup at the start of `rest` (which starts with `<` or `&`), if it looks like HTML.
fn markup_at(rest: &str) -> Option<&str> {
    let b = rest.as_bytes();
    match b.first()? {
        b'<' => {
            let next = *b.get(1)?;
            if next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?') {
                let end = rest
                    .char_indices()
                    .skip(1)
                    .find(|(_, c)| c.is_whitespace() || *c == '>')
                    .map_or(rest.len(), |(i, c)| if c == '>' { i + 1 } else { i });
                Some(&rest[..end.min(24)])
            } else {
                None
            }
        }
        b'&' => {
            let semi = rest[1..].find(';')? + 1;
            let name = &rest[1..semi];
            let ok = !name.is_empty()
                && name.len() <= 10
                && (name.bytes().all(|c| c.is_ascii_alphanumeric())
                    && name.as_bytes()[0].is_ascii_alphabetic()
                    || name.strip_prefix('#').is_some_and(|n| {
                        !n.is_empty()
                            && (n.bytes().all(|c| c.is_ascii_digit())
                                || n.strip_prefix(['x', 'X']).is_some_and(|h| {
                                    !h.is_empty() && h.bytes().all(|c| c.is_ascii_hexdigit())
                                }))
                    }));
            ok.then(|| &rest[..=semi])
        }
        _ => None,
    }
}

/// The first problem in `s`, with its byte offset in `s`; `max_chars` is the length limit.
pub fn text_problem_at(s: &str, max_chars: usize) -> Option<(usize, TextProblem)> {
    let mut count = 0;
    for (i, c) in s.char_indices() {
        count += 1;
        if is_bidi_control(c) {
            return Some((i, TextProblem::Bidi(c)));
        }
        if is_hidden(c) {
            return Some((i, TextProblem::Hidden(c)));
        }
        if (c == '<' || c == '&')
            && let Some(m) = markup_at(&s[i..])
        {
            return Some((i, TextProblem::Markup(m.into())));
        }
    }
    (count > max_chars).then_some((0, TextProblem::TooLong(count)))
}

/// The first problem in `s`; `max_chars` is the length limit.
pub fn text_problem(s: &str, max_chars: usize) -> Option<TextProblem> {
    text_problem_at(s, max_chars).map(|(_, p)| p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markup_hidden_and_bidi_characters() {
        let m = |s: &str| text_problem(s, 100);
        assert_eq!(
            m("<script>alert(1)</script>"),
            Some(TextProblem::Markup("<script>".into()))
        );
        assert_eq!(
            m("x <img src=x onerror=alert(1)>"),
            Some(TextProblem::Markup("<img".into()))
        );
        assert_eq!(m("a &lt; b"), Some(TextProblem::Markup("&lt;".into())));
        assert_eq!(m("&#x27;"), Some(TextProblem::Markup("&#x27;".into())));
        assert_eq!(m("a\u{200B}b"), Some(TextProblem::Hidden('\u{200B}')));
        assert_eq!(m("abc\u{202E}fed"), Some(TextProblem::Bidi('\u{202E}')));
        assert_eq!(m(&"x".repeat(101)), Some(TextProblem::TooLong(101)));
        // Ordinary text with < and & is fine, and so are the direction marks LRM / RLM.
        for ok in [
            "under < 14",
            "R&D support",
            "AT&T",
            "a & b",
            "\u{200F}(1)",
            "x <= 3",
        ] {
            assert_eq!(m(ok), None, "{ok}");
        }
        assert_eq!(
            text_problem_at("ab\u{2066}", 10),
            Some((2, TextProblem::Bidi('\u{2066}')))
        );
    }
}
