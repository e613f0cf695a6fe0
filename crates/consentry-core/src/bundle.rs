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
use crate::ids::{IdError, LocaleTag, NoticeId, PurposeId, RegionCode};
use crate::json::{self, Value};
use crate::law::Regime;
use crate::notice::RegionMap;

pub mod archive;
mod layer;
mod shown;
pub use shown::{notice_text, rich_text};

pub use layer::{
    DetailsRef, FIRST_LAYER_MESSAGES, FIRST_LAYER_SCHEMA, FirstLayer, PublishedError,
    is_plain_file_name, manifest_details, read_published_locale,
};

/// Schema tag of a compiled locale file.
pub const BUNDLE_SCHEMA: &str = "consentry-notice/1";
/// Schema tag of a manifest.
pub const MANIFEST_SCHEMA: &str = "consentry-manifest/1";

pub use crate::messages::UI_MESSAGES;
use crate::messages::sort_small;

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
    /// A value the widget fills in for the visitor from the rules in force
    /// ([`RUNTIME_VARS`]): `{ $age }` is the guardian age. The receipt records what it was
    /// filled with (the regimes applied, and from them the age).
    Var(String),
}

/// The variables a message may place for the widget to fill in: `age`, the age below which a
/// parent or guardian decides (`jurisdiction.child_age`); `deadline`, the time within which
/// requests are answered under the regimes in force ([`crate::regime::response_deadline`], in
/// words from [`LocaleBundle::durations`]); `step` and `steps`, which separate consent step is
/// shown and how many there are (`separate-consent-step`); and `code`, the short receipt code
/// a hotline agent reads out at the end of a call, which the console fills in
/// (`hotline-script-closing`, the only message that may place it).
pub const RUNTIME_VARS: &[&str] = &["age", "deadline", "step", "steps", "code"];

/// Rich text: a sequence of spans.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rich(pub Vec<Span>);

impl Rich {
    /// Plain text with no links.
    pub fn plain(s: impl Into<String>) -> Self {
        Self(alloc::vec![Span::Text(s.into())])
    }
    /// The text with links reduced to their labels and variables shown as `{name}` (for
    /// `aria-label`s, titles, tests).
    pub fn to_plain(&self) -> String {
        let mut s = String::new();
        for span in &self.0 {
            match span {
                Span::Text(t) => s.push_str(t),
                Span::Link { text, .. } => s.push_str(text),
                Span::Var(name) => {
                    s.push('{');
                    s.push_str(name);
                    s.push('}');
                }
            }
        }
        s
    }

    /// The text with its variables filled in by `value` (a variable it has no value for stays
    /// as it is).
    pub fn with_vars(&self, value: impl Fn(&str) -> Option<String>) -> Rich {
        Rich(
            self.0
                .iter()
                .map(|span| match span {
                    Span::Var(name) => match value(name) {
                        Some(v) => Span::Text(v),
                        None => span.clone(),
                    },
                    other => other.clone(),
                })
                .collect(),
        )
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
                        Span::Var(name) => Value::object([("var", Value::str(name.clone()))]),
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
                    Value::Obj(_) if item.get("var").is_some() => {
                        Ok(Span::Var(req_str(item, "var", at)?))
                    }
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
    /// Data protection officer's phone, if any.
    pub dpo_phone: Option<String>,
    /// Country where the controller is established (ISO 3166-1 alpha-2), if given.
    pub country: Option<String>,
    /// Representative in the EU (GDPR Art. 27), if the controller has one.
    pub eu_representative: Option<Representative>,
    /// Representative in China (PIPL Art. 53), if the controller has one.
    pub china_representative: Option<Representative>,
    /// Representative in the UK (UK GDPR Art. 27), if the controller has one.
    pub uk_representative: Option<Representative>,
    /// Representative in Switzerland (nFADP Art. 14), if the controller has one.
    pub swiss_representative: Option<Representative>,
    /// Domestic agent in Korea (PIPA Art. 31-2), if the controller has one.
    pub korea_representative: Option<Representative>,
    /// The person who represents the controller (APPI Art. 32(1)(1)), if given.
    pub head: Option<String>,
}

/// A controller's representative in another jurisdiction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Representative {
    /// Legal name.
    pub name: String,
    /// Postal address, one line.
    pub address: String,
    /// E-mail.
    pub email: String,
}

/// A cross-border transfer of a purpose's data.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transfer {
    /// Destination country (ISO 3166-1 alpha-2).
    pub destination: String,
    /// The safeguard relied on, e.g. `eu-scc`, `pipl-standard-contract`, `adequacy`.
    pub safeguard: String,
    /// Who receives the data there, if named.
    pub recipient: Option<String>,
    /// How to contact that recipient: the name of one of the bundle's [`LocaleBundle::links`].
    pub contact: Option<String>,
}

/// A named link of the notice with its localized label (`[links]` in `notice.toml`, label
/// `link-<name>`). Sections of the notice refer to links by name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BundleLink {
    /// Name, e.g. `privacy-policy`.
    pub name: String,
    /// An `https:` or `mailto:` URL checked at build time.
    pub href: String,
    /// Localized label.
    pub text: String,
}

/// A right explained in the notice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BundleRight {
    /// Keyword, e.g. `access`, `withdraw-consent` (see `notice::Right`).
    pub id: String,
    /// Localized explanation (message `right-<id>`).
    pub text: Rich,
}

/// Where to complain under one regime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleComplaint {
    /// The regime.
    pub regime: Regime,
    /// Name of the link (one of [`LocaleBundle::links`]) to the authority.
    pub link: String,
    /// Localized text (message `complaint-<regime>`).
    pub text: Rich,
}

/// One purpose as compiled for a locale: structure from `notice.toml`, text from the `.ftl`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundlePurpose {
    /// Stable id.
    pub id: PurposeId,
    /// Required for the service: always on, cannot be refused in the widget.
    pub required: bool,
    /// Legal basis (`consent`, `contract`, `legal-obligation`, `legitimate-interests`, …)
    /// where no regime-specific one applies; see [`BundlePurpose::basis_for`].
    pub legal_basis: String,
    /// The legal basis under each regime (all five, in `Regime::ALL` order); empty in files
    /// built before it existed, when `legal_basis` applies everywhere.
    pub legal_bases: Vec<(Regime, String)>,
    /// The W3C Data Privacy Vocabulary purpose, e.g. `CustomerCare` (empty if not recorded).
    pub dpv: String,
    /// Needs a separate, dedicated consent act (PIPL Arts. 23, 29, 39; GDPR Art. 9/49).
    pub separate_consent: bool,
    /// Involves sensitive personal data.
    pub sensitive: bool,
    /// Retention as an ISO 8601 duration (`P2Y`, `P90D`).
    pub retention: String,
    /// Everyone who receives the data (GDPR Art. 4(9)), by name: the processors, then third
    /// parties that use it for their own purposes.
    pub recipients: Vec<String>,
    /// Which of `recipients` are processors (service providers working on the controller's
    /// behalf); the others are third parties.
    pub processors: Vec<String>,
    /// Kinds of personal data (ids; labels are the messages `data-category-<id>`, see
    /// [`LocaleBundle::data_category_label`]).
    pub data_categories: Vec<String>,
    /// Where the data is collected (`hotline`, `chat`, `mailbox`, `web`; labels are
    /// `channel-<id>`, see [`LocaleBundle::channel_label`]).
    pub channels: Vec<String>,
    /// Cross-border transfers.
    pub transfers: Vec<Transfer>,
    /// Sold or shared for cross-context behavioural advertising (CCPA opt-out applies).
    pub sold_or_shared: bool,
    /// Decisions are made automatically, including profiling.
    pub automated_decisions: bool,
    /// The regimes under which it runs before the visitor chooses, on notice with a right to
    /// opt out or object (`on_until_opt_out` in `notice.toml`; only where the law permits it,
    /// see [`crate::regime::requirement`]).
    pub on_until_opt_out: Vec<Regime>,
    /// Localized short name.
    pub name: Rich,
    /// Localized description.
    pub description: Rich,
    /// The legitimate interest pursued, when a regime's basis is legitimate interests
    /// (message `purpose-<id>-legitimate-interest`).
    pub legitimate_interest: Option<Rich>,
    /// How automated decisions work and what they mean for the person (message
    /// `purpose-<id>-automated-decision`).
    pub automated_decision: Option<Rich>,
    /// Why sensitive data is necessary and how it affects the person (message
    /// `purpose-<id>-sensitive-impact`).
    pub sensitive_impact: Option<Rich>,
}

impl BundlePurpose {
    /// A purpose with its id, whether it is required, its legal basis and its texts; every
    /// other field empty. Build fixtures as `BundlePurpose { retention: …,
    /// ..BundlePurpose::new(…) }` so that fields added later need no change.
    pub fn new(
        id: PurposeId,
        required: bool,
        legal_basis: impl Into<String>,
        name: Rich,
        description: Rich,
    ) -> Self {
        Self {
            id,
            required,
            legal_basis: legal_basis.into(),
            legal_bases: Vec::new(),
            dpv: String::new(),
            separate_consent: false,
            sensitive: false,
            retention: String::new(),
            recipients: Vec::new(),
            processors: Vec::new(),
            data_categories: Vec::new(),
            channels: Vec::new(),
            transfers: Vec::new(),
            sold_or_shared: false,
            automated_decisions: false,
            on_until_opt_out: Vec::new(),
            name,
            description,
            legitimate_interest: None,
            automated_decision: None,
            sensitive_impact: None,
        }
    }

    /// The legal basis under `regime`.
    pub fn basis_for(&self, regime: Regime) -> &str {
        self.legal_bases
            .iter()
            .find(|(g, _)| *g == regime)
            .map_or(self.legal_basis.as_str(), |(_, b)| b.as_str())
    }
}

/// What the notice says of one category of personal information, from the purposes that use
/// it (facts written once: CCPA 1798.100(a)(1)–(3), 11 CCR §7012(e) want them per category).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CategoryFacts {
    /// The category id (label: `data-category-<id>`).
    pub id: String,
    /// The longest retention of the purposes that use it (ISO 8601).
    pub retention: String,
    /// Some purpose that uses it sells or shares it.
    pub sold_or_shared: bool,
    /// Some purpose that uses it is sensitive.
    pub sensitive: bool,
}

impl LocaleBundle {
    /// Every data category the purposes use, in first-use order, with its facts.
    pub fn categories(&self) -> Vec<CategoryFacts> {
        let mut out: Vec<CategoryFacts> = Vec::new();
        for p in &self.purposes {
            for c in &p.data_categories {
                let at = match out.iter().position(|f| f.id == *c) {
                    Some(i) => i,
                    None => {
                        out.push(CategoryFacts {
                            id: c.clone(),
                            retention: p.retention.clone(),
                            sold_or_shared: false,
                            sensitive: false,
                        });
                        out.len() - 1
                    }
                };
                let f = &mut out[at];
                if crate::law::approx_days(&p.retention) > crate::law::approx_days(&f.retention) {
                    f.retention = p.retention.clone();
                }
                f.sold_or_shared |= p.sold_or_shared;
                f.sensitive |= p.sensitive;
            }
        }
        out
    }
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
    /// How the facts of `controller` and `purposes` (names, addresses, service providers,
    /// recipients: written as in `notice.toml`) read in this locale, by fact, sorted; only
    /// those given in `<tag>.facts.toml`. Show them with [`LocaleBundle::shown`].
    pub names: Vec<(String, String)>,
    /// Purposes in display order.
    pub purposes: Vec<BundlePurpose>,
    /// Interface and notice messages by id, sorted by id.
    pub messages: Vec<(String, Rich)>,
    /// Every link of the notice with its label, sorted by name.
    pub links: Vec<BundleLink>,
    /// Name of the link to the full privacy policy, if any.
    pub policy_link: Option<String>,
    /// Rights explained, in display order.
    pub rights: Vec<BundleRight>,
    /// Names of the links where people exercise their rights.
    pub rights_how: Vec<String>,
    /// Where to complain, per regime, sorted by regime.
    pub complaints: Vec<BundleComplaint>,
    /// Name of the CCPA "Do Not Sell or Share My Personal Information" link, if any.
    pub ccpa_opt_out_link: Option<String>,
    /// Name of the CCPA "Limit the Use of My Sensitive Personal Information" link, if any.
    pub ccpa_limit_link: Option<String>,
    /// Which regime applies in which region (apply with `RegionMap::regime_for`).
    pub regions: RegionMap,
    /// The controller's own answer deadline (`[rights] deadline`), ISO 8601.
    pub deadline: Option<String>,
    /// Durations in words of this locale, by ISO 8601 duration (`P15D` → `15 days`): every
    /// deadline the widget may fill in for `{ $deadline }`.
    pub durations: Vec<(String, String)>,
}

impl LocaleBundle {
    /// A bundle with its identity and direction; no controller details, purposes, messages or
    /// sections. Build fixtures as `LocaleBundle { purposes: …, ..LocaleBundle::new(…) }` so
    /// that fields added later need no change.
    pub fn new(
        notice_id: NoticeId,
        version: impl Into<String>,
        locale: LocaleTag,
        dir: Direction,
    ) -> Self {
        Self {
            notice_id,
            version: version.into(),
            locale,
            dir,
            controller: Controller::default(),
            names: Vec::new(),
            purposes: Vec::new(),
            messages: Vec::new(),
            links: Vec::new(),
            policy_link: None,
            rights: Vec::new(),
            rights_how: Vec::new(),
            complaints: Vec::new(),
            ccpa_opt_out_link: None,
            ccpa_limit_link: None,
            regions: RegionMap::default(),
            deadline: None,
            durations: Vec::new(),
        }
    }

    /// The message `id`, if present.
    pub fn message(&self, id: &str) -> Option<&Rich> {
        self.messages.iter().find(|(k, _)| k == id).map(|(_, v)| v)
    }

    /// A fact of the notice (the controller's name, an address, a service provider, …) as
    /// this locale shows it: its translation if the locale has one, else as written.
    pub fn shown<'a>(&'a self, fact: &'a str) -> &'a str {
        self.names
            .binary_search_by(|(k, _)| k.as_str().cmp(fact))
            .map_or(fact, |i| self.names[i].1.as_str())
    }

    /// The purpose `id`, if present.
    pub fn purpose(&self, id: &str) -> Option<&BundlePurpose> {
        self.purposes.iter().find(|p| p.id.as_str() == id)
    }

    /// The link `name`, if present.
    pub fn link(&self, name: &str) -> Option<&BundleLink> {
        self.links.iter().find(|l| l.name == name)
    }

    /// The label of a data category (message `data-category-<id>`).
    pub fn data_category_label(&self, id: &str) -> Option<&Rich> {
        self.prefixed("data-category-", id)
    }

    /// The label of a channel (message `channel-<id>`).
    pub fn channel_label(&self, id: &str) -> Option<&Rich> {
        self.prefixed("channel-", id)
    }

    /// The name of a regime (message `regime-<id>`, e.g. `regime-eu-gdpr`).
    pub fn regime_label(&self, regime: Regime) -> Option<&Rich> {
        self.prefixed("regime-", regime.as_str())
    }

    /// The label of a legal basis (message `legal-basis-<basis>`).
    pub fn legal_basis_label(&self, basis: &str) -> Option<&Rich> {
        self.prefixed("legal-basis-", basis)
    }

    fn prefixed(&self, prefix: &str, id: &str) -> Option<&Rich> {
        self.messages
            .iter()
            .find(|(k, _)| k.strip_prefix(prefix) == Some(id))
            .map(|(_, v)| v)
    }

    /// Serializes to canonical JSON (the exact bytes that get hashed and published). Optional
    /// members are left out when empty, so a bundle without the full-notice sections writes
    /// the same bytes as before they existed.
    pub fn to_json(&self) -> String {
        let c = &self.controller;
        let mut controller = alloc::vec![
            ("name", Value::str(c.name.clone())),
            ("address", Value::str(c.address.clone())),
            ("email", Value::str(c.email.clone())),
        ];
        push_opt(&mut controller, "phone", &c.phone);
        push_opt(&mut controller, "dpo_name", &c.dpo_name);
        push_opt(&mut controller, "dpo_email", &c.dpo_email);
        push_opt(&mut controller, "dpo_phone", &c.dpo_phone);
        push_opt(&mut controller, "country", &c.country);
        push_opt(&mut controller, "head", &c.head);
        for (key, r) in [
            ("eu_representative", &c.eu_representative),
            ("china_representative", &c.china_representative),
            ("uk_representative", &c.uk_representative),
            ("swiss_representative", &c.swiss_representative),
            ("korea_representative", &c.korea_representative),
        ] {
            if let Some(r) = r {
                controller.push((
                    key,
                    Value::object([
                        ("name", Value::str(r.name.clone())),
                        ("address", Value::str(r.address.clone())),
                        ("email", Value::str(r.email.clone())),
                    ]),
                ));
            }
        }
        let purposes = self
            .purposes
            .iter()
            .map(|p| {
                let mut m = facts_members(p, true);
                m.push(("name", p.name.to_value()));
                m.push(("description", p.description.to_value()));
                if !p.data_categories.is_empty() {
                    m.push(("data_categories", strings(&p.data_categories)));
                }
                for (key, text) in [
                    ("legitimate_interest", &p.legitimate_interest),
                    ("automated_decision", &p.automated_decision),
                    ("sensitive_impact", &p.sensitive_impact),
                ] {
                    if let Some(t) = text {
                        m.push((key, t.to_value()));
                    }
                }
                Value::object(m)
            })
            .collect();
        let messages = self
            .messages
            .iter()
            .map(|(k, v)| (k.clone(), v.to_value()))
            .collect();
        let mut top = alloc::vec![
            ("schema", Value::str(BUNDLE_SCHEMA)),
            ("notice_id", Value::str(self.notice_id.as_str())),
            ("version", Value::str(self.version.clone())),
            ("locale", Value::str(self.locale.as_str())),
            ("dir", Value::str(self.dir.as_str())),
            ("controller", Value::object(controller)),
            ("purposes", Value::Arr(purposes)),
            ("messages", Value::Obj(messages)),
        ];
        push_links(&mut top, &self.links);
        push_opt(&mut top, "policy_link", &self.policy_link);
        if !self.rights.is_empty() {
            top.push((
                "rights",
                Value::Arr(
                    self.rights
                        .iter()
                        .map(|r| {
                            Value::object([
                                ("id", Value::str(r.id.clone())),
                                ("text", r.text.to_value()),
                            ])
                        })
                        .collect(),
                ),
            ));
        }
        if !self.rights_how.is_empty() {
            top.push(("rights_how", strings(&self.rights_how)));
        }
        if !self.complaints.is_empty() {
            top.push((
                "complaints",
                Value::Arr(
                    self.complaints
                        .iter()
                        .map(|c| {
                            Value::object([
                                ("regime", Value::str(c.regime.as_str())),
                                ("link", Value::str(c.link.clone())),
                                ("text", c.text.to_value()),
                            ])
                        })
                        .collect(),
                ),
            ));
        }
        push_ccpa(&mut top, self);
        push_regions(&mut top, &self.regions);
        push_opt(&mut top, "deadline", &self.deadline);
        for (key, map) in [("durations", &self.durations), ("names", &self.names)] {
            if !map.is_empty() {
                top.push((
                    key,
                    Value::Obj(
                        map.iter()
                            .map(|(k, v)| (k.clone(), Value::str(v.clone())))
                            .collect(),
                    ),
                ));
            }
        }
        json::to_canonical_string(&Value::object(top))
    }

    /// Reads a compiled locale file. Members added after the first files were published
    /// (`links`, `rights`, `complaints`, `regions`, per-purpose details, …) are optional.
    pub fn from_json(bytes: &[u8]) -> Result<Self, BundleError> {
        let v = json::parse(bytes).map_err(BundleError::Json)?;
        let schema = req_str(&v, "schema", "")?;
        if schema != BUNDLE_SCHEMA {
            return Err(BundleError::Schema(schema));
        }
        let c = req(&v, "controller", "")?;
        let rep = |key: &'static str| -> Result<Option<Representative>, BundleError> {
            match c.get(key) {
                None | Some(Value::Null) => Ok(None),
                Some(r) => Ok(Some(Representative {
                    name: req_str(r, "name", key)?,
                    address: req_str(r, "address", key)?,
                    email: req_str(r, "email", key)?,
                })),
            }
        };
        let controller = Controller {
            name: req_str(c, "name", "controller")?,
            address: req_str(c, "address", "controller")?,
            email: req_str(c, "email", "controller")?,
            phone: opt_str(c, "phone", "controller")?,
            dpo_name: opt_str(c, "dpo_name", "controller")?,
            dpo_email: opt_str(c, "dpo_email", "controller")?,
            dpo_phone: opt_str(c, "dpo_phone", "controller")?,
            country: opt_str(c, "country", "controller")?,
            eu_representative: rep("eu_representative")?,
            china_representative: rep("china_representative")?,
            uk_representative: rep("uk_representative")?,
            swiss_representative: rep("swiss_representative")?,
            korea_representative: rep("korea_representative")?,
            head: opt_str(c, "head", "controller")?,
        };
        let mut purposes = Vec::new();
        for p in req_arr(&v, "purposes", "")? {
            let at = "purpose";
            let mut purpose = purpose_facts(p)?;
            purpose.data_categories = opt_str_list(p, "data_categories")?;
            purpose.name = Rich::from_value(req(p, "name", at)?, "purpose.name")?;
            purpose.description =
                Rich::from_value(req(p, "description", at)?, "purpose.description")?;
            purpose.legitimate_interest = opt_rich(p, "legitimate_interest")?;
            purpose.automated_decision = opt_rich(p, "automated_decision")?;
            purpose.sensitive_impact = opt_rich(p, "sensitive_impact")?;
            purposes.push(purpose);
        }
        let messages = messages_from(req(&v, "messages", "")?)?;
        let links = links_from(&v)?;
        let rights = match v.get("rights") {
            None => Vec::new(),
            Some(Value::Arr(items)) => items
                .iter()
                .map(|r| {
                    Ok(BundleRight {
                        id: req_str(r, "id", "rights[]")?,
                        text: Rich::from_value(req(r, "text", "rights[]")?, "rights[].text")?,
                    })
                })
                .collect::<Result<_, BundleError>>()?,
            Some(other) => return Err(BundleError::field("rights", "an array", other)),
        };
        let complaints = match v.get("complaints") {
            None => Vec::new(),
            Some(Value::Arr(items)) => items
                .iter()
                .map(|c| {
                    let g = req_str(c, "regime", "complaints[]")?;
                    Ok(BundleComplaint {
                        regime: exact_regime(&g).ok_or(BundleError::Invalid {
                            at: "complaints[].regime",
                            expected: "a regime name",
                        })?,
                        link: req_str(c, "link", "complaints[]")?,
                        text: Rich::from_value(
                            req(c, "text", "complaints[]")?,
                            "complaints[].text",
                        )?,
                    })
                })
                .collect::<Result<_, BundleError>>()?,
            Some(other) => return Err(BundleError::field("complaints", "an array", other)),
        };
        let (ccpa_opt_out_link, ccpa_limit_link) = ccpa_from(&v)?;
        let regions = regions_from(&v)?;
        let identity = identity_from(&v)?;
        let string_map = |key: &'static str| -> Result<Vec<(String, String)>, BundleError> {
            let mut out = match v.get(key) {
                None => Vec::new(),
                Some(Value::Obj(m)) => m
                    .iter()
                    .map(|(k, w)| {
                        Ok((
                            k.clone(),
                            w.as_str()
                                .map(String::from)
                                .ok_or_else(|| BundleError::field(key, "a string", w))?,
                        ))
                    })
                    .collect::<Result<Vec<_>, BundleError>>()?,
                Some(other) => return Err(BundleError::field(key, "an object", other)),
            };
            sort_small(&mut out, |a, b| a < b);
            Ok(out)
        };
        let durations = string_map("durations")?;
        let names = string_map("names")?;
        Ok(Self {
            controller,
            names,
            purposes,
            messages,
            links,
            policy_link: opt_str(&v, "policy_link", "")?,
            rights,
            rights_how: match v.get("rights_how") {
                None => Vec::new(),
                Some(Value::Arr(items)) => str_list(items, "rights_how[]")?,
                Some(other) => return Err(BundleError::field("rights_how", "an array", other)),
            },
            complaints,
            ccpa_opt_out_link,
            ccpa_limit_link,
            regions,
            deadline: opt_str(&v, "deadline", "")?,
            durations,
            ..identity
        })
    }
}

/// The members of a purpose that a receipt records or a regime's rules read (everything but
/// its texts and data categories), for the complete file (`transfers`
/// with recipient and contact) or the first layer (`full == false`: destination and
/// safeguard only).
fn facts_members(p: &BundlePurpose, full: bool) -> Vec<(&'static str, Value)> {
    let mut m = alloc::vec![
        ("id", Value::str(p.id.as_str())),
        ("required", Value::Bool(p.required)),
        ("legal_basis", Value::str(p.legal_basis.clone())),
        ("separate_consent", Value::Bool(p.separate_consent)),
        ("sensitive", Value::Bool(p.sensitive)),
        ("retention", Value::str(p.retention.clone())),
        ("recipients", strings(&p.recipients)),
        (
            "transfers",
            Value::Arr(
                p.transfers
                    .iter()
                    .map(|t| {
                        let mut m = alloc::vec![
                            ("destination", Value::str(t.destination.clone())),
                            ("safeguard", Value::str(t.safeguard.clone())),
                        ];
                        if full {
                            push_opt(&mut m, "recipient", &t.recipient);
                            push_opt(&mut m, "contact", &t.contact);
                        }
                        Value::object(m)
                    })
                    .collect(),
            ),
        ),
    ];
    if !p.legal_bases.is_empty() {
        m.push((
            "legal_bases",
            Value::Obj(
                p.legal_bases
                    .iter()
                    .map(|(g, b)| (String::from(g.as_str()), Value::str(b.clone())))
                    .collect(),
            ),
        ));
    }
    if !p.processors.is_empty() {
        m.push(("processors", strings(&p.processors)));
    }
    if p.sold_or_shared {
        m.push(("sold_or_shared", Value::Bool(true)));
    }
    if !p.dpv.is_empty() {
        m.push(("dpv", Value::str(p.dpv.clone())));
    }
    if !p.channels.is_empty() {
        m.push(("channels", strings(&p.channels)));
    }
    if p.automated_decisions {
        m.push(("automated_decisions", Value::Bool(true)));
    }
    if !p.on_until_opt_out.is_empty() {
        m.push((
            "on_until_opt_out",
            Value::Arr(
                p.on_until_opt_out
                    .iter()
                    .map(|r| Value::str(r.as_str()))
                    .collect(),
            ),
        ));
    }
    m
}

fn push_links(top: &mut Vec<(&'static str, Value)>, links: &[BundleLink]) {
    if !links.is_empty() {
        top.push((
            "links",
            Value::Obj(
                links
                    .iter()
                    .map(|l| {
                        (
                            l.name.clone(),
                            Value::object([
                                ("href", Value::str(l.href.clone())),
                                ("text", Value::str(l.text.clone())),
                            ]),
                        )
                    })
                    .collect(),
            ),
        ));
    }
}

fn links_from(v: &Value) -> Result<Vec<BundleLink>, BundleError> {
    let mut links = Vec::new();
    match v.get("links") {
        None => {}
        Some(Value::Obj(m)) => {
            for (name, l) in m {
                links.push(BundleLink {
                    name: name.clone(),
                    href: req_str(l, "href", "links")?,
                    text: req_str(l, "text", "links")?,
                });
            }
        }
        Some(other) => return Err(BundleError::field("links", "an object", other)),
    }
    sort_small(&mut links, |a, b| a.name < b.name);
    Ok(links)
}

fn push_ccpa(top: &mut Vec<(&'static str, Value)>, b: &LocaleBundle) {
    let mut ccpa = Vec::new();
    push_opt(&mut ccpa, "opt_out_link", &b.ccpa_opt_out_link);
    push_opt(&mut ccpa, "limit_link", &b.ccpa_limit_link);
    if !ccpa.is_empty() {
        top.push(("ccpa", Value::object(ccpa)));
    }
}

type CcpaNames = (Option<String>, Option<String>);

fn ccpa_from(v: &Value) -> Result<CcpaNames, BundleError> {
    Ok(match v.get("ccpa") {
        None => (None, None),
        Some(c) => (
            opt_str(c, "opt_out_link", "ccpa")?,
            opt_str(c, "limit_link", "ccpa")?,
        ),
    })
}

fn strings(v: &[String]) -> Value {
    Value::Arr(v.iter().map(|r| Value::str(r.clone())).collect())
}

fn push_opt(members: &mut Vec<(&'static str, Value)>, key: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        members.push((key, Value::str(v.clone())));
    }
}

/// Writes `regions` (when the map says anything).
fn push_regions(top: &mut Vec<(&'static str, Value)>, r: &RegionMap) {
    if r.default.is_some() || !r.entries.is_empty() || !r.controller.is_empty() {
        let mut regions = alloc::vec![(
            "map",
            Value::Obj(
                r.entries
                    .iter()
                    .map(|(code, g)| (String::from(code.as_str()), Value::str(g.as_str())))
                    .collect(),
            ),
        )];
        if let Some(g) = r.default {
            regions.push(("default", Value::str(g.as_str())));
        }
        if !r.controller.is_empty() {
            regions.push((
                "controller",
                Value::Arr(
                    r.controller
                        .iter()
                        .map(|g| Value::str(g.as_str()))
                        .collect(),
                ),
            ));
        }
        top.push(("regions", Value::object(regions)));
    }
}

/// A bundle with the identity of the file `v` (notice id, version, locale, direction) and
/// nothing else.
fn identity_from(v: &Value) -> Result<LocaleBundle, BundleError> {
    let dir = req_str(v, "dir", "")?;
    Ok(LocaleBundle::new(
        NoticeId::parse(&req_str(v, "notice_id", "")?).map_err(BundleError::Id)?,
        req_str(v, "version", "")?,
        LocaleTag::parse(&req_str(v, "locale", "")?).map_err(BundleError::Id)?,
        Direction::parse(&dir).ok_or(BundleError::Invalid {
            at: "dir",
            expected: "\"ltr\" or \"rtl\"",
        })?,
    ))
}

/// The facts of one purpose (see [`facts_members`]); its texts empty.
fn purpose_facts(p: &Value) -> Result<BundlePurpose, BundleError> {
    let at = "purpose";
    let id = req_str(p, "id", "purposes[]")?;
    let mut legal_bases = match p.get("legal_bases") {
        None => Vec::new(),
        Some(Value::Obj(m)) => m
            .iter()
            .map(|(g, b)| {
                let regime = exact_regime(g).ok_or(BundleError::Invalid {
                    at: "purpose.legal_bases",
                    expected: "regime names as keys",
                })?;
                let basis = b
                    .as_str()
                    .map(String::from)
                    .ok_or_else(|| BundleError::field("purpose.legal_bases", "a string", b))?;
                Ok((regime, basis))
            })
            .collect::<Result<Vec<_>, BundleError>>()?,
        Some(other) => {
            return Err(BundleError::field(
                "purpose.legal_bases",
                "an object",
                other,
            ));
        }
    };
    // Canonical JSON orders members by name; the model keeps `Regime::ALL` order.
    sort_small(&mut legal_bases, |a, b| a.0 < b.0);
    Ok(BundlePurpose {
        legal_bases,
        separate_consent: req_bool(p, "separate_consent", at)?,
        sensitive: req_bool(p, "sensitive", at)?,
        retention: req_str(p, "retention", at)?,
        recipients: str_list(req_arr(p, "recipients", at)?, "recipients[]")?,
        processors: opt_str_list(p, "processors")?,
        transfers: req_arr(p, "transfers", at)?
            .iter()
            .map(|t| {
                Ok(Transfer {
                    destination: req_str(t, "destination", "transfers[]")?,
                    safeguard: req_str(t, "safeguard", "transfers[]")?,
                    recipient: opt_str(t, "recipient", "transfers[]")?,
                    contact: opt_str(t, "contact", "transfers[]")?,
                })
            })
            .collect::<Result<_, BundleError>>()?,
        sold_or_shared: opt_bool(p, "sold_or_shared")?,
        dpv: opt_str(p, "dpv", at)?.unwrap_or_default(),
        channels: opt_str_list(p, "channels")?,
        automated_decisions: opt_bool(p, "automated_decisions")?,
        on_until_opt_out: regime_list(p, "on_until_opt_out", "purpose.on_until_opt_out")?,
        ..BundlePurpose::new(
            PurposeId::parse(&id).map_err(BundleError::Id)?,
            req_bool(p, "required", at)?,
            req_str(p, "legal_basis", at)?,
            Rich::default(),
            Rich::default(),
        )
    })
}

/// The `messages` object, sorted by id whatever the member order in the file (canonical JSON
/// orders by UTF-16 code units, the model by bytes), so reading is independent of how it was
/// written.
fn messages_from(v: &Value) -> Result<Vec<(String, Rich)>, BundleError> {
    let mut messages = match v {
        Value::Obj(m) => m
            .iter()
            .map(|(k, val)| Ok((k.clone(), Rich::from_value(val, "messages")?)))
            .collect::<Result<Vec<_>, BundleError>>()?,
        other => return Err(BundleError::field("messages", "an object", other)),
    };
    sort_small(&mut messages, |a, b| a.0 < b.0);
    Ok(messages)
}

/// The `regions` member of the file `v` (an empty map when it has none).
fn regions_from(v: &Value) -> Result<RegionMap, BundleError> {
    let Some(r) = v.get("regions") else {
        return Ok(RegionMap::default());
    };
    let regime = |s: &str| {
        exact_regime(s).ok_or(BundleError::Invalid {
            at: "regions",
            expected: "regime names",
        })
    };
    let default = match opt_str(r, "default", "regions")? {
        Some(g) => Some(regime(&g)?),
        None => None,
    };
    let mut entries = Vec::new();
    match r.get("map") {
        None => {}
        Some(Value::Obj(m)) => {
            for (code, g) in m {
                let g = g
                    .as_str()
                    .ok_or_else(|| BundleError::field("regions.map", "a string", g))?;
                let region = RegionCode::parse(code).map_err(BundleError::Id)?;
                // Only the canonical spelling, so that two keys cannot name one region (the
                // writer would then repeat a key).
                if region.as_str() != code {
                    return Err(BundleError::Invalid {
                        at: "regions.map",
                        expected: "region codes in canonical case (US-CA)",
                    });
                }
                entries.push((region, regime(g)?));
            }
        }
        Some(other) => {
            return Err(BundleError::field("regions.map", "an object", other));
        }
    }
    let mut map = RegionMap::new(default, entries);
    let listed = regime_list(r, "controller", "regions")?;
    // Each once, in `Regime::ALL` order, however the file lists them (no sort routine).
    map.controller = Regime::ALL
        .iter()
        .copied()
        .filter(|g| listed.contains(g))
        .collect();
    Ok(map)
}

/// The regimes named by the array `key` of `v` (none when it is missing), in its order.
fn regime_list(v: &Value, key: &'static str, at: &'static str) -> Result<Vec<Regime>, BundleError> {
    let mut out = Vec::new();
    for g in opt_str_list(v, key)? {
        out.push(exact_regime(&g).ok_or(BundleError::Invalid {
            at,
            expected: "regime names",
        })?);
    }
    Ok(out)
}

/// A regime by its exact wire name (no aliases: two spellings of one regime would make the
/// writer repeat a key).
fn exact_regime(s: &str) -> Option<Regime> {
    Regime::from_wire(s)
}

fn str_list(items: &[Value], at: &str) -> Result<Vec<String>, BundleError> {
    items
        .iter()
        .map(|r| {
            r.as_str()
                .map(String::from)
                .ok_or_else(|| BundleError::field(at, "a string", r))
        })
        .collect()
}

fn opt_str_list(v: &Value, key: &'static str) -> Result<Vec<String>, BundleError> {
    match v.get(key) {
        None => Ok(Vec::new()),
        Some(Value::Arr(items)) => str_list(items, key),
        Some(other) => Err(BundleError::field(key, "an array", other)),
    }
}

fn opt_bool(v: &Value, key: &'static str) -> Result<bool, BundleError> {
    match v.get(key) {
        None => Ok(false),
        Some(Value::Bool(b)) => Ok(*b),
        Some(other) => Err(BundleError::field(key, "a boolean", other)),
    }
}

fn opt_rich(v: &Value, key: &'static str) -> Result<Option<Rich>, BundleError> {
    match v.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(r) => Rich::from_value(r, key).map(Some),
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
        self.to_json_with_details(&[])
    }

    /// Serializes to canonical JSON, listing beside each locale's first layer the name of its
    /// details file (`details[i]` for `locales[i]`; see [`FirstLayer`], which carries the
    /// details file's digest). [`Manifest::from_json`] ignores the listing;
    /// [`manifest_details`] reads it.
    pub fn to_json_with_details(&self, details: &[Option<DetailsRef>]) -> String {
        let locales = self
            .locales
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let mut m = alloc::vec![
                    ("path", Value::str(e.path.clone())),
                    ("sha256", Value::str(e.sha256.to_hex())),
                    ("dir", Value::str(e.dir.as_str())),
                    ("name", Value::str(e.name.clone())),
                ];
                if let Some(Some(d)) = details.get(i) {
                    m.push(("details", Value::str(d.path.clone())));
                }
                (String::from(e.locale.as_str()), Value::object(m))
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
        // The writer emits locales in canonical key order; read them in that order too, so
        // that what is read writes back to the same value (found by the manifest fuzz target).
        sort_small(&mut locales, |a, b| {
            json::cmp_utf16(a.locale.as_str(), b.locale.as_str()).is_lt()
        });
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
        // Pieces only, no formatting machinery (the widget's first module links this).
        let parts: &[&str] = match self {
            BundleError::Json(e) => {
                f.write_str("not valid JSON: ")?;
                return e.fmt(f);
            }
            BundleError::Schema(s) => &["unsupported schema \"", s, "\""],
            BundleError::Missing { at, key } => &["missing member \"", key, "\" in ", at],
            BundleError::WrongType {
                at,
                expected,
                found,
            } => &[at, ": expected ", expected, ", found ", found],
            BundleError::Invalid { at, expected } => &[at, ": expected ", expected],
            BundleError::Id(e) => return e.fmt(f),
        };
        for p in parts {
            f.write_str(p)?;
        }
        Ok(())
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
            controller: Controller {
                name: "Example Telecom".into(),
                address: "1 Example Road".into(),
                email: "privacy@example.com".into(),
                phone: None,
                dpo_name: Some("DPO".into()),
                dpo_email: Some("dpo@example.com".into()),
                ..Controller::default()
            },
            purposes: vec![BundlePurpose {
                retention: "P1Y".into(),
                recipients: vec!["Mailer Ltd".into()],
                transfers: vec![Transfer {
                    destination: "SG".into(),
                    safeguard: "eu-scc".into(),
                    ..Transfer::default()
                }],
                ..BundlePurpose::new(
                    PurposeId::parse("marketing").unwrap(),
                    false,
                    "consent",
                    Rich::plain("营销"),
                    Rich(vec![
                        Span::Text("见".into()),
                        Span::Link {
                            href: "https://example.com/p".into(),
                            text: "隐私政策".into(),
                        },
                    ]),
                )
            }],
            messages: vec![("accept-all".into(), Rich::plain("全部接受"))],
            ..LocaleBundle::new(
                NoticeId::parse("support-privacy").unwrap(),
                "2026.11.1",
                LocaleTag::parse("zh-CN").unwrap(),
                Direction::Ltr,
            )
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
    fn manifest_read_in_any_order_writes_back_the_same_value() {
        // Regression: the manifest fuzz target found that locales were kept in file order on
        // read but written in canonical order, so a read-write-read round trip changed the value.
        let crash = include_bytes!("../tests/regression/manifest-locale-order.json");
        let m = Manifest::from_json(crash).unwrap();
        assert_eq!(Manifest::from_json(m.to_json().as_bytes()).as_ref(), Ok(&m));
        let tags: Vec<&str> = m.locales.iter().map(|e| e.locale.as_str()).collect();
        assert_eq!(tags, ["en", "ir", "zxh-CN"]);
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

    /// Every bundle the reader accepts is written back to bytes it reads as the same bundle
    /// (the invariant of the `manifest` fuzz target). Aliases of regime names and non-canonical
    /// region codes used to be accepted, so two keys could name one regime or region and the
    /// writer repeated a key, which the strict reader then refused.
    #[test]
    fn accepted_bundles_round_trip_and_aliases_are_refused() {
        let mut b = sample();
        b.purposes[0].legal_bases = vec![(Regime::Gdpr, "consent".into())];
        b.regions = RegionMap::new(
            Some(Regime::Apec),
            vec![(RegionCode::parse("US-CA").unwrap(), Regime::Ccpa)],
        );
        let json = b.to_json();
        assert_eq!(LocaleBundle::from_json(json.as_bytes()).unwrap(), b);
        for (from, to) in [
            (
                "\"legal_bases\":{\"eu-gdpr\"",
                "\"legal_bases\":{\"gdpr\":\"x\",\"eu-gdpr\"",
            ),
            (
                "\"map\":{\"US-CA\"",
                "\"map\":{\"us-ca\":\"ccpa\",\"US-CA\"",
            ),
            (
                "\"map\":{\"US-CA\":\"us-ca-ccpa\"",
                "\"map\":{\"US-CA\":\"ccpa\"",
            ),
        ] {
            assert!(json.contains(from), "{from}");
            let bad = json.replacen(from, to, 1);
            assert!(
                matches!(
                    LocaleBundle::from_json(bad.as_bytes()),
                    Err(BundleError::Invalid { .. })
                ),
                "{to}"
            );
        }
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
