//! Reading `notice.toml`: TOML with positions (`toml::de::DeTable`) → validated [`Notice`].
//!
//! Two stages, as in ripgrep's low/high arguments: the `toml` crate gives a raw table whose
//! keys and values carry byte spans; this module walks it, checks every key and value, and
//! records a [`Diagnostic`] for each problem instead of stopping at the first. Alongside the
//! notice it keeps [`NoticeFacts`]: whatever could be read even when something else was wrong
//! (purpose ids, link names, the default locale), so the `.ftl` checks can still run.

mod parts;
mod purposes;
mod table;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::DeTable;

use super::{CcpaLinks, Controller, LegalBasis, Notice, RegionMap};
use crate::diagnostics::{Code, Diagnostic};
use crate::ids::{LocaleTag, NoticeId, PurposeId};
use parts::{read_ccpa, read_complaints, read_controller, read_links, read_regions, read_rights};
use purposes::read_purposes;
use table::{Cx, Table, as_table};
pub(crate) use table::{MAX_VALUE_CHARS, edit_distance};

/// What could be learnt from `notice.toml`, even when it has errors.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct NoticeFacts {
    /// The validated notice; `None` if there was any error.
    pub notice: Option<Notice>,
    /// The notice as far as it could be read, even with errors elsewhere: every part that was
    /// read without error, placeholders for the rest ([`NoticeFacts::known`] says which), so
    /// that the rules of each privacy law still run on what is there. `None` only when the file
    /// could not be parsed at all.
    pub partial: Option<Notice>,
    /// Which parts of [`NoticeFacts::partial`] were read completely.
    pub known: Known,
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
    /// Other messages the file makes necessary (`data-category-<id>`, `channel-<id>`,
    /// `right-<id>`, `complaint-<regime>`, `regime-<id>`), each with the reason.
    pub labels: Vec<(String, String)>,
    /// Where keys and tables are, for findings about the whole notice.
    pub spans: Spans,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Which parts of a partly read notice are complete (see [`NoticeFacts::partial`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Known {
    /// `[controller]` with all its sub-tables.
    pub controller: bool,
    /// `[links]` and `policy_link`.
    pub links: bool,
    /// `[rights]`.
    pub rights: bool,
    /// `[complaints]`.
    pub complaints: bool,
    /// `[ccpa]`.
    pub ccpa: bool,
    /// Every purpose (otherwise `partial` has those that could be read).
    pub purposes: bool,
    /// Every `[regions]` entry (otherwise `partial` has those that could be read).
    pub regions: bool,
}

impl Known {
    /// Everything.
    pub const ALL: Known = Known {
        controller: true,
        links: true,
        rights: true,
        complaints: true,
        ccpa: true,
        purposes: true,
        regions: true,
    };
}

/// Byte spans of keys and tables in `notice.toml`, by path: `controller`,
/// `controller.country`, `purposes.<id>` (the id's value), `purposes.<id>.transfers`,
/// `rights.offered`, … (spans in the whole file, BOM included).
#[derive(Clone, Debug, Default)]
pub struct Spans(Vec<(String, Range<usize>)>);

impl Spans {
    /// The span of `path` itself, if the file has it (a key that is present).
    pub fn exact(&self, path: &str) -> Option<Range<usize>> {
        self.0
            .iter()
            .rev()
            .find(|(k, s)| k == path && !s.is_empty())
            .map(|(_, s)| s.clone())
    }

    /// The span of `path`, else of the nearest enclosing path that has one, else `0..0`.
    pub fn find(&self, path: &str) -> Range<usize> {
        let mut p = path;
        loop {
            // The last record wins: a table's own span (its header) is recorded after the key
            // that names it.
            if let Some((_, span)) = self.0.iter().rev().find(|(k, s)| k == p && !s.is_empty()) {
                return span.clone();
            }
            match p.rfind('.') {
                Some(i) => p = &p[..i],
                None => return 0..0,
            }
        }
    }
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
            spans: Vec::new(),
            link_refs: Vec::new(),
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
        if let Some(d) = guard(path, text, bytes.len()) {
            return NoticeFacts {
                diagnostics: alloc::vec![d],
                ..NoticeFacts::default()
            };
        }
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
        facts.notice = if cx.diags.is_empty() {
            facts.partial.clone()
        } else {
            None
        };
        debug_assert!(notice.is_none() || facts.known == Known::ALL);
        facts.spans = Spans(core::mem::take(&mut cx.spans));
        cx.diags
            .sort_by_key(|d| d.location.as_ref().map_or(0, |l| l.span.start));
        facts.diagnostics = cx.diags;
        facts
    }
}

/// Largest `notice.toml` read, in bytes.
pub const MAX_NOTICE_BYTES: usize = 256 * 1024;
/// Deepest nesting of tables and arrays accepted in `notice.toml`.
pub const MAX_NOTICE_DEPTH: usize = 16;

/// Refuses a file too large or too deeply nested to be a notice, before the TOML parser sees
/// it (so hostile input cannot exhaust memory or the stack).
fn guard(path: &str, text: &str, len: usize) -> Option<Diagnostic> {
    if len > MAX_NOTICE_BYTES {
        return Some(
            Diagnostic::file_level(
                Code::FileTooLarge,
                path,
                format!("notice.toml is {len} bytes; at most {MAX_NOTICE_BYTES} are read"),
            )
            .with_note(
                "the structure of a notice fits in a few kilobytes; the words go in the .ftl files",
            ),
        );
    }
    let (depth, at) = max_depth(text);
    (depth > MAX_NOTICE_DEPTH).then(|| {
        Diagnostic::at(
            Code::NestingTooDeep,
            path,
            text,
            at..at + 1,
            format!("tables or arrays nested more than {MAX_NOTICE_DEPTH} levels deep"),
        )
    })
}

/// An upper bound of the nesting depth of TOML text, and where the limit is first passed: brackets
/// and braces outside strings and comments, and dotted keys in table headers. Cheap and
/// linear; it never under-counts what the parser would recurse on.
fn max_depth(text: &str) -> (usize, usize) {
    let b = text.as_bytes();
    let (mut depth, mut max, mut at) = (0usize, 0usize, 0usize);
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        let c = b[i];
        match c {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let triple = b.get(i..i + 3) == Some(&[c, c, c][..]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if c == b'"' && b[i] == b'\\' {
                        i += 2;
                        continue;
                    }
                    if triple {
                        if b.get(i..i + 3) == Some(&[c, c, c][..]) {
                            i += 3;
                            break;
                        }
                    } else if b[i] == c || b[i] == b'\n' {
                        i += 1;
                        break;
                    }
                    i += 1;
                }
                line_start = false;
                continue;
            }
            b'[' if line_start && depth == 0 => {
                // A table header: its depth is its number of dotted parts.
                let end = b[i..]
                    .iter()
                    .position(|&x| x == b'\n')
                    .map_or(b.len(), |n| i + n);
                let parts = 1 + b[i..end].iter().filter(|&&x| x == b'.').count();
                if parts > max {
                    if max <= MAX_NOTICE_DEPTH {
                        at = i;
                    }
                    max = parts;
                }
                i = end;
                continue;
            }
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    max = depth;
                    // Point where the limit is first passed.
                    if max == MAX_NOTICE_DEPTH + 1 {
                        at = i;
                    }
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        line_start = false;
        i += 1;
    }
    (max, at)
}

/// Reads the whole file into `facts.partial` and `facts.known`; `Some` when every part was
/// read.
fn read_root(cx: &mut Cx<'_>, root: &DeTable<'_>, facts: &mut NoticeFacts) -> Option<()> {
    let top = Table::new(root, 0..0, "notice.toml").at_path(cx, "");
    top.check_keys(
        cx,
        &[
            "notice_id",
            "version",
            "default_locale",
            "controller",
            "links",
            "policy_link",
            "rights",
            "complaints",
            "ccpa",
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
                "add a [controller] table with name, address, country and email",
            );
            None
        }
        Some(v) => as_table(cx, v, "controller", "[controller]".into()).and_then(|t| {
            let t = t.at_path(cx, "controller");
            read_controller(cx, &t, facts)
        }),
    };

    let links = match top.get("links") {
        None => Some(Vec::new()),
        Some(v) => match as_table(cx, v, "links", "[links]".into()) {
            Some(t) => {
                let t = t.at_path(cx, "links");
                read_links(cx, &t, facts)
            }
            None => {
                facts.links_complete = false;
                None
            }
        },
    };

    let policy_link = match top.get("policy_link") {
        None => Some(None),
        Some(_) => top.opt_str(cx, "policy_link").map(|(name, span)| {
            cx.link_refs.push((name.clone(), span));
            Some(name)
        }),
    };

    let rights = match top.get("rights") {
        None => {
            top.missing(
                cx,
                "rights",
                "add a [rights] table: offered = [\"access\", …] and how = [\"<link name>\"]",
            );
            None
        }
        Some(v) => as_table(cx, v, "rights", "[rights]".into()).and_then(|t| {
            let t = t.at_path(cx, "rights");
            read_rights(cx, &t, facts)
        }),
    };

    let complaints = match top.get("complaints") {
        None => Some(Vec::new()),
        Some(v) => as_table(cx, v, "complaints", "[complaints]".into()).and_then(|t| {
            let t = t.at_path(cx, "complaints");
            read_complaints(cx, &t, facts)
        }),
    };

    let ccpa = match top.get("ccpa") {
        None => Some(CcpaLinks::default()),
        Some(v) => as_table(cx, v, "ccpa", "[ccpa]".into()).and_then(|t| {
            let t = t.at_path(cx, "ccpa");
            read_ccpa(cx, &t)
        }),
    };

    let (purposes, purposes_ok) = match top.get("purposes") {
        None => {
            top.missing(cx, "purposes", "add at least one [[purposes]] table");
            facts.purposes_complete = false;
            (Vec::new(), false)
        }
        Some(v) => read_purposes(cx, v, facts),
    };

    let (mut regions, regions_ok) = match top.get("regions") {
        None => (RegionMap::default(), true),
        Some(v) => match as_table(cx, v, "regions", "[regions]".into()) {
            Some(t) => {
                let t = t.at_path(cx, "regions");
                read_regions(cx, &t)
            }
            None => (RegionMap::default(), false),
        },
    };
    // The controller's establishment brings its law to every visitor.
    if let Some(country) = controller.as_ref().and_then(|c| c.country.as_ref()) {
        regions = regions.with_controller_in(country);
    }
    // Every regime some visitor can get needs its name in every locale.
    for g in regions.regimes_in_use() {
        facts.labels.push((
            format!("regime-{}", g.as_str()),
            format!("visitors can get the regime `{}` ([regions])", g.as_str()),
        ));
    }

    // Link names used outside [links] must exist there (once [links] is fully known).
    if facts.links_complete {
        let refs = core::mem::take(&mut cx.link_refs);
        for (name, span) in refs {
            if !facts.links.iter().any(|(n, _)| *n == name) {
                let known: Vec<&str> = facts.links.iter().map(|(n, _)| n.as_str()).collect();
                cx.report(
                    Code::UnknownLinkName,
                    span,
                    format!("there is no link `{name}` in [links]"),
                )
                .note = Some(if known.is_empty() {
                    format!("add {name} = \"https://…\" under [links]")
                } else {
                    format!("[links] has: {}", known.join(", "))
                });
            }
        }
    }

    facts.known = Known {
        controller: controller.is_some(),
        links: links.is_some() && policy_link.is_some(),
        rights: rights.is_some(),
        complaints: complaints.is_some(),
        ccpa: ccpa.is_some(),
        purposes: purposes_ok,
        regions: regions_ok,
    };
    let complete =
        id.is_some() && version.is_some() && default_locale.is_some() && facts.known == Known::ALL;
    facts.partial = Some(Notice {
        id: id.unwrap_or_else(|| NoticeId::parse("notice").expect("a valid notice id")),
        version: version.unwrap_or_default(),
        default_locale: default_locale
            .unwrap_or_else(|| LocaleTag::parse("en").expect("a valid locale tag")),
        controller: controller.unwrap_or_else(Controller::unknown),
        links: links.unwrap_or_default(),
        policy_link: policy_link.flatten(),
        rights: rights.unwrap_or_default(),
        complaints: complaints.unwrap_or_default(),
        ccpa: ccpa.unwrap_or_default(),
        purposes,
        regions,
    });
    complete.then_some(())
}
