//! Versions of a published notice: what changed between two builds, and whether a change
//! needs a new version.
//!
//! A build is compared with the previously published one (its manifest and locale files, read
//! by the caller). A material change under the same `version` is an error (V001) that names the
//! changed messages: visitors are only asked again when the version changes, so text that
//! changes silently would leave receipts pointing at words nobody saw. Material means anything
//! but whitespace: words, links, and every structural fact (purposes, legal bases, retention,
//! recipients, transfers, rights, complaints, regions, controller). A new locale is not a
//! change; a removed one is.

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::{LocaleBundle, Manifest, Rich, Span};
use crate::ids::LocaleTag;

/// A published build as read back: its manifest and every locale file it lists.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PublishedBuild {
    /// The manifest.
    pub manifest: Manifest,
    /// One bundle per manifest entry, in manifest order.
    pub bundles: Vec<LocaleBundle>,
}

impl PublishedBuild {
    /// Reads a build from its manifest bytes and a function that returns the bytes of a file
    /// named in it. Every file's SHA-256 must match the digest published for it (in the
    /// manifest, or a details file's in its first layer), and each first layer must be the cut
    /// of its details file (see [`crate::bundle::read_published_locale`]).
    pub fn read(
        manifest: &[u8],
        mut file: impl FnMut(&str) -> Result<alloc::vec::Vec<u8>, String>,
    ) -> Result<Self, String> {
        let m = Manifest::from_json(manifest).map_err(|e| format!("manifest.json: {e}"))?;
        let listed =
            crate::bundle::manifest_details(manifest).map_err(|e| format!("manifest.json: {e}"))?;
        let manifest = m;
        let mut bundles = Vec::new();
        for (i, e) in manifest.locales.iter().enumerate() {
            let listed = listed.get(i).and_then(Option::as_deref);
            let b = crate::bundle::read_published_locale(e, listed, &mut file)
                .map_err(|err| err.to_string())?;
            bundles.push(b);
        }
        Ok(Self { manifest, bundles })
    }

    /// A build just compiled, as it will be published.
    pub fn from_build(build: &super::Build) -> Self {
        Self {
            manifest: build.manifest.clone(),
            bundles: build.bundles.clone(),
        }
    }
}

/// How one message differs between two builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MessageChange {
    /// Only in the new build.
    Added {
        /// Message id.
        id: String,
        /// New text.
        new: String,
    },
    /// Only in the old build.
    Removed {
        /// Message id.
        id: String,
        /// Old text.
        old: String,
    },
    /// In both, with different text (not just whitespace).
    Changed {
        /// Message id.
        id: String,
        /// Old text.
        old: String,
        /// New text.
        new: String,
    },
}

impl MessageChange {
    /// The message id.
    pub fn id(&self) -> &str {
        match self {
            MessageChange::Added { id, .. }
            | MessageChange::Removed { id, .. }
            | MessageChange::Changed { id, .. } => id,
        }
    }
}

/// What changed in one locale.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct LocaleDiff {
    /// The locale.
    pub locale: LocaleTag,
    /// Message changes, by id.
    pub messages: Vec<MessageChange>,
}

/// What changed between two builds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BuildDiff {
    /// Old and new version, when they differ.
    pub version: Option<(String, String)>,
    /// Structural changes, described (`purpose marketing: retention P1Y → P2Y`).
    pub structure: Vec<String>,
    /// Locales only in the new build.
    pub added_locales: Vec<LocaleTag>,
    /// Locales only in the old build.
    pub removed_locales: Vec<LocaleTag>,
    /// Per-locale message changes, for locales in both (only those with changes).
    pub locales: Vec<LocaleDiff>,
}

impl BuildDiff {
    /// Whether anything but the version and added locales changed: what needs a new version.
    pub fn is_material(&self) -> bool {
        !self.structure.is_empty() || !self.removed_locales.is_empty() || !self.locales.is_empty()
    }

    /// Whether nothing at all differs.
    pub fn is_empty(&self) -> bool {
        self.version.is_none() && self.added_locales.is_empty() && !self.is_material()
    }
}

/// A message's text with links written `[label](href)` and whitespace collapsed: what a
/// reader sees, and what counts as a change.
pub fn normalized(r: &Rich) -> String {
    let mut s = String::new();
    for span in &r.0 {
        match span {
            Span::Text(t) => s.push_str(t),
            Span::Link { href, text } => {
                s.push('[');
                s.push_str(text);
                s.push_str("](");
                s.push_str(href);
                s.push(')');
            }
            Span::Var(name) => {
                s.push_str("{$");
                s.push_str(name);
                s.push('}');
            }
        }
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// The structure of a bundle without its words, as comparable lines.
fn structure(b: &LocaleBundle) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let c = &b.controller;
    out.push((
        "controller".into(),
        format!(
            "{} | {} | {} | {:?} | {:?} {:?} {:?} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?} | {:?}",
            c.name,
            c.address,
            c.email,
            c.phone,
            c.dpo_name,
            c.dpo_email,
            c.dpo_phone,
            c.country,
            c.eu_representative,
            c.china_representative,
            c.uk_representative,
            c.swiss_representative,
            c.korea_representative,
            c.head
        ),
    ));
    let ids: Vec<&str> = b.purposes.iter().map(|p| p.id.as_str()).collect();
    out.push(("purposes".into(), ids.join(", ")));
    for p in &b.purposes {
        let at = |k: &str| format!("purpose {}: {k}", p.id);
        let list = |v: &[String]| v.join(", ");
        out.push((at("required"), format!("{}", p.required)));
        out.push((at("legal basis"), p.legal_basis.clone()));
        out.push((
            at("legal basis per regime"),
            p.legal_bases
                .iter()
                .map(|(g, b)| format!("{}={b}", g.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        ));
        out.push((at("retention"), p.retention.clone()));
        out.push((at("recipients"), list(&p.recipients)));
        out.push((at("processors"), list(&p.processors)));
        out.push((at("data categories"), list(&p.data_categories)));
        out.push((at("channels"), list(&p.channels)));
        out.push((
            at("transfers"),
            p.transfers
                .iter()
                .map(|t| {
                    format!(
                        "{} {} {:?} {:?}",
                        t.destination, t.safeguard, t.recipient, t.contact
                    )
                })
                .collect::<Vec<_>>()
                .join("; "),
        ));
        out.push((
            at("flags"),
            format!(
                "sensitive={} separate_consent={} sold_or_shared={} automated_decisions={}",
                p.sensitive, p.separate_consent, p.sold_or_shared, p.automated_decisions
            ),
        ));
    }
    out.push((
        "links".into(),
        b.links
            .iter()
            .map(|l| format!("{}={}", l.name, l.href))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    out.push(("policy link".into(), format!("{:?}", b.policy_link)));
    out.push((
        "rights".into(),
        b.rights
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    ));
    out.push(("rights: where to use them".into(), b.rights_how.join(", ")));
    out.push((
        "complaints".into(),
        b.complaints
            .iter()
            .map(|c| format!("{}={}", c.regime.as_str(), c.link))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    out.push((
        "ccpa links".into(),
        format!("{:?} {:?}", b.ccpa_opt_out_link, b.ccpa_limit_link),
    ));
    out.push((
        "regions".into(),
        format!(
            "default={:?} {}",
            b.regions.default.map(|g| g.as_str()),
            b.regions
                .entries
                .iter()
                .map(|(r, g)| format!("{r}={}", g.as_str()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    out
}

/// Compares two builds, message by message and fact by fact.
pub fn diff(old: &PublishedBuild, new: &PublishedBuild) -> BuildDiff {
    let mut d = BuildDiff::default();
    if old.manifest.version != new.manifest.version {
        d.version = Some((old.manifest.version.clone(), new.manifest.version.clone()));
    }
    let tags = |b: &PublishedBuild| -> BTreeSet<LocaleTag> {
        b.bundles.iter().map(|x| x.locale.clone()).collect()
    };
    let (old_tags, new_tags) = (tags(old), tags(new));
    d.added_locales = new_tags.difference(&old_tags).cloned().collect();
    d.removed_locales = old_tags.difference(&new_tags).cloned().collect();
    // Structure is the same in every locale of a build; compare the first common one.
    fn pick(b: &PublishedBuild) -> Option<&LocaleBundle> {
        b.bundles
            .iter()
            .find(|x| x.locale == b.manifest.default_locale)
            .or(b.bundles.first())
    }
    if let (Some(o), Some(n)) = (pick(old), pick(new)) {
        let (so, sn) = (structure(o), structure(n));
        for (key, nv) in &sn {
            match so.iter().find(|(k, _)| k == key) {
                Some((_, ov)) if ov == nv => {}
                Some((_, ov)) => d.structure.push(format!("{key}: {ov} → {nv}")),
                None => d.structure.push(format!("{key}: added ({nv})")),
            }
        }
        for (key, ov) in &so {
            if !sn.iter().any(|(k, _)| k == key) {
                d.structure.push(format!("{key}: removed (was {ov})"));
            }
        }
    }
    for n in &new.bundles {
        let Some(o) = old.bundles.iter().find(|x| x.locale == n.locale) else {
            continue;
        };
        let mut changes = Vec::new();
        for (id, text) in &n.messages {
            let new_text = normalized(text);
            match o.message(id) {
                None => changes.push(MessageChange::Added {
                    id: id.clone(),
                    new: new_text,
                }),
                Some(old_rich) => {
                    let old_text = normalized(old_rich);
                    if old_text != new_text {
                        changes.push(MessageChange::Changed {
                            id: id.clone(),
                            old: old_text,
                            new: new_text,
                        });
                    }
                }
            }
        }
        for (id, text) in &o.messages {
            if n.message(id).is_none() {
                changes.push(MessageChange::Removed {
                    id: id.clone(),
                    old: normalized(text),
                });
            }
        }
        // The facts as this locale shows them (`<tag>.facts.toml`) are words people read too.
        let mut keys: Vec<&String> = o.names.iter().chain(&n.names).map(|(k, _)| k).collect();
        keys.sort();
        keys.dedup();
        for fact in keys {
            let (old_shown, new_shown) = (o.shown(fact), n.shown(fact));
            if old_shown != new_shown {
                changes.push(MessageChange::Changed {
                    id: format!("fact `{fact}`"),
                    old: old_shown.into(),
                    new: new_shown.into(),
                });
            }
        }
        changes.sort_by(|a, b| a.id().cmp(b.id()));
        if !changes.is_empty() {
            d.locales.push(LocaleDiff {
                locale: n.locale.clone(),
                messages: changes,
            });
        }
    }
    d
}

/// The order of versions as people write them: compared piece by piece (pieces split at `.`,
/// `-` and `_`), numbers by value (`2026.12.10` after `2026.12.9`), other pieces by their
/// text, a number before a word; a version that is the start of another comes first. Ties
/// (`1.01` and `1.1`) fall back to the plain text, so the order is total.
pub fn compare_versions(a: &str, b: &str) -> core::cmp::Ordering {
    use core::cmp::Ordering;
    let pieces = |s: &str| -> Vec<String> {
        s.split(['.', '-', '_'])
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let (pa, pb) = (pieces(a), pieces(b));
    for (x, y) in pa.iter().zip(&pb) {
        fn number(s: &str) -> Option<&str> {
            (!s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
                .then(|| s.trim_start_matches('0'))
        }
        let o = match (number(x), number(y)) {
            (Some(m), Some(n)) => m.len().cmp(&n.len()).then_with(|| m.cmp(n)),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => x.cmp(y),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    pa.len().cmp(&pb.len()).then_with(|| a.cmp(b))
}

/// One line naming what changed materially: `en: banner-body, close; zh-CN: close; purpose
/// marketing: retention`.
pub fn summary(d: &BuildDiff) -> String {
    let mut parts: Vec<String> = Vec::new();
    for l in &d.locales {
        let ids: Vec<&str> = l.messages.iter().map(MessageChange::id).collect();
        parts.push(format!("{}: {}", l.locale, ids.join(", ")));
    }
    for s in &d.structure {
        parts.push(s.split(':').next().unwrap_or(s).into());
    }
    for t in &d.removed_locales {
        parts.push(format!("locale {t} removed"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::compare_versions;
    use core::cmp::Ordering;

    #[test]
    fn versions_sort_as_people_write_them() {
        let mut v = [
            "2026.12.10",
            "2026.12.9",
            "2026.12.7-rc1",
            "2026.12.7",
            "2026.2.1",
            "v1",
            "2026.12",
        ];
        v.sort_by(|a, b| compare_versions(a, b));
        assert_eq!(
            v,
            [
                "2026.2.1",
                "2026.12",
                "2026.12.7",
                "2026.12.7-rc1",
                "2026.12.9",
                "2026.12.10",
                "v1"
            ]
        );
        // Total: equal only when the same text.
        assert_eq!(compare_versions("1.01", "1.1"), Ordering::Less);
        assert_eq!(compare_versions("1.1", "1.1"), Ordering::Equal);
        assert_eq!(compare_versions("007", "7"), Ordering::Less);
    }
}
