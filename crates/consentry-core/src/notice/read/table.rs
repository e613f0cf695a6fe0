//! Walking a spanned TOML table: typed getters that report instead of failing.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Code, Diagnostic};
use crate::ids::PurposeId;

/// Reading context: where diagnostics go and how spans map to the file.
pub(super) struct Cx<'a> {
    pub(super) path: &'a str,
    /// The whole file (with its BOM, if any).
    pub(super) text: &'a str,
    /// Bytes before the parsed text (3 with a BOM).
    pub(super) base: usize,
    pub(super) diags: Vec<Diagnostic>,
    /// Where things are: `controller.country`, `purposes.<id>.transfers`, … → byte span in
    /// the whole file (see [`Spans`]).
    pub(super) spans: Vec<(String, Range<usize>)>,
    /// Link names referred to outside `[links]`, with where.
    pub(super) link_refs: Vec<(String, Range<usize>)>,
}

impl Cx<'_> {
    pub(super) fn report(
        &mut self,
        code: Code,
        span: Range<usize>,
        message: String,
    ) -> &mut Diagnostic {
        let span = span.start + self.base..span.end + self.base;
        self.diags
            .push(Diagnostic::at(code, self.path, self.text, span, message));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(super) fn line_of(&self, span: &Range<usize>) -> usize {
        crate::diagnostics::line_column(self.text, span.start + self.base).0
    }

    /// Remembers where `path` is (a span in the parsed text).
    pub(super) fn mark(&mut self, path: String, span: Range<usize>) {
        self.spans
            .push((path, span.start + self.base..span.end + self.base));
    }
}

pub(super) type Val<'i> = Spanned<DeValue<'i>>;

/// A table being read: its entries, where it starts, what to call it, and which keys it allows.
pub(super) struct Table<'t, 'i> {
    pub(super) entries: &'t DeTable<'i>,
    pub(super) span: Range<usize>,
    pub(super) name: String,
    /// Machine path for [`Spans`], e.g. `controller` or `purposes.chat-transcript`.
    pub(super) path: String,
}

impl<'t, 'i> Table<'t, 'i> {
    pub(super) fn new(
        entries: &'t DeTable<'i>,
        span: Range<usize>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            entries,
            span,
            name: name.into(),
            path: String::new(),
        }
    }

    /// Sets the machine path and records where the table and each of its keys are.
    pub(super) fn at_path(mut self, cx: &mut Cx<'_>, path: impl Into<String>) -> Self {
        self.path = path.into();
        cx.mark(self.path.clone(), self.span.clone());
        for (k, _) in self.entries.iter() {
            let key = k.get_ref().as_ref();
            let path = if self.path.is_empty() {
                key.to_string()
            } else {
                format!("{}.{key}", self.path)
            };
            cx.mark(path, k.span());
        }
        self
    }

    /// Reports every key not in `allowed` as N001 (with a did-you-mean note).
    pub(super) fn check_keys(&self, cx: &mut Cx<'_>, allowed: &[&str]) {
        for (k, _) in self.entries.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            let note = match closest(key, allowed) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("allowed keys here: {}", allowed.join(", ")),
            };
            cx.report(
                Code::UnknownKey,
                k.span(),
                format!("unknown key `{key}` in {}", self.name),
            )
            .note = Some(note);
        }
    }

    pub(super) fn get(&self, key: &str) -> Option<&'t Val<'i>> {
        self.entries
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    pub(super) fn missing(&self, cx: &mut Cx<'_>, key: &str, hint: &str) {
        cx.report(
            Code::MissingKey,
            self.span.clone(),
            format!("missing key `{key}` in {}", self.name),
        )
        .note = Some(hint.into());
    }

    /// A required string.
    pub(super) fn req_str(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        hint: &str,
    ) -> Option<(String, Range<usize>)> {
        match self.get(key) {
            None => {
                self.missing(cx, key, hint);
                None
            }
            Some(v) => as_str(cx, v, key),
        }
    }

    /// An optional string.
    pub(super) fn opt_str(&self, cx: &mut Cx<'_>, key: &str) -> Option<(String, Range<usize>)> {
        self.get(key).and_then(|v| as_str(cx, v, key))
    }

    /// An optional boolean, `false` when absent. `None` when present with the wrong type.
    pub(super) fn opt_bool(&self, cx: &mut Cx<'_>, key: &str) -> Option<(bool, Range<usize>)> {
        match self.get(key) {
            None => Some((false, self.span.clone())),
            Some(v) => match v.get_ref() {
                DeValue::Boolean(b) => Some((*b, v.span())),
                other => {
                    wrong_type(cx, v, key, "true or false", other);
                    None
                }
            },
        }
    }

    /// An array of strings; required or optional (absent → empty).
    pub(super) fn str_list(
        &self,
        cx: &mut Cx<'_>,
        key: &str,
        required: Option<&str>,
    ) -> Option<Vec<(String, Range<usize>)>> {
        let Some(v) = self.get(key) else {
            return match required {
                Some(hint) => {
                    self.missing(cx, key, hint);
                    None
                }
                None => Some(Vec::new()),
            };
        };
        let DeValue::Array(items) = v.get_ref() else {
            wrong_type(cx, v, key, "an array of strings", v.get_ref());
            return None;
        };
        if items.is_empty() && required.is_some() {
            cx.report(
                Code::InvalidValue,
                v.span(),
                format!("`{key}` must list at least one value"),
            );
            return None;
        }
        let mut out = Vec::new();
        let mut ok = true;
        for item in items.iter() {
            match as_str(cx, item, key) {
                Some((s, span)) => {
                    if let Some((_, first)) = out.iter().find(|(o, _): &&(String, _)| *o == s) {
                        let line = cx.line_of(first);
                        cx.report(
                            Code::InvalidValue,
                            span.clone(),
                            format!("`{s}` is listed twice in `{key}`"),
                        )
                        .note = Some(format!("first listed on line {line}"));
                        ok = false;
                    }
                    out.push((s, span));
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}

pub(super) fn type_name(v: &DeValue<'_>) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a decimal number",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

pub(super) fn wrong_type(
    cx: &mut Cx<'_>,
    v: &Val<'_>,
    key: &str,
    expected: &str,
    found: &DeValue<'_>,
) {
    cx.report(
        Code::InvalidValue,
        v.span(),
        format!("`{key}` must be {expected}, found {}", type_name(found)),
    );
}

/// A non-empty string without control characters or surrounding spaces.
pub(super) fn as_str(cx: &mut Cx<'_>, v: &Val<'_>, key: &str) -> Option<(String, Range<usize>)> {
    let DeValue::String(s) = v.get_ref() else {
        wrong_type(cx, v, key, "a string", v.get_ref());
        return None;
    };
    let problem = if s.trim().is_empty() {
        Some("must not be empty")
    } else if s.trim() != s.as_ref() {
        Some("must not start or end with spaces")
    } else if s.chars().any(char::is_control) {
        Some("must not contain line breaks or control characters")
    } else {
        None
    };
    if let Some(p) = problem {
        cx.report(Code::InvalidValue, v.span(), format!("`{key}` {p}"));
        return None;
    }
    if let Some(problem) = text_problem(s, MAX_VALUE_CHARS) {
        let (code, message) = match problem {
            TextProblem::Markup(m) => (
                Code::MarkupInValue,
                format!("`{key}` contains HTML markup `{m}`; values are plain text"),
            ),
            TextProblem::Hidden(c) | TextProblem::Bidi(c) => (
                Code::HiddenCharacterInValue,
                format!(
                    "`{key}` contains the invisible character U+{:04X}",
                    u32::from(c)
                ),
            ),
            TextProblem::TooLong(n) => (
                Code::ValueTooLong,
                format!("`{key}` is {n} characters long; at most {MAX_VALUE_CHARS} are allowed"),
            ),
        };
        cx.report(code, v.span(), message);
        return None;
    }
    Some((s.to_string(), v.span()))
}

/// Longest value accepted in `notice.toml`, in characters.
pub(crate) const MAX_VALUE_CHARS: usize = 500;

pub(super) use crate::diagnostics::text::{TextProblem, text_problem};

/// A sub-table (`[controller]`, or an inline table).
pub(super) fn as_table<'t, 'i>(
    cx: &mut Cx<'_>,
    v: &'t Val<'i>,
    key: &str,
    name: String,
) -> Option<Table<'t, 'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(Table::new(t, v.span(), name)),
        other => {
            wrong_type(cx, v, key, "a table", other);
            None
        }
    }
}

/// The closest allowed key within edit distance 2, for "did you mean".
pub(super) fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, a)| a)
}

pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = alloc::vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

pub(super) fn is_kebab(s: &str) -> bool {
    PurposeId::parse(s).is_ok()
}

pub(super) fn valid_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let ok_chars = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| !c.is_whitespace() && !c.is_control() && !"<>\"(),;:@[]\\".contains(c))
    };
    ok_chars(local)
        && ok_chars(domain)
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

/// `None` if fine, else the code and what is wrong with the URL.
pub(super) fn url_problem(url: &str) -> Option<(Code, &'static str)> {
    let lower = url.to_ascii_lowercase();
    if !lower.starts_with("https://") && !lower.starts_with("mailto:") {
        return Some((
            Code::InsecureLink,
            "links must be https: or mailto: URLs (http:, javascript:, data: and others are refused)",
        ));
    }
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c);
    if url.chars().any(bad_char) {
        return Some((
            Code::MalformedLink,
            "a URL must not contain spaces, quotes, <, >, \\, ^, `, {, | or }",
        ));
    }
    if let Some(rest) = url.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if name.is_empty()
            || name.starts_with('.')
            || name.ends_with('.')
            || name.contains("..")
            || !name.contains('.')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Some((Code::MalformedLink, "the https: URL has no valid host name"));
        }
        return None;
    }
    if let Some(addr) = url.strip_prefix("mailto:") {
        let addr = addr.split('?').next().unwrap_or_default();
        return (!valid_email(addr)).then_some((
            Code::MalformedLink,
            "the mailto: URL has no valid e-mail address",
        ));
    }
    Some((
        Code::InsecureLink,
        "links must be written https://… or mailto:… in lowercase",
    ))
}
