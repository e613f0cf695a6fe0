//! Lint and compile a locales directory into per-locale bundles and a manifest.
//!
//! ```text
//! notice.toml ──read──► NoticeFacts / Notice ─┐
//! <tag>.ftl ──parse──► messages ──resolve──► Rich text ─┴─check──► LocaleBundle ×N + Manifest
//! ```
//!
//! Core reads no files: the caller passes the directory's files as [`SourceFile`]s (path as
//! it should appear in findings, exact bytes). [`compile`] runs every check, collects every
//! finding and produces output only when there is no error. Output is deterministic: the same
//! input gives byte-identical files (canonical JSON, sorted locales and messages, no clock).
//!
//! Which files count: `notice.toml`, every `*.ftl`, every `<tag>.terms.toml` (the
//! terminology of a language, see [`meaning`]) and every `<tag>.facts.toml` (the facts of
//! `notice.toml` in that language, see [`translated`]), recognised by file name; anything else
//! (a `README.md`) is not part of the notice and is ignored.

mod checks;
mod ftl;
#[cfg(test)]
mod hostile;
pub mod interface;
#[cfg(test)]
mod lint_facts_tests;
mod meaning;
mod resolve;
mod rules;
#[cfg(test)]
pub(crate) mod tests;
mod translated;
pub mod versions;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::{
    self, BundleComplaint, BundleLink, BundlePurpose, BundleRight, DetailsRef, Direction,
    FirstLayer, LocaleBundle, Manifest, ManifestEntry, Rich, Span,
};
use crate::diagnostics::{Code, Diagnostic, SourceFile};
use crate::encoding::Sha256Digest;
use crate::ids::LocaleTag;
use crate::notice::{Notice, NoticeFacts};
use crate::time::Timestamp;

use checks::Locale;
use resolve::{Builtins, Links};

/// Name of the structure file in a locales directory.
pub const NOTICE_FILE: &str = "notice.toml";
/// Name of the manifest in a build directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// Largest `.ftl` file read, in bytes.
pub const MAX_FTL_BYTES: usize = 1024 * 1024;
/// Suffix of a language's terminology file: `zh-CN.terms.toml`.
pub const TERMS_SUFFIX: &str = meaning::terms::TERMS_SUFFIX;
/// Suffix of a language's facts file: `zh-CN.facts.toml`.
pub const FACTS_SUFFIX: &str = translated::FACTS_SUFFIX;

/// Whether a file named `name` in a locales directory is part of the notice: `notice.toml`,
/// a `.ftl` file, a terminology or a facts file (anything else, a `README.md`, is not).
pub fn is_notice_file(name: &str) -> bool {
    name == NOTICE_FILE
        || name.ends_with(".ftl")
        || name.ends_with(TERMS_SUFFIX)
        || name.ends_with(FACTS_SUFFIX)
}

/// Build settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CompileOptions {
    /// Recorded in the manifest as `build_time` if given; never read from a clock.
    pub build_time: Option<Timestamp>,
    /// The previously published build to compare with (V001–V003), if there is one.
    pub previous: Option<Previous>,
}

impl CompileOptions {
    /// Options with a build time.
    pub fn with_build_time(build_time: Option<Timestamp>) -> Self {
        Self {
            build_time,
            previous: None,
        }
    }

    /// These options, comparing with a previously published build.
    #[must_use]
    pub fn with_previous(mut self, previous: Previous) -> Self {
        self.previous = Some(previous);
        self
    }
}

/// The previously published build, as the caller could read it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Previous {
    /// Read and checked against its manifest.
    Build(versions::PublishedBuild),
    /// There is a manifest, but it or a file it lists could not be read.
    Unreadable {
        /// Path of what could not be read, as the user gave it.
        path: String,
        /// Why.
        reason: String,
    },
}

/// A file to write into the build directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// File name (no directory): `manifest.json`, a locale's first layer
    /// `notice.<tag>.<hash12>.json` or its details file `notice.<tag>.details.<hash12>.json`
    /// (see [`bundle::FirstLayer`]).
    pub name: String,
    /// Exact bytes; for a first layer, the manifest's `sha256` is the digest of these, for a
    /// details file the first layer's `details.sha256`.
    pub bytes: Vec<u8>,
}

/// A successful build.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Build {
    /// The validated notice it was built from.
    pub notice: Notice,
    /// The manifest (also in `files` as `manifest.json`).
    pub manifest: Manifest,
    /// One complete bundle per locale, sorted by tag (the content of the details files).
    pub bundles: Vec<LocaleBundle>,
    /// Every file to write: per locale (sorted by tag) its details file, then its first layer;
    /// then `manifest.json`.
    pub files: Vec<OutputFile>,
}

/// The result of [`compile`]: all findings, and the build if there was no error.
#[derive(Clone, Debug)]
pub struct Compiled {
    /// Every finding, notice.toml first, then the `.ftl` files by path, each in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The output; `None` if any finding is an error.
    pub build: Option<Build>,
}

impl Compiled {
    /// Whether any finding is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// The file name of a compiled locale's first layer (the file the manifest names):
/// `notice.<tag>.<first 12 hex digits of its SHA-256>.json`.
pub fn locale_file_name(tag: &LocaleTag, digest: &Sha256Digest) -> String {
    format!("notice.{tag}.{}.json", &digest.to_hex()[..12])
}

/// The file name of a compiled locale's details file (the complete bundle):
/// `notice.<tag>.details.<first 12 hex digits of its SHA-256>.json`.
pub fn details_file_name(tag: &LocaleTag, digest: &Sha256Digest) -> String {
    format!("notice.{tag}.details.{}.json", &digest.to_hex()[..12])
}

/// Lints the files of a locales directory; the same checks as [`compile`], without output.
pub fn lint(dir: &str, files: &[SourceFile]) -> Vec<Diagnostic> {
    compile(dir, files, &CompileOptions::default()).diagnostics
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.into()
    } else if dir.ends_with('/') || dir.ends_with('\\') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

/// Lints and compiles the files of the locales directory `dir` (`dir` is only used to name
/// missing files in findings).
pub fn compile(dir: &str, files: &[SourceFile], options: &CompileOptions) -> Compiled {
    let mut diags = Vec::new();

    let notice_file = files.iter().find(|f| f.file_name() == NOTICE_FILE);
    let facts = match notice_file {
        Some(f) => {
            let mut facts = NoticeFacts::read(&f.path, &f.bytes);
            diags.append(&mut facts.diagnostics);
            facts
        }
        None => {
            diags.push(
                Diagnostic::file_level(
                    Code::MissingNoticeFile,
                    join(dir, NOTICE_FILE),
                    format!("{dir} has no {NOTICE_FILE}"),
                )
                .with_note("notice.toml describes the controller, the purposes and the links"),
            );
            NoticeFacts::default()
        }
    };

    let mut ftl_files: Vec<&SourceFile> = files
        .iter()
        .filter(|f| f.file_name().ends_with(".ftl"))
        .collect();
    ftl_files.sort_by(|a, b| a.path.cmp(&b.path));
    if ftl_files.is_empty() {
        diags.push(
            Diagnostic::file_level(
                Code::NoLocaleFiles,
                dir,
                format!("{dir} has no locale files"),
            )
            .with_note("add one <language-tag>.ftl file per language, e.g. en.ftl and zh-CN.ftl"),
        );
    }

    let mut locales: Vec<Locale> = Vec::new();
    for f in &ftl_files {
        let name = f.file_name();
        let stem = &name[..name.len() - ".ftl".len()];
        let tag = match LocaleTag::parse(stem) {
            Ok(tag) if tag.as_str() == stem => Some(tag),
            Ok(tag) => {
                diags.push(
                    Diagnostic::file_level(
                        Code::InvalidLocaleFileName,
                        f.path.as_str(),
                        format!("`{name}` is not in canonical case"),
                    )
                    .with_note(format!("rename it to {tag}.ftl")),
                );
                None
            }
            Err(e) => {
                diags.push(
                    Diagnostic::file_level(
                        Code::InvalidLocaleFileName,
                        f.path.as_str(),
                        format!("`{name}` is not named after a language tag: {e}"),
                    )
                    .with_note("name locale files <language-tag>.ftl, e.g. en.ftl or zh-CN.ftl"),
                );
                None
            }
        };
        if f.bytes.len() > MAX_FTL_BYTES {
            diags.push(
                Diagnostic::file_level(
                    Code::FileTooLarge,
                    f.path.as_str(),
                    format!(
                        "{name} is {} bytes; at most {MAX_FTL_BYTES} are read",
                        f.bytes.len()
                    ),
                )
                .with_note("a notice's text fits in a few dozen kilobytes per language"),
            );
            continue;
        }
        // Parse even a badly named file, so its syntax errors show in the same run.
        if let (Some(file), Some(tag)) = (ftl::parse(&f.path, &f.bytes, &mut diags), tag) {
            let interface = interface::parse_for(&tag, &mut diags);
            locales.push(Locale {
                tag,
                file,
                interface,
            });
        }
    }
    locales.sort_by(|a, b| a.tag.cmp(&b.tag));

    let default = facts.default_locale.as_ref().and_then(|(tag, span)| {
        let found = locales.iter().find(|l| &l.tag == tag);
        if found.is_none() {
            // A locale whose file exists but is not UTF-8 has already been reported (F003).
            let unreadable = ftl_files
                .iter()
                .any(|f| f.file_name() == format!("{tag}.ftl"));
            if !unreadable
                && !ftl_files.is_empty()
                && let Some(nf) = notice_file
            {
                let text = core::str::from_utf8(&nf.bytes).unwrap_or_default();
                diags.push(
                    Diagnostic::at(
                        Code::DefaultLocaleMissing,
                        nf.path.as_str(),
                        text,
                        span.clone(),
                        format!("there is no locale file for the default locale `{tag}`"),
                    )
                    .with_note(format!("add {}", join(dir, &format!("{tag}.ftl")))),
                );
            }
        }
        found
    });

    let links = Links {
        known: &facts.links,
        complete: facts.links_complete,
    };
    let resolved: Vec<Vec<(String, Rich)>> = locales
        .iter()
        .map(|l| {
            let retention = meaning::retention_words(&facts, l.tag.language());
            let builtins = Builtins {
                retention: &retention,
                locale: l.tag.as_str(),
            };
            let mut own = resolve::resolve_all(&l.file, links, builtins, &mut diags);
            // The built-in interface text fills what the locale file leaves out (its own wins).
            if let Some(built_in) = &l.interface {
                for (id, rich) in resolve::resolve_all(built_in, links, builtins, &mut diags) {
                    if interface::covers(&id)
                        && own.binary_search_by(|(k, _)| k.as_str().cmp(&id)).is_err()
                    {
                        own.push((id, rich));
                    }
                }
                own.sort_by(|a, b| a.0.cmp(&b.0));
            }
            own
        })
        .collect();
    // The laws' rules run on whatever of notice.toml could be read, so their findings show
    // even while it has other errors.
    let regime_messages = match (&facts.partial, notice_file) {
        (Some(notice), Some(nf)) => {
            let file = rules::NoticeFile {
                path: &nf.path,
                text: core::str::from_utf8(&nf.bytes).unwrap_or_default(),
                spans: &facts.spans,
            };
            rules::check_notice(notice, facts.known, &file, &mut diags);
            rules::required_by_regimes(notice)
        }
        _ => Vec::new(),
    };
    if let (Some(notice), Some(nf)) = (&facts.partial, notice_file) {
        let placed = resolved.iter().flatten().any(|(_, r)| {
            r.0.iter()
                .any(|s| matches!(s, Span::Var(v) if v == "deadline"))
        });
        let file = rules::NoticeFile {
            path: &nf.path,
            text: core::str::from_utf8(&nf.bytes).unwrap_or_default(),
            spans: &facts.spans,
        };
        rules::check_deadline(notice, facts.known, &file, placed, &mut diags);
    }
    checks::check_messages(&facts, &regime_messages, &locales, default, &mut diags);
    checks::check_texts(&locales, default, &resolved, &mut diags);
    checks::check_hotline_closing(&locales, &resolved, &mut diags);
    let mut terms: Vec<&SourceFile> = files
        .iter()
        .filter(|f| f.file_name().ends_with(TERMS_SUFFIX))
        .collect();
    terms.sort_by(|a, b| a.path.cmp(&b.path));
    let mut fact_files: Vec<&SourceFile> = files
        .iter()
        .filter(|f| f.file_name().ends_with(FACTS_SUFFIX))
        .collect();
    fact_files.sort_by(|a, b| a.path.cmp(&b.path));
    let tags: Vec<String> = locales.iter().map(|l| l.tag.as_str().into()).collect();
    let default_tag = facts.default_locale.as_ref().map(|(t, _)| t.as_str());
    // Read before the meaning checks, which compare purposes' texts with the facts as each
    // language shows them (K008).
    let translations = translated::read_all(&fact_files, &tags, default_tag, &mut diags);
    let read_terms = meaning::check(
        &meaning::Input {
            facts: &facts,
            notice_file,
            locales: &locales,
            default,
            resolved: &resolved,
            terms: &terms,
            translations: &translations,
        },
        &mut diags,
    );
    if let Some(notice) = &facts.partial {
        let language = |tag: &str, messages: Option<&Vec<(String, Rich)>>| translated::Language {
            tag: "",
            countries: messages
                .into_iter()
                .flatten()
                .filter_map(|(id, r)| {
                    id.strip_prefix("country-")
                        .filter(|c| c.len() == 2)
                        .map(|c| (c.to_ascii_uppercase(), r.to_plain()))
                })
                .collect(),
            avoid: read_terms
                .iter()
                .filter(|t| t.tag == tag)
                .flat_map(|t| {
                    t.entries.iter().flat_map(move |term| {
                        term.avoid.iter().map(move |a| {
                            let mut note = format!("to avoid by {}:{}", t.path, term.line);
                            if let Some(n) = &term.note {
                                note = format!("{note}: {n}");
                            }
                            (a.clone(), note)
                        })
                    })
                })
                .collect(),
        };
        let languages: Vec<translated::Language<'_>> = locales
            .iter()
            .zip(&resolved)
            .map(|(l, r)| translated::Language {
                tag: l.tag.as_str(),
                ..language(l.tag.as_str(), Some(r))
            })
            .collect();
        let default_language = match default_tag {
            Some(tag) => translated::Language {
                tag,
                ..language(
                    tag,
                    locales
                        .iter()
                        .position(|l| l.tag.as_str() == tag)
                        .map(|i| &resolved[i]),
                )
            },
            None => translated::Language {
                tag: "en",
                ..language("en", None)
            },
        };
        translated::check_translations(
            notice,
            &translations,
            &default_language,
            &languages,
            &mut diags,
        );
    }
    if let (Some(notice), Some(nf)) = (&facts.partial, notice_file) {
        translated::check(
            notice,
            facts.known.controller && facts.known.purposes,
            &translated::NoticeFile {
                path: &nf.path,
                text: core::str::from_utf8(&nf.bytes).unwrap_or_default(),
                spans: &facts.spans,
            },
            &tags,
            default_tag,
            &translations,
            &mut diags,
        );
    }

    let errors = diags.iter().any(Diagnostic::is_error);
    let mut build = match (&facts.notice, errors) {
        (Some(notice), false) => Some(build(notice, &locales, resolved, &translations, options)),
        _ => None,
    };
    if let (Some(b), Some(previous), Some(nf)) = (&build, &options.previous, notice_file) {
        let before = diags.len();
        compare(b, previous, nf, &facts, &mut diags);
        if diags[before..].iter().any(Diagnostic::is_error) {
            build = None;
        }
    }
    sort(&mut diags, notice_file.map(|f| f.path.as_str()));
    Compiled {
        diagnostics: diags,
        build,
    }
}

/// V001–V003: the build against the previously published one.
fn compare(
    build: &Build,
    previous: &Previous,
    notice_file: &SourceFile,
    facts: &NoticeFacts,
    diags: &mut Vec<Diagnostic>,
) {
    let text = core::str::from_utf8(&notice_file.bytes).unwrap_or_default();
    let at = |key: &str| facts.spans.find(key);
    let old = match previous {
        Previous::Unreadable { path, reason } => {
            diags.push(
                Diagnostic::file_level(
                    Code::PreviousBuildUnreadable,
                    path.as_str(),
                    format!("the published build cannot be read: {reason}"),
                )
                .with_note("restore it, or compare with another build (--previous)"),
            );
            return;
        }
        Previous::Build(b) => b,
    };
    let new = versions::PublishedBuild::from_build(build);
    if old.manifest.notice_id != new.manifest.notice_id {
        diags.push(
            Diagnostic::at(
                Code::DifferentNotice,
                notice_file.path.as_str(),
                text,
                at("notice_id"),
                format!(
                    "the published build is of the notice `{}`, not `{}`; it was not compared",
                    old.manifest.notice_id, new.manifest.notice_id
                ),
            )
            .with_note("publish different notices to different directories"),
        );
        return;
    }
    let d = versions::diff(old, &new);
    if d.version.is_none() && d.is_material() {
        diags.push(
            Diagnostic::at(
                Code::ChangedWithoutVersionBump,
                notice_file.path.as_str(),
                text,
                at("version"),
                format!(
                    "the notice changed since the published build, but version is still {:?}: {}",
                    new.manifest.version,
                    versions::summary(&d)
                ),
            )
            .with_note("change version in notice.toml so that visitors are asked again"),
        );
    }
}

/// Orders findings: directory- and notice.toml-level first, then the `.ftl` files by path;
/// within a file, whole-file findings first, then by position, then by code.
fn sort(diags: &mut [Diagnostic], notice_path: Option<&str>) {
    diags.sort_by(|a, b| {
        let rank = |d: &Diagnostic| {
            let is_ftl = Some(d.file.as_str()) != notice_path && d.file.ends_with(".ftl");
            (
                is_ftl,
                if is_ftl {
                    d.file.clone()
                } else {
                    String::new()
                },
            )
        };
        let pos = |d: &Diagnostic| d.location.as_ref().map(|l| l.span.start);
        rank(a)
            .cmp(&rank(b))
            .then_with(|| pos(a).cmp(&pos(b)))
            .then_with(|| a.code.cmp(&b.code))
            .then_with(|| a.message.cmp(&b.message))
    });
}

/// In words of `language`, every deadline the widget may fill in for `{ $deadline }`: each
/// statutory one of a regime a visitor can get, and the controller's own.
fn deadline_words(notice: &Notice, language: &str) -> Vec<(String, String)> {
    let lang = meaning::Lang::of(language);
    let mut out: Vec<(String, String)> = Vec::new();
    let own = notice.rights.deadline.as_ref().map(|d| d.as_str());
    let statutory: Vec<&str> = notice
        .regions
        .regimes_in_use()
        .into_iter()
        .filter_map(crate::regime::Regime::response_deadline)
        .collect();
    let all = statutory.into_iter().chain(own);
    for d in all {
        if out.iter().any(|(k, _)| k == d) {
            continue;
        }
        if let Some(words) = crate::notice::Retention::parse(d)
            .ok()
            .and_then(|r| meaning::format_retention(&r, lang))
        {
            out.push((d.into(), words));
        }
    }
    out.sort();
    out
}

/// Whether message `id` is a text of the purpose `purpose`: `purpose-<purpose>-…`, or its
/// line of the hotline script, `hotline-script-purpose-<purpose>` (and `…-separate`). What
/// such a text says is checked against the purpose's facts (`{ $retention }`, K002–K008).
pub(crate) fn is_purpose_text(id: &str, purpose: &str) -> bool {
    if let Some(rest) = id.strip_prefix("purpose-") {
        rest.strip_prefix(purpose)
            .is_some_and(|r| r.starts_with('-'))
    } else if let Some(rest) = id.strip_prefix(crate::messages::HOTLINE_PURPOSE) {
        rest.strip_prefix(purpose)
            .is_some_and(|r| r.is_empty() || r.starts_with('-'))
    } else {
        false
    }
}

/// A purpose's facts as compiled (no texts): what the regimes' rules and receipts read. The
/// legal bases per regime keep only those that differ from the purpose's main basis.
pub(crate) fn purpose_facts(p: &crate::notice::Purpose) -> BundlePurpose {
    BundlePurpose {
        legal_bases: p
            .legal_bases
            .iter()
            .filter(|(_, b)| *b != p.legal_basis)
            .map(|(g, b)| (*g, b.as_str().into()))
            .collect(),
        dpv: p.dpv.clone(),
        separate_consent: p.separate_consent,
        sensitive: p.sensitive,
        retention: p.retention.as_str().into(),
        recipients: p.recipients(),
        processors: p.processors.clone(),
        data_categories: p.data_categories.clone(),
        channels: p.channels.iter().map(|c| c.as_str().into()).collect(),
        transfers: p
            .transfers
            .iter()
            .map(|t| bundle::Transfer {
                destination: t.destination.as_str().into(),
                safeguard: t.safeguard.as_str().into(),
                recipient: t.recipient.clone(),
                contact: t.contact.clone(),
            })
            .collect(),
        sold_or_shared: p.sold_or_shared,
        automated_decisions: p.automated_decisions,
        on_until_opt_out: p.on_until_opt_out.clone(),
        ..BundlePurpose::new(
            p.id.clone(),
            p.required,
            p.legal_basis.as_str(),
            Rich::default(),
            Rich::default(),
        )
    }
}

fn build(
    notice: &Notice,
    locales: &[Locale],
    resolved: Vec<Vec<(String, Rich)>>,
    translations: &[translated::Translations],
    options: &CompileOptions,
) -> Build {
    let c = &notice.controller;
    let rep = |r: &Option<crate::notice::Representative>| {
        r.as_ref().map(|r| bundle::Representative {
            name: r.name.clone(),
            address: r.address.clone(),
            email: r.email.clone(),
        })
    };
    let controller = bundle::Controller {
        name: c.name.clone(),
        address: c.address.clone(),
        email: c.email.clone(),
        phone: c.phone.clone(),
        dpo_name: c.dpo.as_ref().map(|d| d.name.clone()),
        dpo_email: c.dpo.as_ref().map(|d| d.email.clone()),
        dpo_phone: c.dpo.as_ref().and_then(|d| d.phone.clone()),
        country: c.country.as_ref().map(|r| r.as_str().into()),
        eu_representative: rep(&c.eu_representative),
        china_representative: rep(&c.china_representative),
        uk_representative: rep(&c.uk_representative),
        swiss_representative: rep(&c.swiss_representative),
        korea_representative: rep(&c.korea_representative),
        head: c.head.clone(),
    };
    let mut bundles = Vec::new();
    let mut files = Vec::new();
    let mut entries = Vec::new();
    let mut listed = Vec::new();
    for (locale, messages) in locales.iter().zip(resolved) {
        let find = |id: &str| {
            messages
                .iter()
                .find(|(k, _)| k == id)
                .map(|(_, v)| v.clone())
        };
        let text = |id: &str| find(id).unwrap_or_default();
        let purposes = notice
            .purposes
            .iter()
            .map(|p| BundlePurpose {
                name: text(&format!("purpose-{}-name", p.id)),
                description: text(&format!("purpose-{}-description", p.id)),
                legitimate_interest: find(&format!("purpose-{}-legitimate-interest", p.id)),
                automated_decision: find(&format!("purpose-{}-automated-decision", p.id)),
                sensitive_impact: find(&format!("purpose-{}-sensitive-impact", p.id)),
                ..purpose_facts(p)
            })
            .collect();
        let dir = if locale.tag.is_rtl() {
            Direction::Rtl
        } else {
            Direction::Ltr
        };
        let language_name = text("language-name").to_plain();
        let links = notice
            .links
            .iter()
            .map(|l| BundleLink {
                name: l.name.clone(),
                href: l.url.clone(),
                // A mailto: link without a label shows its address.
                text: match (
                    find(&format!("link-{}", l.name)),
                    resolve::mailto_address(&l.url),
                ) {
                    (Some(label), _) => label.to_plain(),
                    (None, Some(address)) => address.into(),
                    (None, None) => String::new(),
                },
            })
            .collect();
        let rights = notice
            .rights
            .offered
            .iter()
            .map(|r| BundleRight {
                id: r.as_str().into(),
                text: text(&format!("right-{r}")),
            })
            .collect();
        let complaints = notice
            .complaints
            .iter()
            .map(|c| BundleComplaint {
                regime: c.regime,
                link: c.link.clone(),
                text: text(&format!("complaint-{}", c.regime.as_str())),
            })
            .collect();
        let bundle = LocaleBundle {
            notice_id: notice.id.clone(),
            version: notice.version.clone(),
            locale: locale.tag.clone(),
            dir,
            controller: controller.clone(),
            names: translated::names_for(notice, locale.tag.as_str(), translations),
            purposes,
            messages,
            links,
            policy_link: notice.policy_link.clone(),
            rights,
            rights_how: notice.rights.how.clone(),
            complaints,
            ccpa_opt_out_link: notice.ccpa.opt_out_link.clone(),
            ccpa_limit_link: notice.ccpa.limit_link.clone(),
            deadline: notice.rights.deadline.as_ref().map(|d| d.as_str().into()),
            durations: deadline_words(notice, locale.tag.language()),
            // The acknowledgements in [regions] are for the linter; they are not published.
            regions: crate::notice::RegionMap {
                acknowledged: Vec::new(),
                ..notice.regions.clone()
            },
        };
        // The complete bundle goes into the details file; the first layer, cut from it, names
        // it with its digest and is what the manifest (and every receipt) points at.
        let full = bundle.to_json().into_bytes();
        let details = DetailsRef {
            path: details_file_name(&locale.tag, &Sha256Digest::of(&full)),
            sha256: Sha256Digest::of(&full),
        };
        let bytes = FirstLayer::file_of(&bundle, details.clone()).into_bytes();
        let sha256 = Sha256Digest::of(&bytes);
        let name = locale_file_name(&locale.tag, &sha256);
        entries.push(ManifestEntry {
            locale: locale.tag.clone(),
            path: name.clone(),
            sha256,
            dir,
            name: language_name,
        });
        files.push(OutputFile {
            name: details.path.clone(),
            bytes: full,
        });
        files.push(OutputFile { name, bytes });
        listed.push(Some(details));
        bundles.push(bundle);
    }
    let manifest = Manifest {
        notice_id: notice.id.clone(),
        version: notice.version.clone(),
        default_locale: notice.default_locale.clone(),
        build_time: options.build_time.map(Timestamp::to_rfc3339),
        locales: entries,
    };
    files.push(OutputFile {
        name: MANIFEST_FILE.into(),
        bytes: manifest.to_json_with_details(&listed).into_bytes(),
    });
    Build {
        notice: notice.clone(),
        manifest,
        bundles,
        files,
    }
}
