//! Text analysis per language: sentences, numbers and durations, e-mail addresses, URLs,
//! acronyms, negation and country names.
//!
//! Everything here is linear in the text (a constant number of passes, table look-ups keyed by
//! the first character), never panics on any input and knows English, Spanish, French,
//! Portuguese, Chinese and Arabic; other languages get the language-independent parts
//! (digits in every script, e-mails, URLs, acronyms, sentence ends) and no word lists.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

/// A language the analysis has word lists for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lang {
    En,
    Es,
    Fr,
    Pt,
    Zh,
    Ar,
    /// Any other language: digits, addresses and acronyms only.
    Other,
}

impl Lang {
    /// The language of a primary language subtag (`zh` for `zh-CN`).
    pub(crate) fn of(language: &str) -> Lang {
        match language {
            "en" => Lang::En,
            "es" => Lang::Es,
            "fr" => Lang::Fr,
            "pt" => Lang::Pt,
            "zh" => Lang::Zh,
            "ar" => Lang::Ar,
            _ => Lang::Other,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Characters

/// The value of a decimal digit in any of the scripts notices use: ASCII, Arabic-Indic
/// (٠–٩), Eastern Arabic-Indic (۰–۹) and fullwidth (０–９).
pub(crate) fn digit_value(c: char) -> Option<u32> {
    let u = c as u32;
    match u {
        0x30..=0x39 => Some(u - 0x30),
        0x660..=0x669 => Some(u - 0x660),
        0x6F0..=0x6F9 => Some(u - 0x6F0),
        0xFF10..=0xFF19 => Some(u - 0xFF10),
        _ => None,
    }
}

/// A Han ideograph (or an ideographic numeral such as 〇).
pub(crate) fn is_han(c: char) -> bool {
    let u = c as u32;
    (0x4E00..=0x9FFF).contains(&u)
        || (0x3400..=0x4DBF).contains(&u)
        || (0x20000..=0x2FA1F).contains(&u)
        || u == 0x3007
}

fn is_arabic_letter(c: char) -> bool {
    let u = c as u32;
    ((0x0620..=0x064A).contains(&u) || (0x066E..=0x06D3).contains(&u) || u == 0x0621)
        && digit_value(c).is_none()
}

/// Arabic diacritics (harakat, tanween, shadda, sukun, superscript alef) and the tatweel.
pub(crate) fn is_arabic_mark(c: char) -> bool {
    let u = c as u32;
    (0x064B..=0x065F).contains(&u) || u == 0x0670 || u == 0x0640
}

/// A letter that belongs to a word (not Han: every Han character stands alone).
fn is_word_char(c: char) -> bool {
    (c.is_alphabetic() && !is_han(c)) || is_arabic_mark(c) || c.is_ascii_digit()
}

/// A Latin word with its common accents removed, lower case (`días` → `dias`).
fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// One character folded as [`fold`] does (accents removed, one alef, no Arabic marks, lower
/// case), appended to `out`.
pub(crate) fn fold_char(c: char, out: &mut String) {
    {
        let c = match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'Á' | 'À' | 'Â' | 'Ã' | 'Ä' => 'a',
            'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' | 'Í' | 'Ì' | 'Î' | 'Ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'Ó' | 'Ò' | 'Ô' | 'Õ' | 'Ö' => 'o',
            'ú' | 'ù' | 'û' | 'ü' | 'Ú' | 'Ù' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            // Arabic: one alef, no marks.
            'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
            c if is_arabic_mark(c) => return,
            c => c,
        };
        out.extend(c.to_lowercase());
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Letters (Latin, Arabic, …), folded.
    Word(String),
    /// A number written in digits of any script, normalised (`1000`, `3.5`).
    Number(String),
    /// One Han character.
    Han(char),
    /// Anything else that is not a space.
    Punct(char),
}

#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub kind: Kind,
    pub range: Range<usize>,
    /// Whether a space came before it.
    pub spaced: bool,
}

/// Splits `text` into tokens; characters inside `skip` (e-mails, URLs) are left out.
pub(crate) fn tokens(text: &str, skip: &[Range<usize>]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut spaced = true;
    let mut skip_i = 0;
    while let Some((i, c)) = it.next() {
        while skip_i < skip.len() && skip[skip_i].end <= i {
            skip_i += 1;
        }
        if skip_i < skip.len() && skip[skip_i].start <= i {
            spaced = false;
            continue;
        }
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let start = i;
        let kind = if digit_value(c).is_some() {
            let mut s = String::new();
            s.push(char::from_digit(digit_value(c).unwrap_or(0), 10).unwrap_or('0'));
            let mut end = i + c.len_utf8();
            // Digits, with , . ٫ ٬ between digits.
            loop {
                match it.peek().copied() {
                    Some((j, d)) if digit_value(d).is_some() => {
                        s.push(char::from_digit(digit_value(d).unwrap_or(0), 10).unwrap_or('0'));
                        end = j + d.len_utf8();
                        it.next();
                    }
                    Some((j, sep @ (',' | '.' | '٫' | '٬'))) => {
                        let rest = &text[j + sep.len_utf8()..];
                        let run: usize = rest
                            .chars()
                            .take_while(|d| digit_value(*d).is_some())
                            .count();
                        if run == 0 {
                            break;
                        }
                        // Thousands: exactly three digits follow; else a decimal point.
                        if !(run == 3 && sep != '٫') {
                            s.push('.');
                        }
                        end = j + sep.len_utf8();
                        it.next();
                    }
                    _ => break,
                }
            }
            let _ = end;
            Kind::Number(s)
        } else if is_han(c) {
            Kind::Han(c)
        } else if is_word_char(c) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = it.peek() {
                if is_word_char(d) && digit_value(d).is_none() || d.is_ascii_digit() {
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            Kind::Word(fold(&text[start..end]))
        } else {
            Kind::Punct(c)
        };
        let end = match it.peek() {
            Some(&(j, _)) => j,
            None => text.len(),
        };
        // Trailing spaces are not part of the token.
        let end = start + text[start..end].trim_end().len();
        out.push(Token {
            kind,
            range: start..end.max(start + c.len_utf8()),
            spaced,
        });
        spaced = false;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Addresses

/// E-mail addresses in `text`: byte range and the address in lower case.
pub(crate) fn emails(text: &str) -> Vec<(Range<usize>, String)> {
    let b = text.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || b"._%+-".contains(&c);
    let domain = |c: u8| c.is_ascii_alphanumeric() || c == b'.' || c == b'-';
    let mut out: Vec<(Range<usize>, String)> = Vec::new();
    for (at, _) in text.match_indices('@') {
        if out.last().is_some_and(|(r, _)| r.end > at) {
            continue;
        }
        let mut s = at;
        while s > 0 && local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && domain(b[e]) {
            e += 1;
        }
        while e > at + 1 && (b[e - 1] == b'.' || b[e - 1] == b'-') {
            e -= 1;
        }
        while s < at && b[s] == b'.' {
            s += 1;
        }
        let dom = &text[at + 1..e];
        if s == at || !dom.contains('.') || dom.starts_with('.') {
            continue;
        }
        out.push((s..e, text[s..e].to_ascii_lowercase()));
    }
    out
}

/// URLs (`https://…`, `http://…`, `www.…`) and bare domain names (`example.com`) in `text`:
/// byte range and the text as written.
pub(crate) fn urls(text: &str) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts_word =
            i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'@' || b[i - 1] == b'.');
        if !starts_word || !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let scheme = rest.starts_with("https://") || rest.starts_with("http://");
        let mut e = i;
        while e < b.len()
            && !b[e].is_ascii_whitespace()
            && b[e] < 0x80
            && !b"\"'<>()[]{}".contains(&b[e])
        {
            e += 1;
        }
        while e > i && b".,;:!?".contains(&b[e - 1]) {
            e -= 1;
        }
        let cand = &text[i..e];
        let is_url = if scheme {
            cand.len() > 8
        } else {
            looks_like_domain(cand)
        };
        if is_url && !cand.contains('@') {
            out.push((i..e, cand.to_string()));
            i = e.max(i + 1);
        } else {
            // Skip the rest of this word.
            let mut j = i + 1;
            while j < b.len()
                && (b[j].is_ascii_alphanumeric() || b[j] == b'@' || b[j] == b'.' || b[j] == b'-')
            {
                j += 1;
            }
            i = j;
        }
    }
    out
}

/// `example.com`, `www.example.com/privacy`: lower-case labels with a final label of 2+
/// letters, optionally followed by a path.
pub(crate) fn looks_like_domain(s: &str) -> bool {
    let host = s.split('/').next().unwrap_or(s);
    let labels: Vec<&str> = host.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.bytes()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        })
        && labels
            .last()
            .is_some_and(|t| t.len() >= 2 && t.bytes().all(|c| c.is_ascii_lowercase()))
        && labels.iter().any(|l| l.len() >= 2)
}

/// A phone number: `+` or a digit, then at least 7 digits among digits, spaces, `-`, `.`,
/// `(` `)`.
pub(crate) fn looks_like_phone(s: &str) -> bool {
    let s = s.trim();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    digits >= 7
        && s.starts_with(|c: char| c == '+' || c == '(' || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || " -.()+\u{a0}".contains(c))
}

// ---------------------------------------------------------------------------------------------
// Acronyms and tokens that must survive translation

/// Acronyms (`GDPR`, `CCPA`: 3+ ASCII capitals or digits with 2+ capitals) and Latin tokens
/// with digits (`4G`, `ISO27001`), with their ranges.
pub(crate) fn acronyms(text: &str, skip: &[Range<usize>]) -> Vec<(Range<usize>, String)> {
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_alphanumeric() {
            i += 1;
        }
        // Part of a longer word in another script (`Ça`), or of an address.
        let glued = |at: usize| {
            text[at..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() && !c.is_ascii() && !is_han(c))
        };
        let before_glued = start > 0
            && text[..start]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphabetic() && !c.is_ascii() && !is_han(c));
        if before_glued
            || (i < b.len() && glued(i))
            || skip.iter().any(|r| r.start <= start && start < r.end)
        {
            continue;
        }
        let w = &text[start..i];
        let upper = w.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = w.bytes().filter(u8::is_ascii_lowercase).count();
        let digits = w.bytes().filter(u8::is_ascii_digit).count();
        let acronym = w.len() >= 3 && lower == 0 && upper >= 2;
        let with_digits = digits > 0 && upper + lower > 0 && !is_ordinal_suffix(w);
        if acronym || with_digits {
            out.push((start..i, w.to_string()));
        }
    }
    out
}

/// `1st`, `2nd`, `3e`, `1er`, `2º`: ordinals are numbers, not names.
fn is_ordinal_suffix(w: &str) -> bool {
    let letters = w.trim_start_matches(|c: char| c.is_ascii_digit());
    w.starts_with(|c: char| c.is_ascii_digit())
        && matches!(
            letters,
            "st" | "nd" | "rd" | "th" | "e" | "er" | "re" | "eme" | "o" | "a"
        )
}

// ---------------------------------------------------------------------------------------------
// Sentences

const ABBREVIATIONS: &[&str] = &[
    "ltd", "pte", "inc", "co", "corp", "llc", "plc", "gmbh", "bv", "b.v", "nv", "sa", "s.a", "e.g",
    "i.e", "eg", "ie", "etc", "vs", "no", "nr", "art", "arts", "mr", "mrs", "ms", "dr", "st", "p",
    "pp", "cf", "approx", "dept", "ca", "sr", "sra", "av", "ex", "núm", "pág", "apdo", "cía",
    "ltda", "s.l", "sl", "mme", "m", "n°", "no°", "u.s", "u.k", "ee.uu", "ee", "uu",
];

/// Sentence ends: `.` `!` `?` `…` and their CJK and Arabic forms. A `.` ends a sentence only
/// before a space (or the end), not after an abbreviation (`Ltd.`, `e.g.`) or a single
/// letter; `。！？` always do. Closing quotes and brackets stay with their sentence.
/// Returns the byte ranges of non-empty sentences.
pub(crate) fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let ends = match c {
            '。' | '！' | '？' | '؟' | '!' | '?' | '…' => true,
            '.' => {
                let next = chars.get(k + 1).map(|x| x.1);
                let followed_by_space = next.is_none_or(|n| n.is_whitespace() || is_closing(n));
                followed_by_space && !abbreviation_before(text, i)
            }
            _ => false,
        };
        if !ends {
            k += 1;
            continue;
        }
        // Take repeated terminators and closing quotes/brackets with the sentence.
        let mut e = k + 1;
        while e < chars.len()
            && (is_closing(chars[e].1)
                || matches!(chars[e].1, '.' | '!' | '?' | '。' | '！' | '？' | '؟' | '…'))
        {
            e += 1;
        }
        // A Latin `!`/`?`/`…` only ends a sentence before a space or the end.
        let end = chars.get(e).map_or(text.len(), |x| x.0);
        let latin = matches!(c, '!' | '?' | '…' | '.');
        if latin && chars.get(e).is_some_and(|x| !x.1.is_whitespace()) {
            k = e;
            continue;
        }
        push_sentence(text, start..end, &mut out);
        start = end;
        k = e;
    }
    push_sentence(text, start..text.len(), &mut out);
    out
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '”' | '’' | '»' | '」' | '』' | ')' | '）' | ']' | '】' | '›'
    )
}

fn push_sentence(text: &str, r: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[r.clone()];
    // Only whitespace: nothing to keep (trimming both ends would cross over).
    if s.trim().is_empty() {
        return;
    }
    let lead = s.len() - s.trim_start().len();
    let r = r.start + lead..r.start + s.trim_end().len();
    // Only punctuation or symbols: not a sentence of its own (attach to the previous one).
    if text[r.clone()].chars().any(|c| c.is_alphanumeric()) {
        out.push(r);
    } else if let Some(last) = out.last_mut() {
        last.end = r.end.max(last.end);
    }
}

/// Whether the `.` at byte `dot` ends an abbreviation or an initial (`Ltd.`, `e.g.`, `J.`).
fn abbreviation_before(text: &str, dot: usize) -> bool {
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace() || matches!(c, '(' | '"' | '“' | '«'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    let lower = word.to_lowercase();
    let single = word.chars().count() == 1 && word.chars().all(char::is_alphabetic);
    single || ABBREVIATIONS.contains(&lower.as_str()) || (lower.contains('.') && lower.len() <= 6)
}

/// Sentences after joining a short question that leads into the next sentence ("Questions?
/// Write to …"): translations often make them one sentence.
pub(crate) fn units(text: &str) -> Vec<Range<usize>> {
    let mut s = sentences(text);
    let mut k = 0;
    while k + 1 < s.len() {
        let t = &text[s[k].clone()];
        let question = t.ends_with(['?', '？', '؟']);
        let words = t.split_whitespace().count();
        let han = t.chars().filter(|c| is_han(*c)).count();
        if question && words <= 4 && han <= 8 {
            let end = s[k + 1].end;
            s[k].end = end;
            s.remove(k + 1);
        } else {
            k += 1;
        }
    }
    s
}

/// Length of a text for comparing translations: characters that are not spaces or
/// punctuation.
pub(crate) fn weight(text: &str) -> usize {
    text.chars().filter(|c| c.is_alphanumeric()).count()
}

// ---------------------------------------------------------------------------------------------
// Numbers and durations

/// A unit of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
}

/// A number in text, with a unit of time if it is a duration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Quantity {
    /// Normalised value: ASCII digits, `.` for decimals.
    pub value: String,
    pub unit: Option<Unit>,
    /// Byte range in the analysed text.
    pub range: Range<usize>,
}

impl Quantity {
    /// A key under which equal amounts compare equal: `P1Y` and `P12M` alike, `P1W` and `P7D`.
    pub(crate) fn key(&self) -> String {
        let Some(unit) = self.unit else {
            return self.value.clone();
        };
        let n: Option<u64> = self.value.parse().ok();
        match (unit, n) {
            (Unit::Year, Some(n)) => alloc::format!("M{}", n * 12),
            (Unit::Month, Some(n)) => alloc::format!("M{n}"),
            (Unit::Week, Some(n)) => alloc::format!("D{}", n * 7),
            (Unit::Day, Some(n)) => alloc::format!("D{n}"),
            (Unit::Hour, Some(n)) => alloc::format!("H{n}"),
            (u, None) => alloc::format!("{u:?}{}", self.value),
        }
    }

    /// As written in ISO 8601 (`P90D`, `PT24H`), or the bare number.
    pub(crate) fn describe(&self) -> String {
        match self.unit {
            None => self.value.clone(),
            Some(Unit::Hour) => alloc::format!("PT{}H", self.value),
            Some(u) => alloc::format!(
                "P{}{}",
                self.value,
                match u {
                    Unit::Year => 'Y',
                    Unit::Month => 'M',
                    Unit::Week => 'W',
                    _ => 'D',
                }
            ),
        }
    }
}

fn unit_word(lang: Lang, w: &str) -> Option<Unit> {
    use Unit::*;
    let latin = |w: &str| match w {
        "year" | "years" | "yr" | "yrs" => Some((Year, Lang::En)),
        "month" | "months" => Some((Month, Lang::En)),
        "week" | "weeks" => Some((Week, Lang::En)),
        "day" | "days" => Some((Day, Lang::En)),
        "hour" | "hours" | "hrs" => Some((Hour, Lang::En)),
        "ano" | "anos" => Some((Year, Lang::Pt)), // es años folds to anos too
        "mes" | "meses" => Some((Month, Lang::Es)),
        "semana" | "semanas" => Some((Week, Lang::Es)),
        "dia" | "dias" => Some((Day, Lang::Es)),
        "hora" | "horas" => Some((Hour, Lang::Es)),
        "an" | "ans" | "annee" | "annees" => Some((Year, Lang::Fr)),
        "mois" => Some((Month, Lang::Fr)),
        "semaine" | "semaines" => Some((Week, Lang::Fr)),
        "jour" | "jours" => Some((Day, Lang::Fr)),
        "heure" | "heures" => Some((Hour, Lang::Fr)),
        _ => None,
    };
    let ar = |w: &str| match strip_ar_prefix(w, |x| ar_unit(x).is_some()) {
        Some(x) => ar_unit(x).map(|(u, _)| u),
        None => None,
    };
    match lang {
        Lang::Ar => ar(w),
        Lang::Zh => None,
        Lang::Other => latin(w).map(|x| x.0).or_else(|| ar(w)),
        l => match latin(w) {
            // `an` is a year only in French; `mes` a month only in Spanish and Portuguese.
            Some((u, Lang::Fr)) if l != Lang::Fr && w == "an" => {
                let _ = u;
                None
            }
            Some((_, _)) if l == Lang::Fr && w == "mes" => None,
            Some((u, _)) => Some(u),
            None => None,
        },
    }
}

/// Arabic unit words (folded): the unit and how many a dual form means (2) or 0.
fn ar_unit(w: &str) -> Option<(Unit, u8)> {
    use Unit::*;
    Some(match w {
        "سنة" | "سنه" | "سنوات" | "سنين" | "عام" | "اعوام" | "عاما" | "سنوية" => {
            (Year, 0)
        }
        "سنتين" | "سنتان" | "عامين" | "عامان" => (Year, 2),
        "شهر" | "اشهر" | "شهور" | "شهرا" => (Month, 0),
        "شهرين" | "شهران" => (Month, 2),
        "اسبوع" | "اسابيع" | "اسبوعا" => (Week, 0),
        "اسبوعين" | "اسبوعان" => (Week, 2),
        "يوم" | "ايام" | "يوما" => (Day, 0),
        "يومين" | "يومان" => (Day, 2),
        "ساعة" | "ساعه" | "ساعات" => (Hour, 0),
        "ساعتين" | "ساعتان" => (Hour, 2),
        _ => return None,
    })
}

/// An Arabic word, or the word without a one-letter prefix (و ب ل ف ك), that `ok` accepts.
fn strip_ar_prefix(w: &str, ok: impl Fn(&str) -> bool) -> Option<&str> {
    if ok(w) {
        return Some(w);
    }
    let mut cs = w.chars();
    match cs.next() {
        Some('و' | 'ب' | 'ل' | 'ف' | 'ك') if w.chars().count() >= 3 && ok(cs.as_str()) => {
            Some(cs.as_str())
        }
        _ => None,
    }
}

/// Number words that can stand before a unit of time.
fn number_word(lang: Lang, w: &str) -> Option<u64> {
    let v = match lang {
        Lang::En => match w {
            "one" => 1,
            "two" => 2,
            "three" => 3,
            "four" => 4,
            "five" => 5,
            "six" => 6,
            "seven" => 7,
            "eight" => 8,
            "nine" => 9,
            "ten" => 10,
            "eleven" => 11,
            "twelve" => 12,
            "thirteen" => 13,
            "fourteen" => 14,
            "fifteen" => 15,
            "sixteen" => 16,
            "eighteen" => 18,
            "twenty" => 20,
            "thirty" => 30,
            "forty" => 40,
            "fifty" => 50,
            "sixty" => 60,
            "seventy" => 70,
            "eighty" => 80,
            "ninety" => 90,
            "hundred" => 100,
            _ => return None,
        },
        Lang::Es => match w {
            "un" | "uno" | "una" => 1,
            "dos" => 2,
            "tres" => 3,
            "cuatro" => 4,
            "cinco" => 5,
            "seis" => 6,
            "siete" => 7,
            "ocho" => 8,
            "nueve" => 9,
            "diez" => 10,
            "once" => 11,
            "doce" => 12,
            "trece" => 13,
            "catorce" => 14,
            "quince" => 15,
            "dieciocho" => 18,
            "veinte" => 20,
            "treinta" => 30,
            "cuarenta" => 40,
            "cincuenta" => 50,
            "sesenta" => 60,
            "setenta" => 70,
            "ochenta" => 80,
            "noventa" => 90,
            "cien" | "ciento" => 100,
            _ => return None,
        },
        Lang::Fr => match w {
            "un" | "une" => 1,
            "deux" => 2,
            "trois" => 3,
            "quatre" => 4,
            "cinq" => 5,
            "six" => 6,
            "sept" => 7,
            "huit" => 8,
            "neuf" => 9,
            "dix" => 10,
            "onze" => 11,
            "douze" => 12,
            "treize" => 13,
            "quatorze" => 14,
            "quinze" => 15,
            "seize" => 16,
            "vingt" | "vingts" => 20,
            "trente" => 30,
            "quarante" => 40,
            "cinquante" => 50,
            "soixante" => 60,
            "cent" => 100,
            _ => return None,
        },
        Lang::Pt => match w {
            "um" | "uma" => 1,
            "dois" | "duas" => 2,
            "tres" => 3,
            "quatro" => 4,
            "cinco" => 5,
            "seis" => 6,
            "sete" => 7,
            "oito" => 8,
            "nove" => 9,
            "dez" => 10,
            "onze" => 11,
            "doze" => 12,
            "treze" => 13,
            "catorze" | "quatorze" => 14,
            "quinze" => 15,
            "dezoito" => 18,
            "vinte" => 20,
            "trinta" => 30,
            "quarenta" => 40,
            "cinquenta" => 50,
            "sessenta" => 60,
            "setenta" => 70,
            "oitenta" => 80,
            "noventa" => 90,
            "cem" | "cento" => 100,
            _ => return None,
        },
        Lang::Ar => {
            let f = |x: &str| -> Option<u64> {
                Some(match x {
                    "ثلاث" | "ثلاثة" => 3,
                    "اربع" | "اربعة" => 4,
                    "خمس" | "خمسة" => 5,
                    "ست" | "ستة" => 6,
                    "سبع" | "سبعة" => 7,
                    "ثماني" | "ثمانية" | "ثمان" => 8,
                    "تسع" | "تسعة" => 9,
                    "عشر" | "عشرة" => 10,
                    "عشرين" | "عشرون" => 20,
                    "ثلاثين" | "ثلاثون" => 30,
                    "اربعين" | "اربعون" => 40,
                    "خمسين" | "خمسون" => 50,
                    "ستين" | "ستون" => 60,
                    "سبعين" | "سبعون" => 70,
                    "ثمانين" | "ثمانون" => 80,
                    "تسعين" | "تسعون" => 90,
                    "مائة" | "مئة" => 100,
                    _ => return None,
                })
            };
            return strip_ar_prefix(w, |x| f(x).is_some()).and_then(f);
        }
        _ => return None,
    };
    Some(v)
}

/// Words an English "a"/"an" duration ("for a year") follows.
const EN_A_BEFORE: &[&str] = &[
    "for", "within", "after", "of", "than", "to", "over", "about", "in", "least",
];
/// Arabic words after which a bare singular unit means one ("لمدة سنة": for a year).
const AR_ONE_BEFORE: &[&str] = &["لمدة", "مدة", "بعد", "خلال", "قبل", "طوال", "حتى"];
/// Adjectives that may stand between a number and its unit ("90 calendar days").
const FILLERS: &[&str] = &[
    "calendar",
    "full",
    "working",
    "business",
    "consecutive",
    "naturales",
    "habiles",
    "completos",
    "completas",
    "calendaires",
    "ouvres",
    "pleins",
    "pleines",
    "corridos",
    "uteis",
    "completos",
];

/// Chinese numerals: value of a run of 〇零一二两三四五六七八九十百千万.
pub(crate) fn zh_numeral(s: &[char]) -> Option<u64> {
    let digit = |c: char| -> Option<u64> {
        Some(match c {
            '〇' | '零' => 0,
            '一' | '壹' => 1,
            '二' | '两' | '贰' | '兩' => 2,
            '三' | '叁' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    if s.is_empty() {
        return None;
    }
    // Plain digit strings: 二〇二六.
    if s.len() > 1 && s.iter().all(|c| digit(*c).is_some()) {
        return s
            .iter()
            .try_fold(0u64, |a, c| Some(a.checked_mul(10)? + digit(*c)?));
    }
    let (mut total, mut section, mut num) = (0u64, 0u64, 0u64);
    for &c in s {
        if let Some(d) = digit(c) {
            num = d;
            continue;
        }
        let mult = match c {
            '十' | '拾' => 10,
            '百' | '佰' => 100,
            '千' | '仟' => 1000,
            '万' | '萬' => 10_000,
            _ => return None,
        };
        if mult == 10_000 {
            total = total.checked_add((section + num).checked_mul(mult)?)?;
            section = 0;
        } else {
            let n = if num == 0 { 1 } else { num };
            section = section.checked_add(n.checked_mul(mult)?)?;
        }
        num = 0;
    }
    Some(total + section + num)
}

pub(crate) fn is_zh_numeral(c: char) -> bool {
    "〇零一二两三四五六七八九十百千万壹贰叁拾佰仟萬兩".contains(c)
}

/// A Chinese unit of time (or age) starting at `chars[k]`: unit and its length in chars.
/// Age (岁) is `None` inside `Some`: a number without a unit of time.
fn zh_unit(chars: &[(usize, char)], k: usize) -> Option<(Option<Unit>, usize)> {
    let at = |i: usize| chars.get(k + i).map(|x| x.1);
    let c0 = at(0)?;
    // 个 / 個 / 多 / 余 before the unit: 一个月, 三个多月.
    let (skip, c) = if matches!(c0, '个' | '個') {
        (1, at(1)?)
    } else {
        (0, c0)
    };
    let r = match (c, at(skip + 1)) {
        ('年', _) => (Some(Unit::Year), 1),
        ('月', _) => (Some(Unit::Month), 1),
        ('星', Some('期')) => (Some(Unit::Week), 2),
        ('周', Some('岁')) => (None, 2),
        ('周' | '週', _) => (Some(Unit::Week), 1),
        ('礼', Some('拜')) => (Some(Unit::Week), 2),
        ('天' | '日', _) => (Some(Unit::Day), 1),
        ('小', Some('时' | '時')) => (Some(Unit::Hour), 2),
        ('钟', Some('头')) => (Some(Unit::Hour), 2),
        ('岁' | '歲', _) => (None, 1),
        _ => return None,
    };
    Some((r.0, r.1 + skip))
}

/// Numbers and durations in `text` (e-mails and URLs in `skip` are left out).
pub(crate) fn quantities(text: &str, lang: Lang, skip: &[Range<usize>]) -> Vec<Quantity> {
    let toks = tokens(text, skip);
    let mut out = Vec::new();
    let mut k = 0;
    let word = |i: usize| match toks.get(i).map(|t| &t.kind) {
        Some(Kind::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    // A unit after token `i` (skipping one hyphen and one filler adjective): (unit, last index).
    let unit_after = |i: usize| -> Option<(Unit, usize)> {
        let mut j = i + 1;
        if matches!(toks.get(j).map(|t| &t.kind), Some(Kind::Punct('-' | '‑'))) && !toks[j].spaced
        {
            j += 1;
        }
        if let Some(w) = word(j) {
            if let Some(u) = unit_word(lang, w) {
                return Some((u, j));
            }
            if FILLERS.contains(&w)
                && let Some(u) = word(j + 1).and_then(|w| unit_word(lang, w))
            {
                return Some((u, j + 1));
            }
        }
        None
    };
    while k < toks.len() {
        let t = &toks[k];
        match &t.kind {
            Kind::Number(v) => {
                // Digits glued to Latin letters (`4G`, `mp3`) are names, not amounts.
                let glued_before = k > 0
                    && !t.spaced
                    && matches!(toks[k - 1].kind, Kind::Word(ref w) if w.is_ascii());
                let glued_after = toks.get(k + 1).is_some_and(|n| {
                    !n.spaced
                        && matches!(n.kind, Kind::Word(ref w) if w.is_ascii())
                        && unit_after(k).is_none()
                });
                if glued_before || glued_after {
                    k += 1;
                    continue;
                }
                let mut q = Quantity {
                    value: v.clone(),
                    unit: None,
                    range: t.range.clone(),
                };
                if let Some((u, j)) = unit_after(k) {
                    q.unit = Some(u);
                    q.range.end = toks[j].range.end;
                    k = j;
                } else if let Some((u, n)) = han_unit_at(text, &toks, k + 1) {
                    // 3年, 90 天; but 2026年 is a date.
                    let year_date = u == Some(Unit::Year) && v.len() == 4 && v.as_str() >= "1900";
                    if !year_date {
                        q.unit = u;
                        q.range.end = toks[k + n].range.end;
                        k += n;
                    }
                }
                out.push(q);
            }
            Kind::Han(c) if is_zh_numeral(*c) => {
                let mut j = k;
                let mut run = Vec::new();
                while let Some(Kind::Han(c)) = toks.get(j).map(|t| &t.kind) {
                    if !is_zh_numeral(*c) {
                        break;
                    }
                    run.push(*c);
                    j += 1;
                }
                if let (Some(v), Some((u, n))) = (zh_numeral(&run), han_unit_at(text, &toks, j)) {
                    out.push(Quantity {
                        value: v.to_string(),
                        unit: u,
                        range: t.range.start..toks[j + n - 1].range.end,
                    });
                    k = j + n;
                    continue;
                }
                k = j.max(k + 1);
                continue;
            }
            Kind::Han('半')
                if matches!(toks.get(k + 1).map(|t| &t.kind), Some(Kind::Han('年'))) =>
            {
                out.push(Quantity {
                    value: "6".into(),
                    unit: Some(Unit::Month),
                    range: t.range.start..toks[k + 1].range.end,
                });
                k += 2;
                continue;
            }
            Kind::Word(w) => {
                if let Some(q) = word_quantity(lang, &toks, k, w, &unit_after) {
                    k = q.1;
                    out.push(q.0);
                }
            }
            _ => {}
        }
        k += 1;
    }
    out
}

type UnitAfter<'a> = dyn Fn(usize) -> Option<(Unit, usize)> + 'a;

/// A duration (or Arabic ordinal age) spelled in words starting at token `k`: the quantity
/// and the index of its last token.
fn word_quantity(
    lang: Lang,
    toks: &[Token],
    k: usize,
    w: &str,
    unit_after: &UnitAfter<'_>,
) -> Option<(Quantity, usize)> {
    let word = |i: usize| match toks.get(i).map(|t| &t.kind) {
        Some(Kind::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let make = |v: u64, u: Option<Unit>, last: usize| {
        Some((
            Quantity {
                value: v.to_string(),
                unit: u,
                range: toks[k].range.start..toks[last].range.end,
            },
            last,
        ))
    };
    if lang == Lang::Ar {
        // Dual forms: سنتين = two years.
        if let Some(x) = strip_ar_prefix(w, |x| ar_unit(x).is_some_and(|u| u.1 == 2)) {
            let (u, _) = ar_unit(x)?;
            return make(2, Some(u), k);
        }
        // Unit + واحد/واحدة: شهر واحد = one month; لمدة سنة = for a year.
        if let Some(x) = strip_ar_prefix(w, |x| ar_unit(x).is_some())
            && let Some((u, 0)) = ar_unit(x)
        {
            if matches!(word(k + 1), Some("واحد" | "واحدة" | "واحده")) {
                return make(1, Some(u), k + 1);
            }
            let before = k.checked_sub(1).and_then(word);
            let singular = matches!(
                x,
                "سنة" | "سنه" | "عام" | "شهر" | "اسبوع" | "يوم" | "ساعة" | "ساعه"
            );
            if singular
                && before.is_some_and(|b| AR_ONE_BEFORE.contains(&b))
                && !matches!(
                    toks.get(k.wrapping_sub(1)).map(|t| &t.kind),
                    Some(Kind::Number(_))
                )
            {
                return make(1, Some(u), k);
            }
        }
        // Ordinal ages: الرابعة عشرة = the fourteenth (year).
        if let Some(n) = ar_ordinal_teen(w)
            && matches!(word(k + 1), Some("عشرة" | "عشر"))
        {
            return make(n, None, k + 1);
        }
    }
    if lang == Lang::En && matches!(w, "a" | "an") {
        let before = k.checked_sub(1).and_then(word);
        if before.is_some_and(|b| EN_A_BEFORE.contains(&b))
            && let Some((u, j)) = unit_after(k)
        {
            return make(1, Some(u), j);
        }
        return None;
    }
    let mut v = number_word(lang, w)?;
    let mut last = k;
    // Compounds: twenty-four, quatre-vingt-dix, treinta y uno, vinte e um, vingt et un.
    loop {
        let mut j = last + 1;
        if matches!(toks.get(j).map(|t| &t.kind), Some(Kind::Punct('-')))
            || matches!(word(j), Some("y" | "e" | "et" | "and"))
        {
            j += 1;
        }
        let Some(n) = word(j).and_then(|x| number_word(lang, x)) else {
            break;
        };
        if lang == Lang::Fr && n == 20 && v == 4 {
            v = 80;
        } else if n >= 100 {
            v *= n;
        } else if n < v || (lang == Lang::Fr && v % 20 == 0 && n < 20) {
            v += n;
        } else {
            break;
        }
        last = j;
    }
    let (u, j) = unit_after(last)?;
    make(v, Some(u), j)
}

fn ar_ordinal_teen(w: &str) -> Option<u64> {
    Some(match w.strip_prefix("ال").unwrap_or(w) {
        "حادية" | "حادي" => 11,
        "ثانية" | "ثاني" => 12,
        "ثالثة" | "ثالث" => 13,
        "رابعة" | "رابع" => 14,
        "خامسة" | "خامس" => 15,
        "سادسة" | "سادس" => 16,
        "سابعة" | "سابع" => 17,
        "ثامنة" | "ثامن" => 18,
        _ => return None,
    })
}

/// A Chinese unit starting at token `k` (Han tokens): unit and number of tokens.
fn han_unit_at(_text: &str, toks: &[Token], k: usize) -> Option<(Option<Unit>, usize)> {
    let chars: Vec<(usize, char)> = toks
        .iter()
        .skip(k)
        .take(3)
        .map_while(|t| match t.kind {
            Kind::Han(c) => Some((t.range.start, c)),
            _ => None,
        })
        .collect();
    // Allow one space between a number and 天 (90 天).
    zh_unit(&chars, 0)
}

// ---------------------------------------------------------------------------------------------
// Negation

/// Whether a sentence says "not": a negation word, or a word of refusal (refuse, reject, opt
/// out of), in its language.
pub(crate) fn negated(text: &str, lang: Lang) -> bool {
    // don't, can’t, won't: the apostrophe splits the word.
    if lang == Lang::En {
        let lower = text.to_lowercase();
        if lower.contains("n't") || lower.contains("n’t") {
            return true;
        }
    }
    (match lang {
        Lang::Zh => zh_negated(text),
        Lang::Other => false,
        _ => {
            let toks = tokens(text, &[]);
            let word = |i: usize| match toks.get(i).map(|t| &t.kind) {
                Some(Kind::Word(w)) => Some(w.as_str()),
                _ => None,
            };
            (0..toks.len())
                .any(|i| word(i).is_some_and(|w| negation_word(lang, w, word(i + 1), word(i + 2))))
                || correlatives_negate(lang, &toks)
        }
    }) || (matches!(lang, Lang::Zh | Lang::Ar)
        && has_latin_word(text)
        && negated(&latin_words(text), Lang::En))
}

/// "ni … ni", "nem … nem", "neither … nor": correlatives say "not" on their own only in
/// pairs or at the start ("Ni vendues ni partagées"); after another negation ("no vendamos ni
/// compartamos") they add nothing, and alone ("vendamos ni compartamos") they do not negate.
fn correlatives_negate(lang: Lang, toks: &[Token]) -> bool {
    let correlative = |w: &str| match lang {
        Lang::Es | Lang::Fr => w == "ni",
        Lang::Pt => w == "nem",
        Lang::En => w == "nor",
        _ => false,
    };
    let mut words = toks.iter().filter_map(|t| match &t.kind {
        Kind::Word(w) => Some(w.as_str()),
        _ => None,
    });
    if words.next().is_some_and(correlative) {
        return true;
    }
    toks.iter()
        .filter(|t| matches!(&t.kind, Kind::Word(w) if correlative(w)))
        .count()
        >= 2
}

/// The Latin words of a text in another script (English quoted in Chinese or Arabic text).
fn latin_words(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_ascii() { c } else { ' ' })
        .collect()
}

/// Whether the text has a Latin word of two letters or more.
fn has_latin_word(text: &str) -> bool {
    text.split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 2)
}

fn negation_word(lang: Lang, w: &str, next: Option<&str>, next2: Option<&str>) -> bool {
    match lang {
        Lang::En => {
            matches!(
                w,
                "not" | "no" | "never" | "without" | "nothing" | "none" | "neither"
                    | "nobody" | "cannot" | "unknown" | "refuse" | "refuses" | "refused"
                    | "reject" | "rejects" | "rejected" | "decline" | "declines" | "declined"
            ) || w.ends_with("n't")
                || w.ends_with("n’t")
                || (w == "opt" && next == Some("out") && next2 == Some("of"))
                // "free of charge" = costs nothing
                || (w == "free" && next == Some("of") && next2 == Some("charge"))
        }
        Lang::Es => {
            matches!(
                w,
                "no" | "nunca"
                    | "sin"
                    | "nada"
                    | "ningun"
                    | "ninguna"
                    | "ninguno"
                    | "jamas"
                    | "tampoco"
                    | "nadie"
            ) || w.starts_with("rechaz")
                || w.starts_with("gratui")
                || w == "gratis"
                || w.starts_with("desconoc")
                || (w.starts_with("neg")
                    && (w.starts_with("negar")
                        || w.starts_with("niega")
                        || w == "negarte"
                        || w == "negarse"
                        || w == "negamos"))
                || w.starts_with("niega")
        }
        Lang::Fr => {
            matches!(
                w,
                "ne" | "n"
                    | "pas"
                    | "jamais"
                    | "aucun"
                    | "aucune"
                    | "sans"
                    | "non"
                    | "rien"
                    | "nul"
                    | "nulle"
            ) || w.starts_with("refus")
                || w.starts_with("gratuit")
                || w.starts_with("inconnu")
                || w.starts_with("rejet")
                || w.starts_with("rejett")
        }
        Lang::Pt => {
            matches!(
                w,
                "nao" | "nunca" | "sem" | "nenhum" | "nenhuma" | "nada" | "jamais" | "ninguem"
            ) || w.starts_with("recus")
                || w.starts_with("gratuit")
                || w.starts_with("rejeit")
                || w.starts_with("desconhec")
                || w.starts_with("negar")
        }
        Lang::Ar => {
            let base =
                strip_ar_prefix(w, |x| AR_NEG.contains(&x) || x.starts_with("رفض")).unwrap_or(w);
            if base == "غير" {
                // غير الضرورية: "un-necessary", an adjective, not a negated statement.
                return !next.is_some_and(|n| n.starts_with("ال"));
            }
            if base == "دون" {
                // دون الرابعة عشرة: "under fourteen".
                return !next.is_some_and(|n| {
                    ar_ordinal_teen(n).is_some() || n.chars().all(|c| digit_value(c).is_some())
                });
            }
            AR_NEG.contains(&base) || base.starts_with("رفض") || base.starts_with("يرفض")
        }
        _ => false,
    }
}

const AR_NEG: &[&str] = &[
    "لا",
    "لن",
    "لم",
    "ليس",
    "ليست",
    "لست",
    "غير",
    "بدون",
    "دون",
    "عدم",
    "بعدم",
    "ولا",
    "مجانا",
    "مجاني",
    "مجانية",
    "مجانًا",
];

/// Chinese negation: 不 没 无 未 非 别 勿 否 拒绝, except in words where they are not a
/// negation (不同 "different", 无论 "whatever", 未满 "under", 是否 "whether", …).
fn zh_negated(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|p| chars[p]);
        let neg = match c {
            '不' => {
                // 不仅 "not only", 不断 "constantly", 不准确 "inaccurate", 不完整, 不必要,
                // 不同 "different" (but 不同意 "do not agree").
                !matches!(
                    next,
                    Some('仅' | '断' | '准' | '完' | '必' | '良' | '过' | '久' | '少')
                ) && (next != Some('同') || chars.get(i + 2) == Some(&'意'))
            }
            '没' | '勿' | '拒' => c != '拒' || next == Some('绝'),
            '免' => next == Some('费'),
            '无' => !matches!(next, Some('论' | '线')),
            '未' => !matches!(next, Some('满' | '成' | '来')),
            '非' => !matches!(next, Some('常')),
            '别' => !matches!(
                prev,
                Some('特' | '分' | '类' | '识' | '区' | '级' | '性' | '个' | '告' | '鉴')
            ),
            '否' => !matches!(prev, Some('是' | '能' | '可')),
            _ => false,
        };
        if neg {
            return true;
        }
    }
    false
}

// ---------------------------------------------------------------------------------------------
// Countries

/// Country names per language: ISO code, then names in en, es, fr, pt, zh, ar (several names
/// separated by `|`).
const COUNTRIES: &[(&str, [&str; 6])] = &[
    (
        "AE",
        [
            "United Arab Emirates|UAE",
            "Emiratos Árabes Unidos",
            "Émirats arabes unis",
            "Emirados Árabes Unidos",
            "阿联酋|阿拉伯联合酋长国",
            "الإمارات",
        ],
    ),
    (
        "AR",
        [
            "Argentina",
            "Argentina",
            "Argentine",
            "Argentina",
            "阿根廷",
            "الأرجنتين",
        ],
    ),
    (
        "AT",
        [
            "Austria",
            "Austria",
            "Autriche",
            "Áustria",
            "奥地利",
            "النمسا",
        ],
    ),
    (
        "AU",
        [
            "Australia",
            "Australia",
            "Australie",
            "Austrália",
            "澳大利亚|澳洲",
            "أستراليا",
        ],
    ),
    (
        "BE",
        [
            "Belgium",
            "Bélgica",
            "Belgique",
            "Bélgica",
            "比利时",
            "بلجيكا",
        ],
    ),
    (
        "BR",
        ["Brazil", "Brasil", "Brésil", "Brasil", "巴西", "البرازيل"],
    ),
    (
        "CA",
        ["Canada", "Canadá", "Canada", "Canadá", "加拿大", "كندا"],
    ),
    (
        "CH",
        ["Switzerland", "Suiza", "Suisse", "Suíça", "瑞士", "سويسرا"],
    ),
    ("CL", ["Chile", "Chile", "Chili", "Chile", "智利", "تشيلي"]),
    (
        "CN",
        [
            "China|PRC",
            "China",
            "Chine",
            "China",
            "中国|中华人民共和国|中國",
            "الصين",
        ],
    ),
    (
        "CO",
        [
            "Colombia",
            "Colombia",
            "Colombie",
            "Colômbia",
            "哥伦比亚",
            "كولومبيا",
        ],
    ),
    (
        "DE",
        [
            "Germany",
            "Alemania",
            "Allemagne",
            "Alemanha",
            "德国",
            "ألمانيا",
        ],
    ),
    (
        "DK",
        [
            "Denmark",
            "Dinamarca",
            "Danemark",
            "Dinamarca",
            "丹麦",
            "الدنمارك",
        ],
    ),
    ("EG", ["Egypt", "Egipto", "Égypte", "Egito", "埃及", "مصر"]),
    (
        "ES",
        ["Spain", "España", "Espagne", "Espanha", "西班牙", "إسبانيا"],
    ),
    (
        "FI",
        [
            "Finland",
            "Finlandia",
            "Finlande",
            "Finlândia",
            "芬兰",
            "فنلندا",
        ],
    ),
    (
        "FR",
        ["France", "Francia", "France", "França", "法国", "فرنسا"],
    ),
    (
        "GB",
        [
            "United Kingdom|Britain|UK|England",
            "Reino Unido",
            "Royaume-Uni",
            "Reino Unido",
            "英国",
            "المملكة المتحدة|بريطانيا",
        ],
    ),
    (
        "HK",
        [
            "Hong Kong",
            "Hong Kong",
            "Hong Kong",
            "Hong Kong",
            "香港",
            "هونغ كونغ",
        ],
    ),
    (
        "ID",
        [
            "Indonesia",
            "Indonesia",
            "Indonésie",
            "Indonésia",
            "印度尼西亚|印尼",
            "إندونيسيا",
        ],
    ),
    (
        "IE",
        [
            "Ireland",
            "Irlanda",
            "Irlande",
            "Irlanda",
            "爱尔兰",
            "أيرلندا",
        ],
    ),
    (
        "IL",
        ["Israel", "Israel", "Israël", "Israel", "以色列", "إسرائيل"],
    ),
    ("IN", ["India", "India", "Inde", "Índia", "印度", "الهند"]),
    (
        "IT",
        ["Italy", "Italia", "Italie", "Itália", "意大利", "إيطاليا"],
    ),
    (
        "JP",
        ["Japan", "Japón", "Japon", "Japão", "日本", "اليابان"],
    ),
    (
        "KR",
        [
            "South Korea|Korea",
            "Corea del Sur|Corea",
            "Corée du Sud|Corée",
            "Coreia do Sul|Coreia",
            "韩国|韓國",
            "كوريا الجنوبية|كوريا",
        ],
    ),
    (
        "MX",
        ["Mexico", "México", "Mexique", "México", "墨西哥", "المكسيك"],
    ),
    (
        "MY",
        [
            "Malaysia",
            "Malasia",
            "Malaisie",
            "Malásia",
            "马来西亚",
            "ماليزيا",
        ],
    ),
    (
        "NL",
        [
            "Netherlands|Holland",
            "Países Bajos|Holanda",
            "Pays-Bas",
            "Países Baixos|Holanda",
            "荷兰",
            "هولندا",
        ],
    ),
    (
        "NO",
        ["Norway", "Noruega", "Norvège", "Noruega", "挪威", "النرويج"],
    ),
    (
        "NZ",
        [
            "New Zealand",
            "Nueva Zelanda",
            "Nouvelle-Zélande",
            "Nova Zelândia",
            "新西兰",
            "نيوزيلندا",
        ],
    ),
    (
        "PH",
        [
            "Philippines",
            "Filipinas",
            "Philippines",
            "Filipinas",
            "菲律宾",
            "الفلبين",
        ],
    ),
    (
        "PL",
        [
            "Poland",
            "Polonia",
            "Pologne",
            "Polônia|Polónia",
            "波兰",
            "بولندا",
        ],
    ),
    (
        "PT",
        [
            "Portugal",
            "Portugal",
            "Portugal",
            "Portugal",
            "葡萄牙",
            "البرتغال",
        ],
    ),
    ("QA", ["Qatar", "Catar", "Qatar", "Catar", "卡塔尔", "قطر"]),
    (
        "RU",
        ["Russia", "Rusia", "Russie", "Rússia", "俄罗斯", "روسيا"],
    ),
    (
        "SA",
        [
            "Saudi Arabia",
            "Arabia Saudí|Arabia Saudita",
            "Arabie saoudite",
            "Arábia Saudita",
            "沙特阿拉伯|沙特",
            "السعودية",
        ],
    ),
    (
        "SE",
        ["Sweden", "Suecia", "Suède", "Suécia", "瑞典", "السويد"],
    ),
    (
        "SG",
        [
            "Singapore",
            "Singapur",
            "Singapour",
            "Singapura",
            "新加坡",
            "سنغافورة",
        ],
    ),
    (
        "TH",
        [
            "Thailand",
            "Tailandia",
            "Thaïlande",
            "Tailândia",
            "泰国",
            "تايلاند",
        ],
    ),
    (
        "TR",
        [
            "Türkiye",
            "Turquía",
            "Turquie",
            "Turquia",
            "土耳其",
            "تركيا",
        ],
    ),
    (
        "TW",
        [
            "Taiwan",
            "Taiwán",
            "Taïwan",
            "Taiwan",
            "台湾|臺灣",
            "تايوان",
        ],
    ),
    (
        "UA",
        [
            "Ukraine",
            "Ucrania",
            "Ukraine",
            "Ucrânia",
            "乌克兰",
            "أوكرانيا",
        ],
    ),
    (
        "US",
        [
            "United States|USA|U.S.|US|America",
            "Estados Unidos|EE. UU.|EE.UU.",
            "États-Unis",
            "Estados Unidos|EUA",
            "美国|美利坚合众国",
            "الولايات المتحدة|أمريكا",
        ],
    ),
    (
        "VN",
        [
            "Vietnam|Viet Nam",
            "Vietnam",
            "Viêt Nam|Vietnam",
            "Vietnã|Vietname",
            "越南",
            "فيتنام",
        ],
    ),
    (
        "ZA",
        [
            "South Africa",
            "Sudáfrica",
            "Afrique du Sud",
            "África do Sul",
            "南非",
            "جنوب أفريقيا",
        ],
    ),
];

fn lang_index(lang: Lang) -> Option<usize> {
    Some(match lang {
        Lang::En => 0,
        Lang::Es => 1,
        Lang::Fr => 2,
        Lang::Pt => 3,
        Lang::Zh => 4,
        Lang::Ar => 5,
        Lang::Other => return None,
    })
}

/// Whether the built-in table knows the name of `code` in `lang`.
pub(crate) fn country_known(code: &str, lang: Lang) -> bool {
    lang_index(lang).is_some() && COUNTRIES.iter().any(|(c, _)| *c == code)
}

/// Country names of a language: the built-in table plus `extra` (code, name) pairs from the
/// locale's own `country-XX` messages; longest names first.
pub(crate) struct CountryNames {
    names: Vec<(String, String)>,
    /// First character of a name → indices into `names` (longest first).
    by_first: alloc::collections::BTreeMap<char, Vec<usize>>,
}

impl CountryNames {
    pub(crate) fn new(lang: Lang, extra: &[(String, String)]) -> Self {
        let mut names: Vec<(String, String)> = Vec::new();
        if let Some(ix) = lang_index(lang) {
            for (code, per) in COUNTRIES {
                for n in per[ix].split('|') {
                    names.push(((*code).into(), n.into()));
                }
            }
        }
        for (code, name) in extra {
            let name = name.trim();
            if name.chars().count() >= 2 {
                names.push((code.clone(), name.into()));
            }
        }
        names.sort_by(|a, b| b.1.len().cmp(&a.1.len()).then_with(|| a.cmp(b)));
        names.dedup();
        let mut by_first: alloc::collections::BTreeMap<char, Vec<usize>> = Default::default();
        for (i, (_, n)) in names.iter().enumerate() {
            if let Some(c) = n.chars().next() {
                by_first.entry(c).or_default().push(i);
            }
        }
        Self { names, by_first }
    }

    /// Countries named in `text`: range and ISO code, in text order, not overlapping.
    pub(crate) fn find(&self, text: &str) -> Vec<(Range<usize>, String)> {
        let mut out: Vec<(Range<usize>, String)> = Vec::new();
        if self.names.is_empty() {
            return out;
        }
        let mut i = 0;
        let b = text.as_bytes();
        while i < text.len() {
            let c = text[i..].chars().next().unwrap_or(' ');
            let clen = c.len_utf8();
            let prev = text[..i].chars().next_back();
            // Names start at a word start (Han: anywhere).
            let boundary = is_han(c)
                || prev.is_none_or(|p| {
                    !p.is_alphanumeric()
                        || is_han(p)
                        || (is_arabic_letter(c) && ar_prefix_ok(text, i))
                });
            if boundary && (c.is_uppercase() || is_han(c) || is_arabic_letter(c)) {
                let candidates = self.by_first.get(&c).map_or(&[][..], Vec::as_slice);
                let hit = candidates.iter().map(|&k| &self.names[k]).find(|(_, n)| {
                    text[i..].starts_with(n.as_str()) && {
                        let after = text[i + n.len()..].chars().next();
                        let last = n.chars().next_back().unwrap_or(' ');
                        is_han(last) || after.is_none_or(|a| !a.is_alphanumeric() || is_han(a))
                    }
                });
                if let Some((code, n)) = hit {
                    out.push((i..i + n.len(), code.clone()));
                    i += n.len();
                    continue;
                }
            }
            i += clen;
            let _ = b;
        }
        out
    }
}

/// Whether the Arabic word containing byte `i` starts at most one prefix letter (و ب ل ف)
/// before `i`, so that a name can follow a prefix (وسنغافورة).
fn ar_prefix_ok(text: &str, i: usize) -> bool {
    let mut it = text[..i].chars().rev();
    matches!(it.next(), Some('و' | 'ب' | 'ل' | 'ف'))
        && it.next().is_none_or(|c| !c.is_alphanumeric())
}

#[cfg(test)]
mod tests;

/// For a sentence that starts with a condition ("If you say no, we still take your call; …"):
/// whether the condition says "not", and whether the clause after it does. `None` for other
/// sentences.
pub(crate) fn conditional_negation(sentence: &str, lang: Lang) -> Option<(bool, bool)> {
    let s = sentence.trim_start();
    if !is_condition(s, lang) {
        return None;
    }
    // Clauses end at , ; : and their CJK and Arabic forms, and before "but".
    let bounds: Vec<usize> = clause_bounds(s, lang);
    let cond_end = *bounds.first()?;
    let rest = &s[cond_end..];
    let rest = rest.trim_start_matches([',', ';', ':', '，', '；', '：', '、', '،', '؛', ' ']);
    let cons_end = clause_bounds(rest, lang)
        .first()
        .copied()
        .unwrap_or(rest.len());
    let cond = &s[..cond_end];
    let cons = &rest[..cons_end];
    if cons.trim().is_empty() {
        return None;
    }
    Some((negated(cond, lang), negated(cons, lang)))
}

/// Whether a sentence or clause starts with a condition ("If …", "Si …", "如您…", "إذا …").
pub(crate) fn is_condition(s: &str, lang: Lang) -> bool {
    let s = s.trim_start();
    let first: String = s
        .chars()
        .take_while(|c| c.is_alphanumeric() || is_arabic_mark(*c))
        .collect();
    let first = fold(&first);
    match lang {
        Lang::En => first == "if",
        Lang::Es => first == "si",
        Lang::Fr => first == "si" || s.starts_with("S’") || s.starts_with("S'"),
        Lang::Pt => first == "se" || first == "caso",
        Lang::Zh => s.starts_with('如') || s.starts_with('若') || s.starts_with("假如"),
        Lang::Ar => strip_ar_prefix(&first, |w| matches!(w, "اذا" | "ان" | "لو")).is_some(),
        Lang::Other => false,
    }
}

/// Words that open a clause saying the contrary of what came before ("but", "pero", "但").
fn contrast_words(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::En => &["but", "however"],
        Lang::Es => &["pero", "sin embargo"],
        Lang::Fr => &["mais", "cependant", "toutefois"],
        Lang::Pt => &["mas", "porém", "no entanto"],
        Lang::Zh => &["但", "但是", "可是", "不过", "然而", "只是"],
        Lang::Ar => &["ولكن", "لكن"],
        Lang::Other => &[],
    }
}

/// Whether a clause opens with a word of contrast of its language.
pub(crate) fn is_contrast(clause: &str, lang: Lang) -> bool {
    let t = clause
        .trim_start_matches(|c: char| c.is_whitespace() || !c.is_alphanumeric())
        .to_lowercase();
    contrast_words(lang).iter().any(|w| {
        t.starts_with(w)
            && (w.chars().all(is_han)
                || t[w.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric()))
    })
}

/// The clauses of a sentence: split at `,` `;` `:` (and their CJK and Arabic forms) and before
/// "but"; empty clauses are left out. Byte ranges into `s`.
pub(crate) fn clauses(s: &str, lang: Lang) -> Vec<Range<usize>> {
    let mut bounds = Vec::new();
    for (i, c) in s.char_indices() {
        if matches!(c, ',' | ';' | ':' | '，' | '；' | '：' | '،' | '؛') {
            bounds.push((i, i + c.len_utf8()));
        }
    }
    for w in contrast_words(lang) {
        for (i, _) in s.match_indices(w) {
            let before = s[..i].chars().next_back();
            let after = s[i + w.len()..].chars().next();
            let word = w.chars().all(is_han)
                || (before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric()));
            if word && i > 0 {
                bounds.push((i, i));
            }
        }
    }
    bounds.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for (b, after) in bounds {
        if b < start {
            continue;
        }
        if s[start..b].chars().any(char::is_alphanumeric) {
            out.push(start..b);
        }
        start = after;
    }
    if s[start..].chars().any(char::is_alphanumeric) {
        out.push(start..s.len());
    }
    out
}

fn clause_bounds(s: &str, lang: Lang) -> Vec<usize> {
    let mut out: Vec<usize> = clauses(s, lang).iter().skip(1).map(|r| r.start).collect();
    // The end of the first clause, where its punctuation starts.
    if let Some(first) = clauses(s, lang).first() {
        out.insert(0, first.end);
    }
    out.sort_unstable();
    out.dedup();
    out
}
