//! Reading `notice.toml`: TOML with positions (`toml::de::DeTable`) → validated [`Notice`].
//!
//! Two stages, as in ripgrep's low/high arguments: the `toml` crate gives a raw table whose
//! keys and values carry byte spans; this module walks it, checks every key and value, and
//! records a [`Diagnostic`] for each problem instead of stopping at the first. Alongside the
//! notice it keeps [`NoticeFacts`]: whatever could be read even when something else was wrong
//! (purpose ids, link names, the default locale), so the `.ftl` checks can still run.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{
    Channel, Controller, Dpo, LegalBasis, Link, Notice, Purpose, RegionMap, Retention, Safeguard,
    Transfer,
};
use crate::diagnostics::{Code, Diagnostic};
use crate::ids::{LocaleTag, NoticeId, PurposeId, RegionCode};
use crate::regime::Regime;

/// What could be learnt from `notice.toml`, even when it has errors.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct NoticeFacts {
    /// The validated notice; `None` if there was any error.
    pub notice: Option<Notice>,
    /// The default locale and the byte span of its value in the file.
    pub default_locale: Option<(LocaleTag, Range<usize>)>,
    /// Ids of the purposes whose id is valid, in file order.
    pub purposes: Vec<PurposeId>,
    /// Whether `purposes` lists every purpose (no entry had a missing or invalid id).
    pub purposes_complete: bool,
    /// Links whose name is valid: name → URL as written, sorted by name.
    pub links: Vec<(String, String)>,
    /// Whether `links` lists every link.
    pub links_complete: bool,
    /// Legal bases used by some purpose, in `LegalBasis` order.
    pub bases: Vec<LegalBasis>,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Notice {
    /// Reads and validates `notice.toml`. `path` is used verbatim in diagnostics.
    pub fn from_toml(path: &str, bytes: &[u8]) -> Result<Notice, Vec<Diagnostic>> {
        let facts = NoticeFacts::read(path, bytes);
        facts.notice.ok_or(facts.diagnostics)
    }
}

impl NoticeFacts {
    /// Reads `notice.toml` (its exact bytes; a leading UTF-8 BOM is allowed) and collects
    /// everything it can, with a diagnostic for each problem.
    pub fn read(path: &str, bytes: &[u8]) -> NoticeFacts {
        let mut cx = Cx {
            path,
            text: "",
            base: 0,
            diags: Vec::new(),
        };
        let text = match core::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let valid = core::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                let at = e.valid_up_to();
                let d = Diagnostic::at(
                    Code::InvalidUtf8,
                    path,
                    valid,
                    at..at + e.error_len().unwrap_or(1),
                    "notice.toml is not valid UTF-8",
                )
                .with_note("save the file with UTF-8 encoding");
                return NoticeFacts {
                    diagnostics: alloc::vec![d],
                    ..NoticeFacts::default()
                };
            }
        };
        cx.text = text;
        let body = match text.strip_prefix('\u{feff}') {
            Some(rest) => {
                cx.base = 3;
                rest
            }
            None => text,
        };
        let (root, errors) = DeTable::parse_recoverable(body);
        if !errors.is_empty() {
            for e in errors {
                let span = e.span().unwrap_or(0..0);
                cx.report(
                    Code::TomlSyntax,
                    span,
                    format!("TOML syntax: {}", e.message().trim_end()),
                );
            }
            return NoticeFacts {
                diagnostics: cx.diags,
                ..NoticeFacts::default()
            };
        }
        let mut facts = NoticeFacts {
            purposes_complete: true,
            links_complete: true,
            ..NoticeFacts::default()
        };
        let notice = read_root(&mut cx, root.get_ref(), &mut facts);
        facts.notice = if cx.diags.is_empty() { notice } else { None };
        cx.diags
            .sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.span.start));
        facts.diagnostics = cx.diags;
        facts
    }
}

/// Reading context: where diagnostics go and how spans map to the file.
struct Cx<'a> {
    path: &'a str,
    /// The whole file (with its BOM, if any).
    text: &'a str,
    /// Bytes before the parsed text (3 with a BOM).
    base: usize,
    diags: Vec<Diagnostic>,
}

impl Cx<'_> {
    fn report(&mut self, code: Code, span: Range<usize>, message: String) -> &mut Diagnostic {
        let span = span.start + self.base..span.end + self.base;
        self.diags
            .push(Diagnostic::at(code, self.path, self.text, span, message));
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    fn line_of(&self, span: &Range<usize>) -> usize {
        crate::diagnostics::line_column(self.text, span.start + self.base).0
    }
}

type Val<'i> = Spanned<DeValue<'i>>;

/// A table being read: its entries, where it starts, what to call it, and which keys it allows.
struct Table<'t, 'i> {
    entries: &'t DeTable<'i>,
    span: Range<usize>,
    name: String,
}

impl<'t, 'i> Table<'t, 'i> {
    fn new(entries: &'t DeTable<'i>, span: Range<usize>, name: impl Into<String>) -> Self {
        Self {
            entries,
            span,
            name: name.into(),
        }
    }

    /// Reports every key not in `allowed` as N001 (with a did-you-mean note).
    fn check_keys(&self, cx: &mut Cx<'_>, allowed: &[&str]) {
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

    fn get(&self, key: &str) -> Option<&'t Val<'i>> {
        self.entries
            .iter()
            .find(|(k, _)| k.get_ref().as_ref() == key)
            .map(|(_, v)| v)
    }

    fn missing(&self, cx: &mut Cx<'_>, key: &str, hint: &str) {
        cx.report(
            Code::MissingKey,
            self.span.clone(),
            format!("missing key `{key}` in {}", self.name),
        )
        .note = Some(hint.into());
    }

    /// A required string.
    fn req_str(&self, cx: &mut Cx<'_>, key: &str, hint: &str) -> Option<(String, Range<usize>)> {
        match self.get(key) {
            None => {
                self.missing(cx, key, hint);
                None
            }
            Some(v) => as_str(cx, v, key),
        }
    }

    /// An optional string.
    fn opt_str(&self, cx: &mut Cx<'_>, key: &str) -> Option<(String, Range<usize>)> {
        self.get(key).and_then(|v| as_str(cx, v, key))
    }

    /// An optional boolean, `false` when absent. `None` when present with the wrong type.
    fn opt_bool(&self, cx: &mut Cx<'_>, key: &str) -> Option<(bool, Range<usize>)> {
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
    fn str_list(
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

fn type_name(v: &DeValue<'_>) -> &'static str {
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

fn wrong_type(cx: &mut Cx<'_>, v: &Val<'_>, key: &str, expected: &str, found: &DeValue<'_>) {
    cx.report(
        Code::InvalidValue,
        v.span(),
        format!("`{key}` must be {expected}, found {}", type_name(found)),
    );
}

/// A non-empty string without control characters or surrounding spaces.
fn as_str(cx: &mut Cx<'_>, v: &Val<'_>, key: &str) -> Option<(String, Range<usize>)> {
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
    Some((s.to_string(), v.span()))
}

/// A sub-table (`[controller]`, or an inline table).
fn as_table<'t, 'i>(
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
fn closest<'a>(key: &str, allowed: &[&'a str]) -> Option<&'a str> {
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), *a))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, a)| a)
}

fn edit_distance(a: &str, b: &str) -> usize {
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

fn is_kebab(s: &str) -> bool {
    PurposeId::parse(s).is_ok()
}

fn valid_email(s: &str) -> bool {
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

/// `None` if fine, else what is wrong with the URL.
fn url_problem(url: &str) -> Option<&'static str> {
    let bad_char = |c: char| c.is_whitespace() || c.is_control() || "\"<>\\^`{|}".contains(c);
    if url.chars().any(bad_char) {
        return Some("a URL must not contain spaces, quotes, <, >, \\, ^, `, {, | or }");
    }
    if let Some(rest) = url.strip_prefix("https://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let name = host.rsplit_once(':').map_or(host, |(h, _)| h);
        if name.is_empty()
            || name.starts_with('.')
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        {
            return Some("the https: URL has no valid host name");
        }
        return None;
    }
    if let Some(addr) = url.strip_prefix("mailto:") {
        let addr = addr.split('?').next().unwrap_or_default();
        return (!valid_email(addr)).then_some("the mailto: URL has no valid e-mail address");
    }
    Some("links must be https: or mailto: URLs")
}

fn read_root(cx: &mut Cx<'_>, root: &DeTable<'_>, facts: &mut NoticeFacts) -> Option<Notice> {
    let top = Table::new(root, 0..0, "notice.toml");
    top.check_keys(
        cx,
        &[
            "notice_id",
            "version",
            "default_locale",
            "controller",
            "links",
            "purposes",
            "regions",
        ],
    );

    let id = top
        .req_str(
            cx,
            "notice_id",
            "add notice_id = \"your-notice-id\" at the top",
        )
        .and_then(|(s, span)| match NoticeId::parse(&s) {
            Ok(id) => Some(id),
            Err(e) => {
                cx.report(Code::InvalidValue, span, e.to_string()).note =
                    Some("a notice id is lowercase kebab-case, e.g. \"support-privacy\"".into());
                None
            }
        });

    let version = top
        .req_str(
            cx,
            "version",
            "add version = \"1\"; change it whenever the notice changes",
        )
        .and_then(|(s, span)| {
            if s.chars().count() > 64 {
                cx.report(
                    Code::InvalidValue,
                    span,
                    "`version` is longer than 64 characters".into(),
                );
                None
            } else {
                Some(s)
            }
        });

    let default_locale = top
        .req_str(cx, "default_locale", "add default_locale = \"en\"")
        .and_then(|(s, span)| match LocaleTag::parse(&s) {
            Ok(tag) => {
                facts.default_locale =
                    Some((tag.clone(), span.start + cx.base..span.end + cx.base));
                Some(tag)
            }
            Err(e) => {
                cx.report(Code::InvalidValue, span, e.to_string());
                None
            }
        });

    let controller = match top.get("controller") {
        None => {
            top.missing(
                cx,
                "controller",
                "add a [controller] table with name, address and email",
            );
            None
        }
        Some(v) => as_table(cx, v, "controller", "[controller]".into())
            .and_then(|t| read_controller(cx, &t)),
    };

    let links = match top.get("links") {
        None => Some(Vec::new()),
        Some(v) => match as_table(cx, v, "links", "[links]".into()) {
            Some(t) => read_links(cx, &t, facts),
            None => {
                facts.links_complete = false;
                None
            }
        },
    };

    let purposes = match top.get("purposes") {
        None => {
            top.missing(cx, "purposes", "add at least one [[purposes]] table");
            facts.purposes_complete = false;
            None
        }
        Some(v) => read_purposes(cx, v, facts),
    };

    let regions = match top.get("regions") {
        None => Some(RegionMap::default()),
        Some(v) => {
            as_table(cx, v, "regions", "[regions]".into()).and_then(|t| read_regions(cx, &t))
        }
    };

    Some(Notice {
        id: id?,
        version: version?,
        default_locale: default_locale?,
        controller: controller?,
        links: links?,
        purposes: purposes?,
        regions: regions?,
    })
}

fn read_controller(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<Controller> {
    t.check_keys(cx, &["name", "address", "email", "phone", "dpo"]);
    let name = t.req_str(cx, "name", "the controller's legal name");
    let address = t.req_str(
        cx,
        "address",
        "the controller's postal address, on one line",
    );
    let email = t
        .req_str(cx, "email", "an e-mail address for privacy questions")
        .and_then(|(s, span)| email_value(cx, s, span, "email"));
    let phone = match t.get("phone") {
        None => Some(None),
        Some(_) => t.opt_str(cx, "phone").and_then(|(s, span)| {
            let ok = s.chars().any(|c| c.is_ascii_digit())
                && s.chars()
                    .all(|c| c.is_ascii_digit() || " +-()./".contains(c));
            if ok {
                Some(Some(s))
            } else {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("`phone` {s:?} is not a phone number"),
                )
                .note =
                    Some("use digits, spaces and + - ( ) . / only, e.g. \"+1-555-0100\"".into());
                None
            }
        }),
    };
    let dpo = match t.get("dpo") {
        None => Some(None),
        Some(v) => as_table(cx, v, "dpo", "[controller.dpo]".into()).and_then(|d| {
            d.check_keys(cx, &["name", "email"]);
            let name = d.req_str(cx, "name", "the data protection officer's name or role");
            let email = d
                .req_str(cx, "email", "the data protection officer's e-mail address")
                .and_then(|(s, span)| email_value(cx, s, span, "email"));
            Some(Some(Dpo {
                name: name?.0,
                email: email?,
            }))
        }),
    };
    Some(Controller {
        name: name?.0,
        address: address?.0,
        email: email?,
        phone: phone?,
        dpo: dpo?,
    })
}

fn email_value(cx: &mut Cx<'_>, s: String, span: Range<usize>, key: &str) -> Option<String> {
    if valid_email(&s) {
        Some(s)
    } else {
        cx.report(
            Code::InvalidValue,
            span,
            format!("`{key}` {s:?} is not an e-mail address"),
        );
        None
    }
}

fn read_links(cx: &mut Cx<'_>, t: &Table<'_, '_>, facts: &mut NoticeFacts) -> Option<Vec<Link>> {
    let mut links = Vec::new();
    let mut ok = true;
    for (k, v) in t.entries.iter() {
        let name = k.get_ref().as_ref();
        if !is_kebab(name) {
            cx.report(
                Code::InvalidValue,
                k.span(),
                format!("link name `{name}` is not lowercase kebab-case"),
            )
            .note = Some(
                "link names look like `privacy-policy`; the text uses { $privacy-policy }".into(),
            );
            facts.links_complete = false;
            ok = false;
            continue;
        }
        let Some((url, span)) = as_str(cx, v, name) else {
            facts.links.push((name.into(), String::new()));
            ok = false;
            continue;
        };
        facts.links.push((name.into(), url.clone()));
        if let Some(problem) = url_problem(&url) {
            cx.report(
                Code::InvalidValue,
                span,
                format!("link `{name}` = {url:?}: {problem}"),
            );
            ok = false;
            continue;
        }
        links.push(Link {
            name: name.into(),
            url,
        });
    }
    facts.links.sort();
    links.sort_by(|a, b| a.name.cmp(&b.name));
    ok.then_some(links)
}

fn read_purposes(cx: &mut Cx<'_>, v: &Val<'_>, facts: &mut NoticeFacts) -> Option<Vec<Purpose>> {
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            cx,
            v,
            "purposes",
            "an array of [[purposes]] tables",
            v.get_ref(),
        );
        facts.purposes_complete = false;
        return None;
    };
    if items.is_empty() {
        cx.report(
            Code::InvalidValue,
            v.span(),
            "the notice must have at least one purpose".into(),
        );
        return None;
    }
    let mut seen: BTreeMap<PurposeId, Range<usize>> = BTreeMap::new();
    let mut purposes = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let name = format!("[[purposes]] number {}", i + 1);
        let Some(t) = as_table(cx, item, "purposes", name) else {
            facts.purposes_complete = false;
            ok = false;
            continue;
        };
        match read_purpose(cx, &t, facts, &mut seen) {
            Some(p) => purposes.push(p),
            None => ok = false,
        }
    }
    facts.bases.sort();
    ok.then_some(purposes)
}

const PURPOSE_KEYS: &[&str] = &[
    "id",
    "required",
    "legal_basis",
    "retention",
    "recipients",
    "data_categories",
    "channels",
    "transfers",
    "sensitive",
    "separate_consent",
];

fn read_purpose(
    cx: &mut Cx<'_>,
    t: &Table<'_, '_>,
    facts: &mut NoticeFacts,
    seen: &mut BTreeMap<PurposeId, Range<usize>>,
) -> Option<Purpose> {
    t.check_keys(cx, PURPOSE_KEYS);
    let id = t
        .req_str(
            cx,
            "id",
            "every purpose needs an id, e.g. id = \"chat-transcript\"",
        )
        .and_then(|(s, span)| match PurposeId::parse(&s) {
            Ok(id) => Some((id, span)),
            Err(e) => {
                cx.report(Code::InvalidValue, span, e.to_string());
                None
            }
        });
    let id = match id {
        Some((id, span)) => {
            if let Some(first) = seen.get(&id) {
                let line = cx.line_of(first);
                cx.report(
                    Code::DuplicatePurpose,
                    span,
                    format!("purpose `{id}` is defined twice"),
                )
                .note = Some(format!("first defined on line {line}"));
                None
            } else {
                seen.insert(id.clone(), span);
                facts.purposes.push(id.clone());
                Some(id)
            }
        }
        None => {
            facts.purposes_complete = false;
            None
        }
    };
    let what = id
        .as_ref()
        .map_or_else(|| "this purpose".into(), |i| format!("purpose `{i}`"));

    let required = t.opt_bool(cx, "required");
    let legal_basis = t
        .req_str(
            cx,
            "legal_basis",
            "e.g. legal_basis = \"consent\" or \"contract\"",
        )
        .and_then(|(s, span)| match LegalBasis::parse(&s) {
            Some(b) => Some((b, span)),
            None => {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("unknown legal basis {s:?} for {what}"),
                )
                .note = Some(format!("use {}", LegalBasis::expected()));
                None
            }
        });
    if let Some((b, _)) = &legal_basis
        && !facts.bases.contains(b)
    {
        facts.bases.push(*b);
    }
    if let (Some((true, req_span)), Some((LegalBasis::Consent, _))) = (&required, &legal_basis) {
        cx.report(
            Code::InvalidValue,
            req_span.clone(),
            format!("{what} is required but relies on consent, which people may refuse"),
        )
        .note = Some(
            "set required = false, or use a basis such as \"contract\" or \"legal-obligation\""
                .into(),
        );
    }
    let separate_consent = t.opt_bool(cx, "separate_consent");
    if let (Some((true, span)), Some((b, _))) = (&separate_consent, &legal_basis)
        && *b != LegalBasis::Consent
    {
        cx.report(
            Code::InvalidValue,
            span.clone(),
            format!("{what} asks for separate consent but its legal basis is `{b}`"),
        )
        .note = Some("separate_consent = true needs legal_basis = \"consent\"".into());
    }
    let sensitive = t.opt_bool(cx, "sensitive");
    let retention = t
        .req_str(
            cx,
            "retention",
            "an ISO 8601 duration such as \"P2Y\" (2 years) or \"P90D\"",
        )
        .and_then(|(s, span)| match Retention::parse(&s) {
            Ok(r) => Some(r),
            Err(e) => {
                cx.report(
                    Code::InvalidValue,
                    span,
                    format!("retention {s:?} is not an ISO 8601 duration: {e}"),
                )
                .note = Some(
                    "examples: \"P2Y\" = 2 years, \"P6M\" = 6 months, \"P90D\" = 90 days".into(),
                );
                None
            }
        });
    let recipients = t.str_list(cx, "recipients", None);
    let data_categories = t
        .str_list(
            cx,
            "data_categories",
            Some("list the kinds of data, e.g. [\"contact-details\"]"),
        )
        .and_then(|list| {
            let mut ok = true;
            for (c, span) in &list {
                if !is_kebab(c) {
                    cx.report(
                        Code::InvalidValue,
                        span.clone(),
                        format!("data category {c:?} is not lowercase kebab-case"),
                    );
                    ok = false;
                }
            }
            ok.then(|| list.into_iter().map(|(c, _)| c).collect::<Vec<_>>())
        });
    let channels = t
        .str_list(
            cx,
            "channels",
            Some("list where the data is collected, e.g. [\"chat\"]"),
        )
        .and_then(|list| {
            let mut out = Vec::new();
            let mut ok = true;
            for (c, span) in list {
                match Channel::parse(&c) {
                    Some(ch) => out.push(ch),
                    None => {
                        cx.report(Code::InvalidValue, span, format!("unknown channel {c:?}"))
                            .note = Some(format!("use {}", Channel::expected()));
                        ok = false;
                    }
                }
            }
            ok.then_some(out)
        });
    let transfers = match t.get("transfers") {
        None => Some(Vec::new()),
        Some(v) => read_transfers(cx, v),
    };
    Some(Purpose {
        id: id?,
        required: required?.0,
        legal_basis: legal_basis?.0,
        retention: retention?,
        recipients: recipients?.into_iter().map(|(r, _)| r).collect(),
        data_categories: data_categories?,
        channels: channels?,
        transfers: transfers?,
        sensitive: sensitive?.0,
        separate_consent: separate_consent?.0,
    })
}

fn read_transfers(cx: &mut Cx<'_>, v: &Val<'_>) -> Option<Vec<Transfer>> {
    let DeValue::Array(items) = v.get_ref() else {
        wrong_type(
            cx,
            v,
            "transfers",
            "an array of { destination, safeguard } tables",
            v.get_ref(),
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let Some(t) = as_table(cx, item, "transfers", format!("transfer number {}", i + 1)) else {
            ok = false;
            continue;
        };
        t.check_keys(cx, &["destination", "safeguard"]);
        let destination = t
            .req_str(
                cx,
                "destination",
                "the destination country, e.g. destination = \"SG\"",
            )
            .and_then(|(s, span)| match RegionCode::parse(&s) {
                Ok(r) if !r.as_str().contains('-') => Some(r),
                Ok(_) => {
                    cx.report(
                        Code::InvalidValue,
                        span,
                        format!("destination {s:?} must be a country code, without subdivision"),
                    );
                    None
                }
                Err(e) => {
                    cx.report(Code::InvalidValue, span, e.to_string());
                    None
                }
            });
        let safeguard = t
            .req_str(
                cx,
                "safeguard",
                "the legal mechanism, e.g. safeguard = \"eu-scc\"",
            )
            .and_then(|(s, span)| match Safeguard::parse(&s) {
                Some(g) => Some(g),
                None => {
                    cx.report(Code::InvalidValue, span, format!("unknown safeguard {s:?}"))
                        .note = Some(format!("use {}", Safeguard::expected()));
                    None
                }
            });
        match (destination, safeguard) {
            (Some(destination), Some(safeguard)) => out.push(Transfer {
                destination,
                safeguard,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(out)
}

fn read_regions(cx: &mut Cx<'_>, t: &Table<'_, '_>) -> Option<RegionMap> {
    let mut map = RegionMap::default();
    let mut ok = true;
    let mut seen: BTreeMap<RegionCode, Range<usize>> = BTreeMap::new();
    for (k, v) in t.entries.iter() {
        let key = k.get_ref().as_ref();
        let regime = as_str(cx, v, key).and_then(|(s, span)| match Regime::parse(&s) {
            Some(g) => Some(g),
            None => {
                cx.report(Code::InvalidValue, span, format!("unknown regime {s:?}"))
                    .note = Some(
                    "use \"eu-gdpr\", \"cn-pipl\", \"us-ca-ccpa\", \"br-lgpd\" or \"apec-cbpr\""
                        .into(),
                );
                None
            }
        });
        if key == "default" {
            match regime {
                Some(g) => map.default = Some(g),
                None => ok = false,
            }
            continue;
        }
        let region = match RegionCode::parse(key) {
            Ok(r) => r,
            Err(e) => {
                cx.report(Code::InvalidValue, k.span(), e.to_string()).note = Some(
                    "region keys are ISO 3166 codes such as CN, DE or US-CA, or `default`".into(),
                );
                ok = false;
                continue;
            }
        };
        if let Some(first) = seen.get(&region) {
            let line = cx.line_of(first);
            cx.report(
                Code::InvalidValue,
                k.span(),
                format!("region `{region}` is listed twice"),
            )
            .note = Some(format!("first listed on line {line}"));
            ok = false;
            continue;
        }
        seen.insert(region.clone(), k.span());
        match regime {
            Some(g) => map.entries.push((region, g)),
            None => ok = false,
        }
    }
    map.entries.sort();
    ok.then_some(map)
}
