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
use alloc::string::ToString;
use alloc::vec::Vec;
use core::ops::Range;

use toml::de::DeTable;

use super::{LegalBasis, Notice, RegionMap};
use crate::diagnostics::{Code, Diagnostic};
use crate::ids::{LocaleTag, NoticeId, PurposeId};
use parts::{read_controller, read_links, read_regions};
use purposes::read_purposes;
use table::{Cx, Table, as_table};

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
