//! Registered company names in text: a run of name words ending in a legal form (`Example
//! Chat Cloud Inc.`, `Lumenwave Networks Co., Ltd.`, `Lumenwave Networks (Schweiz) GmbH`,
//! `朗波网络有限公司`, `شركة لومن ويف نتوركس المحدودة`).
//!
//! Used where the notice must name the right company: a facts file's translation must give the
//! fact's own registered name and never another fact's (L007), and a purpose's text may only
//! name the companies that purpose has (K008).
//!
//! One pass over the text, a fixed table of legal forms, a bounded walk back over the name's
//! words: linear in the text, and no input makes it panic.

use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::text::is_han;

/// Legal forms written in Latin letters, as written (case matters: `AG`, not `ag`; a final
/// `.` is optional where the form is usually abbreviated).
const LATIN_FORMS: &[&str] = &[
    "Ltd",
    "Ltd.",
    "Limited",
    "Inc",
    "Inc.",
    "Incorporated",
    "LLC",
    "L.L.C.",
    "LLP",
    "Corp.",
    "Corporation",
    "Co.",
    "plc",
    "PLC",
    "GmbH",
    "AG",
    "KG",
    "SE",
    "B.V.",
    "BV",
    "N.V.",
    "NV",
    "S.A.",
    "SA",
    "S.A.S.",
    "SAS",
    "SARL",
    "S.A.R.L.",
    "S.à",
    "r.l.",
    "S.L.",
    "S.L.U.",
    "S.r.l.",
    "Srl",
    "S.p.A.",
    "SpA",
    "Ltda",
    "Ltda.",
    "Lda",
    "Lda.",
    "Pte",
    "Pte.",
    "Pty",
    "Pty.",
    "Oy",
    "AB",
    "A/S",
    "ApS",
    "ASA",
    "K.K.",
    "Sdn",
    "Bhd",
    "Bhd.",
];

/// Legal forms that end a name written in Han characters or in Arabic letters.
const OTHER_FORMS: &[&str] = &["有限责任公司", "有限責任公司", "有限公司", "المحدودة"];

/// Words that join the words of a name (`Bank of Example`, `Banco de Ejemplo`), never start it.
const CONNECTORS: &[&str] = &[
    "&", "and", "of", "de", "du", "des", "der", "la", "y", "e", "et", "und", "van", "von", "da",
    "do", "dos", "del",
];

/// Capitalised words that start a sentence or a phrase rather than a name.
const STOP_WORDS: &[&str] = &[
    "the", "a", "an", "our", "your", "their", "its", "this", "these", "that", "we", "you", "if",
    "when", "with", "by", "for", "from", "to", "via", "el", "los", "las", "le", "les", "l’", "l'",
    "un", "une", "uma", "um", "o", "os", "as", "die", "das", "den", "dem", "ein", "eine",
    "nuestra", "nuestro", "notre", "nos", "nossa", "nosso", "si", "se", "con", "avec", "com",
    "por", "par", "para", "pour", "à", "a la", "al", "au", "aux",
];

/// Longest name read, in words before the legal form.
const MAX_WORDS: usize = 12;
/// Longest name read before a Han or Arabic legal form, in characters.
const MAX_OTHER_CHARS: usize = 40;

/// A registered name found in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Name {
    /// Byte range of the name, legal form included.
    pub range: Range<usize>,
    /// The name as written.
    pub text: String,
    /// Written in Latin letters (compared by [`key`]); otherwise in Han or Arabic script
    /// (compared by [`same_other`]).
    pub latin: bool,
}

/// Whether `c` separates Latin words of a name as a word of another script does.
fn other_script(c: char) -> bool {
    let u = c as u32;
    is_han(c)
        || (0x0600..=0x06FF).contains(&u)
        || (0x0750..=0x077F).contains(&u)
        || (0x3000..=0x30FF).contains(&u)
        || (0xAC00..=0xD7AF).contains(&u)
        || (0xFF00..=0xFFEF).contains(&u)
}

/// A whitespace-separated word: byte range of its core (punctuation around it left out),
/// whether an opening bracket starts it, and whether a clause ends after it.
#[derive(Clone, Debug)]
struct Word {
    core: Range<usize>,
    opens: bool,
    /// A closing bracket after the core.
    closes: bool,
    /// `,` `;` `:` after the core (a name does not run across it, a compound form does).
    comma: bool,
    /// Another script or a sentence end right before the word: a name does not run back
    /// across it.
    hard_before: bool,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut hard = true;
    let flush = |s: usize, e: usize, hard: bool, out: &mut Vec<Word>| {
        let w = &text[s..e];
        let lead = w.len() - w.trim_start_matches(['(', '[', '"', '“', '‘', '«']).len();
        let opens = lead > 0;
        let body = &w[lead..];
        let trimmed =
            body.trim_end_matches([')', ']', '"', '”', '’', '»', ',', ';', ':', '!', '?']);
        let after = &body[trimmed.len()..];
        let comma = after.contains([',', ';', ':']);
        let closes = after.contains([')', ']']);
        if !trimmed.is_empty() {
            out.push(Word {
                core: s + lead..s + lead + trimmed.len(),
                opens,
                closes,
                comma,
                hard_before: hard,
            });
        }
    };
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || other_script(c) {
            if let Some(s) = start.take() {
                flush(s, i, hard, &mut out);
                hard = false;
            }
            if other_script(c) {
                hard = true;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        flush(s, text.len(), hard, &mut out);
    }
    out
}

/// A legal form, also with a sentence's full stop after it (`… GmbH & Co. KG.`).
pub(crate) fn is_form(w: &str) -> bool {
    LATIN_FORMS.contains(&w)
        || w.strip_suffix('.')
            .is_some_and(|x| LATIN_FORMS.contains(&x))
}

/// A word that can be part of a name: it has a capital letter or starts with a digit (or is
/// a bracketed word of such, `(Schweiz)`).
fn name_word(w: &str) -> bool {
    let w = w.trim_start_matches('(').trim_end_matches(')');
    w.chars().any(char::is_uppercase) || w.chars().next().is_some_and(|c| c.is_ascii_digit())
}

/// Every registered name in `text`, in text order.
pub(crate) fn registered_names(text: &str) -> Vec<Name> {
    let mut out = latin_names(text);
    out.extend(other_names(text));
    out.sort_by_key(|n| n.range.start);
    out
}

fn latin_names(text: &str) -> Vec<Name> {
    let ws = words(text);
    let mut out = Vec::new();
    let mut i = 0;
    while i < ws.len() {
        let core = &text[ws[i].core.clone()];
        if !is_form(core) || i == 0 {
            i += 1;
            continue;
        }
        // The form may take several words: `Co., Ltd.`, `Pte. Ltd.`, `GmbH & Co. KG`.
        let mut end = i;
        while end + 1 < ws.len() && !ws[end + 1].hard_before {
            let next = &text[ws[end + 1].core.clone()];
            if is_form(next) {
                end += 1;
            } else if next == "&"
                && end + 2 < ws.len()
                && is_form(&text[ws[end + 2].core.clone()])
                && !ws[end + 2].hard_before
            {
                end += 2;
            } else {
                break;
            }
        }
        // A form word that runs on into a capitalised word (`Limited Edition`, `X5 SE
        // Router`) is part of another phrase, not a legal form.
        let last = &text[ws[end].core.clone()];
        if !last.ends_with('.')
            && !ws[end].comma
            && !ws[end].closes
            && ws
                .get(end + 1)
                .is_some_and(|w| !w.hard_before && name_word(&text[w.core.clone()]))
        {
            i = end + 1;
            continue;
        }
        // The name's words, back from the form.
        let mut first = None;
        let mut k = i;
        let mut taken = 0;
        while k > 0 && taken < MAX_WORDS {
            if ws[k].hard_before {
                break;
            }
            let w = &ws[k - 1];
            if w.comma {
                break;
            }
            let t = &text[w.core.clone()];
            let lower = t.to_lowercase();
            if CONNECTORS.contains(&lower.as_str()) {
                k -= 1;
                taken += 1;
                continue;
            }
            // Stop words, lower-case words and the end of an earlier name.
            if STOP_WORDS.contains(&lower.as_str()) || !name_word(t) || is_form(t) {
                break;
            }
            first = Some(k - 1);
            k -= 1;
            taken += 1;
            // The bracket that opens the name (`(Lumenwave Networks (Schweiz) GmbH)`).
            if w.opens && !w.closes {
                break;
            }
        }
        if let Some(f) = first {
            let range = ws[f].core.start..ws[end].core.end;
            out.push(Name {
                text: text[range.clone()].into(),
                range,
                latin: true,
            });
        }
        i = end + 1;
    }
    out
}

fn other_names(text: &str) -> Vec<Name> {
    let mut out: Vec<Name> = Vec::new();
    for form in OTHER_FORMS {
        let arabic = !form.chars().any(is_han);
        let mut from = 0;
        while let Some(pos) = text[from..].find(form) {
            let s = from + pos;
            let e = s + form.len();
            from = e;
            // A shorter form inside a longer one already found (有限公司 in 有限责任公司).
            if out.iter().any(|n| n.range.start <= s && e <= n.range.end) {
                continue;
            }
            let mut start = s;
            for (count, (i, c)) in text[..s].char_indices().rev().enumerate() {
                let ok = if arabic {
                    (0x0600..=0x06FF).contains(&(c as u32)) && !matches!(c, '،' | '؛' | '؟')
                        || c == ' '
                } else {
                    is_han(c)
                };
                if !ok || count >= MAX_OTHER_CHARS {
                    break;
                }
                start = i;
            }
            let start = start + (text[start..s].len() - text[start..s].trim_start().len());
            if start == s {
                continue;
            }
            out.push(Name {
                text: text[start..e].into(),
                range: start..e,
                latin: false,
            });
        }
    }
    out
}

/// How a Latin name compares: lower case, without spaces (`Co.,Ltd.` and `Co., Ltd.` alike).
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the Latin name `name` is written in `text` (compared by [`key`]).
pub(crate) fn latin_in(name: &str, text: &str) -> bool {
    let k = key(name);
    !k.is_empty() && key(text).contains(&k)
}

/// Whether two names in Han or Arabic script name the same company: one ends with the other,
/// and they share more than the legal form.
pub(crate) fn same_other(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let form = OTHER_FORMS
        .iter()
        .filter(|f| short.ends_with(*f))
        .map(|f| f.chars().count())
        .max()
        .unwrap_or(0);
    short.chars().count() >= form + 2 && long.ends_with(short)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    fn names(t: &str) -> Vec<String> {
        registered_names(t).into_iter().map(|n| n.text).collect()
    }

    #[test]
    fn latin_names_end_in_a_legal_form() {
        assert_eq!(
            names("Example Chat Cloud Inc. (chat platform)"),
            vec!["Example Chat Cloud Inc."]
        );
        assert_eq!(
            names("Lumenwave Networks Co., Ltd."),
            vec!["Lumenwave Networks Co., Ltd."]
        );
        assert_eq!(
            names("Lumenwave Global Technical Assistance Centre Pte. Ltd., Singapore"),
            vec!["Lumenwave Global Technical Assistance Centre Pte. Ltd."]
        );
        assert_eq!(
            names("لومن ويف نتوركس سويسرا (Lumenwave Networks (Schweiz) GmbH)"),
            vec!["Lumenwave Networks (Schweiz) GmbH"]
        );
        assert_eq!(
            names("并向广告合作方 Example Analytics Ltd. 提供"),
            vec!["Example Analytics Ltd."]
        );
        assert_eq!(
            names("Example Ads Network Inc.（在其他网站上展示我们的广告）"),
            vec!["Example Ads Network Inc."]
        );
        assert_eq!(
            names("We give it to the Bank of Example AG and Acme GmbH & Co. KG."),
            vec!["Bank of Example AG", "Acme GmbH & Co. KG."]
        );
        assert_eq!(
            names("permitimos que Example Ads Network Inc. reconozca"),
            vec!["Example Ads Network Inc."]
        );
        // A form word inside another phrase.
        assert!(names("our Lumenwave X5 SE Router and the Lumenwave Limited Edition").is_empty());
        assert_eq!(names("Example Ltd. Singapore"), vec!["Example Ltd."]);
        // A word of another script, or a bracket, ends the name before it.
        assert_eq!(names("Acme 向 Example Ltd. 提供"), vec!["Example Ltd."]);
        assert_eq!(
            names("Partner (Lumenwave Networks GmbH)"),
            vec!["Lumenwave Networks GmbH"]
        );
    }

    #[test]
    fn ordinary_words_are_no_names() {
        // Lower case before the form, a form alone, a sentence start.
        assert!(names("we sell as a co. of people").is_empty());
        assert!(names("Ltd. is short for limited").is_empty());
        assert!(names("The SE region").is_empty());
        assert!(names("If you agree, we keep it for 90 days.").is_empty());
        assert!(names("Co-browsing with our Inc").is_empty());
    }

    #[test]
    fn han_and_arabic_names() {
        assert_eq!(names("朗波网络有限公司"), vec!["朗波网络有限公司"]);
        assert_eq!(
            names(
                "朗波全球技术支持中心私人有限公司（Lumenwave Global Technical Assistance Centre Pte. Ltd.），新加坡"
            ),
            vec![
                "朗波全球技术支持中心私人有限公司",
                "Lumenwave Global Technical Assistance Centre Pte. Ltd."
            ]
        );
        assert_eq!(names("示例有限责任公司"), vec!["示例有限责任公司"]);
        assert_eq!(
            names("شركة لومن ويف نتوركس المحدودة (Lumenwave Networks Co., Ltd.)"),
            vec![
                "شركة لومن ويف نتوركس المحدودة",
                "Lumenwave Networks Co., Ltd."
            ]
        );
        assert!(names("有限公司").is_empty());
        assert!(same_other("并向朗波网络有限公司", "朗波网络有限公司"));
        assert!(!same_other("示例有限公司", "朗波网络有限公司"));
        assert!(!same_other("有限公司", "朗波网络有限公司"));
    }

    #[test]
    fn comparison_ignores_case_and_spaces() {
        assert!(latin_in(
            "Lumenwave Networks Co.,Ltd.",
            "Lumenwave Networks Co., Ltd."
        ));
        assert!(latin_in(
            "Example Chat Cloud Inc.",
            "Example Chat Cloud Inc. (chat platform)"
        ));
        assert!(!latin_in(
            "Example Voice Services Ltd.",
            "Example Chat Cloud Inc. (chat platform)"
        ));
        assert!(!latin_in("", "x"));
    }

    #[test]
    fn hostile_text_is_read_in_one_pass() {
        let t = "Ltd. ".repeat(20_000) + &"有限公司".repeat(10_000) + "(((( GmbH))))";
        let _ = registered_names(&t);
        let t = "B ".repeat(50_000) + "Inc.";
        assert_eq!(registered_names(&t).len(), 1);
        for s in ["(", ")", "&", "Co.,", "S.à r.l.", "\u{0}Inc.", "的有限公司"] {
            let _ = registered_names(s);
        }
    }
}
