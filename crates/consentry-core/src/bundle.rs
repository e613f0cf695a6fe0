//! The compiled notice: one JSON file per locale (a [`LocaleBundle`]) plus a [`Manifest`].
//!
//! `consentry build` writes these; the widget reads them. The widget hashes the exact bytes it
//! fetched, compares the digest with the manifest and only then parses them, so the text on the
//! screen is exactly the text whose SHA-256 goes into the receipt.
//!
//! Both files are written in canonical JSON (RFC 8785) so the same sources always give the same
//! bytes. Readers ignore members they do not know (forward compatibility within `/1`).

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::encoding::Sha256Digest;
use crate::ids::{IdError, LocaleTag, NoticeId, PurposeId};
use crate::json::{self, Value};

/// Schema tag of a compiled locale file.
pub const BUNDLE_SCHEMA: &str = "consentry-notice/1";
/// Schema tag of a manifest.
pub const MANIFEST_SCHEMA: &str = "consentry-manifest/1";

/// Messages every locale must define; the widget's interface text. Purpose and link messages
/// (`purpose-<id>-name`, `purpose-<id>-description`, `link-<name>`) are required on top of
/// these, derived from `notice.toml`.
pub const UI_MESSAGES: &[&str] = &[
    "language-name",
    "banner-title",
    "banner-body",
    "accept-all",
    "reject-all",
    "open-settings",
    "settings-title",
    "settings-intro",
    "save-choices",
    "close",
    "required-purpose",
    "privacy-settings",
    "decision-saved",
    "controller-heading",
    "dpo-heading",
    "legal-basis-label",
    "retention-label",
    "recipients-label",
    "transfers-label",
    "legal-basis-consent",
    "legal-basis-contract",
    "legal-basis-legal-obligation",
    "legal-basis-legitimate-interests",
];

/// Text direction of a locale.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left (Arabic, Hebrew, …).
    Rtl,
}

impl Direction {
    /// `ltr` or `rtl`, as in the HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        match s {
            "ltr" => Some(Direction::Ltr),
            "rtl" => Some(Direction::Rtl),
            _ => None,
        }
    }
}

/// One run of rich text: plain text or a link. Locale text never contains markup; links come
/// from `[links]` in `notice.toml` and are the only non-text element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    /// Plain text, rendered as a text node.
    Text(String),
    /// A link: `href` is an `https:` or `mailto:` URL checked at build time.
    Link {
        /// Target URL.
        href: String,
        /// Visible label.
        text: String,
    },
}

/// Rich text: a sequence of spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rich(pub Vec<Span>);

impl Rich {
    /// Plain text with no links.
    pub fn plain(s: impl Into<String>) -> Self {
        Self(alloc::vec![Span::Text(s.into())])
    }
    /// The text with links reduced to their labels (for `aria-label`s, titles, tests).
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        for span in &self.0 {
            match span {
                Span::Text(t) => s.push_str(t),
                Span::Link { text, .. } => s.push_str(text),
            }
        }
        s
    }
    fn to_value(&self) -> Value {
        match self.0.as_slice() {
            [Span::Text(t)] => Value::str(t.clone()),
            spans => Value::Arr(
                spans
                    .iter()
                    .map(|s| match s {
                        Span::Text(t) => Value::str(t.clone()),
                        Span::Link { href, text } => Value::object([
                            ("href", Value::str(href.clone())),
                            ("text", Value::str(text.clone())),
                        ]),
                    })
                    .collect(),
            ),
        }
    }
    fn from_value(v: &Value, at: &str) -> Result<Self, BundleError> {
        match v {
            Value::Str(s) => Ok(Self::plain(s.clone())),
            Value::Arr(items) => items
                .iter()
                .map(|item| match item {
                    Value::Str(s) => Ok(Span::Text(s.clone())),
                    Value::Obj(_) => Ok(Span::Link {
                        href: req_str(item, "href", at)?,
                        text: req_str(item, "text", at)?,
                    }),
                    other => Err(BundleError::field(at, "a string or a link object", other)),
                })
                .collect::<Result<Vec<_>, _>>()
                .map(Self),
            other => Err(BundleError::field(
                at,
                "a string or an array of spans",
                other,
            )),
        }
    }
}

/// Who is responsible for the processing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Controller {
    /// Legal name.
    pub name: String,
    /// Postal address, one line.
    pub address: String,
    /// Privacy contact e-mail.
    pub email: String,
    /// Privacy contact phone, if any.
    pub phone: Option<String>,
    /// Data protection officer's name or role.
    pub dpo_name: Option<String>,
    /// Data protection officer's e-mail.
    pub dpo_email: Option<String>,
}

/// A cross-border transfer of a purpose's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// Destination country (ISO 3166-1 alpha-2).
    pub destination: String,
    /// The safeguard relied on, e.g. `eu-scc`, `pipl-standard-contract`, `adequacy`.
    pub safeguard: String,
}

/// One purpose as compiled for a locale: structure from `notice.toml`, text from the `.ftl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundlePurpose {
    /// Stable id.
    pub id: PurposeId,
    /// Required for the service: always on, cannot be refused in the widget.
    pub required: bool,
    /// Legal basis (`consent`, `contract`, `legal-obligation`, `legitimate-interests`, …).
    pub legal_basis: String,
    /// Needs a separate, dedicated consent act (PIPL Arts. 23, 29, 39; GDPR Art. 9/49).
    pub separate_consent: bool,
    /// Involves sensitive personal data.
    pub sensitive: bool,
    /// Retention as an ISO 8601 duration (`P2Y`, `P90D`).
    pub retention: String,
    /// Recipients and processors, by name.
    pub recipients: Vec<String>,
    /// Cross-border transfers.
    pub transfers: Vec<Transfer>,
    /// Localized short name.
    pub name: Rich,
    /// Localized description.
    pub description: Rich,
}

/// One locale of a compiled notice (`notice.<tag>.<hash>.json`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocaleBundle {
    /// Notice id.
    pub notice_id: NoticeId,
    /// Notice version; a new version makes the widget ask again.
    pub version: String,
    /// Locale of the text.
    pub locale: LocaleTag,
    /// Text direction.
    pub dir: Direction,
    /// The controller.
    pub controller: Controller,
    /// Purposes in display order.
    pub purposes: Vec<BundlePurpose>,
    /// Interface and notice messages by id, sorted by id.
    pub messages: Vec<(String, Rich)>,
}

impl LocaleBundle {
    /// The message `id`, if present.
    pub fn message(&self, id: &str) -> Option<&Rich> {
        self.messages.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// The purpose `id`, if present.
    pub fn purpose(&self, id: &str) -> Option<&BundlePurpose> {
        self.purposes.iter().find(|p| p.id.as_str() == id)
    }

    /// Serializes to canonical JSON (the exact bytes that get hashed and published).
    pub fn to_json(&self) -> String {
        let c = &self.controller;
        let mut controller = alloc::vec![
            ("name", Value::str(c.name.clone())),
            ("address", Value::str(c.address.clone())),
            ("email", Value::str(c.email.clone())),
        ];
        if let Some(p) = &c.phone {
            controller.push(("phone", Value::str(p.clone())));
        }
        if let Some(n) = &c.dpo_name {
            controller.push(("dpo_name", Value::str(n.clone())));
        }
        if let Some(e) = &c.dpo_email {
            controller.push(("dpo_email", Value::str(e.clone())));
        }
        let purposes = self
            .purposes
            .iter()
            .map(|p| {
                Value::object([
                    ("id", Value::str(p.id.as_str())),
                    ("required", Value::Bool(p.required)),
                    ("legal_basis", Value::str(p.legal_basis.clone())),
                    ("separate_consent", Value::Bool(p.separate_consent)),
                    ("sensitive", Value::Bool(p.sensitive)),
                    ("retention", Value::str(p.retention.clone())),
                    (
                        "recipients",
                        Value::Arr(p.recipients.iter().map(|r| Value::str(r.clone())).collect()),
                    ),
                    (
                        "transfers",
                        Value::Arr(
                            p.transfers
                                .iter()
                                .map(|t| {
                                    Value::object([
                                        ("destination", Value::str(t.destination.clone())),
                                        ("safeguard", Value::str(t.safeguard.clone())),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                    ("name", p.name.to_value()),
                    ("description", p.description.to_value()),
                ])
            })
            .collect();
        let messages = self
            .messages
            .iter()
            .map(|(k, v)| (k.clone(), v.to_value()))
            .collect();
        json::to_canonical_string(&Value::object([
            ("schema", Value::str(BUNDLE_SCHEMA)),
            ("notice_id", Value::str(self.notice_id.as_str())),
            ("version", Value::str(self.version.clone())),
            ("locale", Value::str(self.locale.as_str())),
            ("dir", Value::str(self.dir.as_str())),
            ("controller", Value::object(controller)),
            ("purposes", Value::Arr(purposes)),
            ("messages", Value::Obj(messages)),
        ]))
    }

    /// Reads a compiled locale file.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BundleError> {
        let v = json::parse(bytes).map_err(BundleError::Json)?;
        let schema = req_str(&v, "schema", "")?;
        if schema != BUNDLE_SCHEMA {
            return Err(BundleError::Schema(schema));
        }
        let c = req(&v, "controller", "")?;
        let controller = Controller {
            name: req_str(c, "name", "controller")?,
            address: req_str(c, "address", "controller")?,
            email: req_str(c, "email", "controller")?,
            phone: opt_str(c, "phone", "controller")?,
            dpo_name: opt_str(c, "dpo_name", "controller")?,
            dpo_email: opt_str(c, "dpo_email", "controller")?,
        };
        let mut purposes = Vec::new();
        for p in req_arr(&v, "purposes", "")? {
            let id = req_str(p, "id", "purposes[]")?;
            let at = "purpose";
            purposes.push(BundlePurpose {
                id: PurposeId::parse(&id).map_err(BundleError::Id)?,
                required: req_bool(p, "required", at)?,
                legal_basis: req_str(p, "legal_basis", at)?,
                separate_consent: req_bool(p, "separate_consent", at)?,
                sensitive: req_bool(p, "sensitive", at)?,
                retention: req_str(p, "retention", at)?,
                recipients: req_arr(p, "recipients", at)?
                    .iter()
                    .map(|r| {
                        r.as_str()
                            .map(String::from)
                            .ok_or_else(|| BundleError::field("recipients[]", "a string", r))
                    })
                    .collect::<Result<_, _>>()?,
                transfers: req_arr(p, "transfers", at)?
                    .iter()
                    .map(|t| {
                        Ok(Transfer {
                            destination: req_str(t, "destination", "transfers[]")?,
                            safeguard: req_str(t, "safeguard", "transfers[]")?,
                        })
                    })
                    .collect::<Result<_, BundleError>>()?,
                name: Rich::from_value(req(p, "name", at)?, "purpose.name")?,
                description: Rich::from_value(req(p, "description", at)?, "purpose.description")?,
            });
        }
        let messages = match req(&v, "messages", "")? {
            Value::Obj(m) => m
                .iter()
                .map(|(k, val)| Ok((k.clone(), Rich::from_value(val, "messages")?)))
                .collect::<Result<Vec<_>, BundleError>>()?,
            other => return Err(BundleError::field("messages", "an object", other)),
        };
        let dir = req_str(&v, "dir", "")?;
        Ok(Self {
            notice_id: NoticeId::parse(&req_str(&v, "notice_id", "")?).map_err(BundleError::Id)?,
            version: req_str(&v, "version", "")?,
            locale: LocaleTag::parse(&req_str(&v, "locale", "")?).map_err(BundleError::Id)?,
            dir: Direction::parse(&dir).ok_or(BundleError::Invalid {
                at: "dir",
                expected: "\"ltr\" or \"rtl\"",
            })?,
            controller,
            purposes,
            messages,
        })
    }
}

/// One locale entry of a [`Manifest`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The locale.
    pub locale: LocaleTag,
    /// File name of the compiled locale, relative to the manifest (content-addressed).
    pub path: String,
    /// SHA-256 of that file's exact bytes.
    pub sha256: Sha256Digest,
    /// Text direction.
    pub dir: Direction,
    /// The language's own name (for the language switcher).
    pub name: String,
}

/// The published index of a notice build: which locales exist and the digest of each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// Notice id.
    pub notice_id: NoticeId,
    /// Notice version.
    pub version: String,
    /// The locale used when negotiation finds nothing better.
    pub default_locale: LocaleTag,
    /// Build time as given to the build (never read from a clock), if any.
    pub build_time: Option<String>,
    /// Locales, sorted by tag.
    pub locales: Vec<ManifestEntry>,
}

impl Manifest {
    /// The entry for `locale`, if present.
    pub fn entry(&self, locale: &LocaleTag) -> Option<&ManifestEntry> {
        self.locales.iter().find(|e| &e.locale == locale)
    }

    /// The locale tags, in manifest order.
    pub fn tags(&self) -> Vec<LocaleTag> {
        self.locales.iter().map(|e| e.locale.clone()).collect()
    }

    /// Serializes to canonical JSON.
    pub fn to_json(&self) -> String {
        let locales = self
            .locales
            .iter()
            .map(|e| {
                (
                    String::from(e.locale.as_str()),
                    Value::object([
                        ("path", Value::str(e.path.clone())),
                        ("sha256", Value::str(e.sha256.to_hex())),
                        ("dir", Value::str(e.dir.as_str())),
                        ("name", Value::str(e.name.clone())),
                    ]),
                )
            })
            .collect();
        let mut m = alloc::vec![
            ("schema", Value::str(MANIFEST_SCHEMA)),
            ("notice_id", Value::str(self.notice_id.as_str())),
            ("version", Value::str(self.version.clone())),
            ("default_locale", Value::str(self.default_locale.as_str())),
            ("locales", Value::Obj(locales)),
        ];
        if let Some(t) = &self.build_time {
            m.push(("build_time", Value::str(t.clone())));
        }
        json::to_canonical_string(&Value::object(m))
    }

    /// Reads a manifest.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BundleError> {
        let v = json::parse(bytes).map_err(BundleError::Json)?;
        let schema = req_str(&v, "schema", "")?;
        if schema != MANIFEST_SCHEMA {
            return Err(BundleError::Schema(schema));
        }
        let mut locales = Vec::new();
        match req(&v, "locales", "")? {
            Value::Obj(m) => {
                for (tag, e) in m {
                    let dir = req_str(e, "dir", "locales")?;
                    locales.push(ManifestEntry {
                        locale: LocaleTag::parse(tag).map_err(BundleError::Id)?,
                        path: req_str(e, "path", "locales")?,
                        sha256: Sha256Digest::from_hex(&req_str(e, "sha256", "locales")?).ok_or(
                            BundleError::Invalid {
                                at: "locales.sha256",
                                expected: "64 lowercase hex digits",
                            },
                        )?,
                        dir: Direction::parse(&dir).ok_or(BundleError::Invalid {
                            at: "locales.dir",
                            expected: "\"ltr\" or \"rtl\"",
                        })?,
                        name: req_str(e, "name", "locales")?,
                    });
                }
            }
            other => return Err(BundleError::field("locales", "an object", other)),
        }
        if locales.is_empty() {
            return Err(BundleError::Invalid {
                at: "locales",
                expected: "at least one locale",
            });
        }
        Ok(Self {
            notice_id: NoticeId::parse(&req_str(&v, "notice_id", "")?).map_err(BundleError::Id)?,
            version: req_str(&v, "version", "")?,
            default_locale: LocaleTag::parse(&req_str(&v, "default_locale", "")?)
                .map_err(BundleError::Id)?,
            build_time: opt_str(&v, "build_time", "")?,
            locales,
        })
    }
}

/// Why a compiled file could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum BundleError {
    /// Not strict JSON.
    Json(json::JsonError),
    /// A different `schema` tag.
    Schema(String),
    /// A required member is missing.
    Missing {
        /// Where.
        at: String,
        /// Which member.
        key: &'static str,
    },
    /// A member has the wrong type.
    WrongType {
        /// Where.
        at: String,
        /// What was expected.
        expected: &'static str,
        /// What was found.
        found: &'static str,
    },
    /// A member has a value outside its domain.
    Invalid {
        /// Where.
        at: &'static str,
        /// What was expected.
        expected: &'static str,
    },
    /// An identifier is malformed.
    Id(IdError),
}

impl BundleError {
    fn field(at: &str, expected: &'static str, found: &Value) -> Self {
        BundleError::WrongType {
            at: at.into(),
            expected,
            found: found.type_name(),
        }
    }
}

impl fmt::Display for BundleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BundleError::Json(e) => write!(f, "not valid JSON: {e}"),
            BundleError::Schema(s) => write!(f, "unsupported schema {s:?}"),
            BundleError::Missing { at, key } => write!(f, "missing member {key:?} in {at}"),
            BundleError::WrongType {
                at,
                expected,
                found,
            } => write!(f, "{at}: expected {expected}, found {found}"),
            BundleError::Invalid { at, expected } => write!(f, "{at}: expected {expected}"),
            BundleError::Id(e) => e.fmt(f),
        }
    }
}

impl core::error::Error for BundleError {}

fn at_name(at: &str) -> String {
    if at.is_empty() {
        String::from("the document")
    } else {
        String::from(at)
    }
}

fn req<'v>(v: &'v Value, key: &'static str, at: &str) -> Result<&'v Value, BundleError> {
    match v {
        Value::Obj(_) => v.get(key).ok_or_else(|| BundleError::Missing {
            at: at_name(at),
            key,
        }),
        other => Err(BundleError::field(&at_name(at), "an object", other)),
    }
}

fn req_str(v: &Value, key: &'static str, at: &str) -> Result<String, BundleError> {
    let x = req(v, key, at)?;
    x.as_str()
        .map(String::from)
        .ok_or_else(|| BundleError::field(key, "a string", x))
}

fn opt_str(v: &Value, key: &'static str, at: &str) -> Result<Option<String>, BundleError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Str(s)) => Ok(Some(s.clone())),
        Some(other) => Err(BundleError::field(&at_name(at), "a string", other)),
    }
}

fn req_bool(v: &Value, key: &'static str, at: &str) -> Result<bool, BundleError> {
    let x = req(v, key, at)?;
    x.as_bool()
        .ok_or_else(|| BundleError::field(key, "a boolean", x))
}

fn req_arr<'v>(v: &'v Value, key: &'static str, at: &str) -> Result<&'v [Value], BundleError> {
    let x = req(v, key, at)?;
    x.as_array()
        .ok_or_else(|| BundleError::field(key, "an array", x))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    pub(crate) fn sample() -> LocaleBundle {
        LocaleBundle {
            notice_id: NoticeId::parse("support-privacy").unwrap(),
            version: "2026.11.1".into(),
            locale: LocaleTag::parse("zh-CN").unwrap(),
            dir: Direction::Ltr,
            controller: Controller {
                name: "Example Telecom".into(),
                address: "1 Example Road".into(),
                email: "privacy@example.com".into(),
                phone: None,
                dpo_name: Some("DPO".into()),
                dpo_email: Some("dpo@example.com".into()),
            },
            purposes: vec![BundlePurpose {
                id: PurposeId::parse("marketing").unwrap(),
                required: false,
                legal_basis: "consent".into(),
                separate_consent: false,
                sensitive: false,
                retention: "P1Y".into(),
                recipients: vec!["Mailer Ltd".into()],
                transfers: vec![Transfer {
                    destination: "SG".into(),
                    safeguard: "eu-scc".into(),
                }],
                name: Rich::plain("营销"),
                description: Rich(vec![
                    Span::Text("见".into()),
                    Span::Link {
                        href: "https://example.com/p".into(),
                        text: "隐私政策".into(),
                    },
                ]),
            }],
            messages: vec![("accept-all".into(), Rich::plain("全部接受"))],
        }
    }

    #[test]
    fn bundle_round_trips_and_is_canonical() {
        let b = sample();
        let json = b.to_json();
        assert_eq!(LocaleBundle::from_json(json.as_bytes()).unwrap(), b);
        assert_eq!(
            json::to_canonical_string(&json::parse_str(&json).unwrap()),
            json
        );
    }

    #[test]
    fn manifest_round_trips() {
        let m = Manifest {
            notice_id: NoticeId::parse("support-privacy").unwrap(),
            version: "1".into(),
            default_locale: LocaleTag::parse("en").unwrap(),
            build_time: None,
            locales: vec![ManifestEntry {
                locale: LocaleTag::parse("en").unwrap(),
                path: "notice.en.0123abcd.json".into(),
                sha256: Sha256Digest::of(b"x"),
                dir: Direction::Ltr,
                name: "English".into(),
            }],
        };
        assert_eq!(Manifest::from_json(m.to_json().as_bytes()).unwrap(), m);
    }

    #[test]
    fn bad_bundles_are_errors_not_panics() {
        assert!(matches!(
            LocaleBundle::from_json(b"[]"),
            Err(BundleError::WrongType { .. })
        ));
        assert!(matches!(
            LocaleBundle::from_json(b"{\"schema\":\"x\"}"),
            Err(BundleError::Schema(_))
        ));
        let mut json = sample().to_json();
        json.truncate(json.len() / 2);
        assert!(matches!(
            LocaleBundle::from_json(json.as_bytes()),
            Err(BundleError::Json(_))
        ));
        let no_dir = sample()
            .to_json()
            .replace("\"dir\":\"ltr\"", "\"dir\":\"up\"");
        assert!(matches!(
            LocaleBundle::from_json(no_dir.as_bytes()),
            Err(BundleError::Invalid { .. })
        ));
    }
}
