//! The notice model: what `locales/notice.toml` says, validated into typed values.
//!
//! `notice.toml` holds the structure of a privacy notice (who the controller is, which purposes
//! exist, on which legal basis, for how long, shared with whom, sent where); the `.ftl` files
//! hold the words. [`Notice::from_toml`] (feature `compile`) reads the file, keeping positions,
//! and checks every value; it reports all problems at once as [`Diagnostic`]s.
//!
//! The types here are the validated stage: a [`Notice`] only exists if the file was valid, so
//! code that receives one can trust it (required purposes never rely on consent, links are
//! `https:` or `mailto:`, ids are well formed, purpose ids are unique).
//!
//! [`Diagnostic`]: crate::diagnostics::Diagnostic

mod retention;

#[cfg(feature = "compile")]
mod read;
#[cfg(all(test, feature = "compile"))]
mod tests;

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use crate::ids::{LocaleTag, NoticeId, PurposeId, RegionCode};
use crate::law::{Reason, Regime};

#[cfg(feature = "compile")]
pub use read::{Known, NoticeFacts, Spans};
#[cfg(feature = "compile")]
pub(crate) use read::{MAX_VALUE_CHARS, edit_distance};
pub use retention::{Retention, RetentionError};

/// A validated notice.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Notice {
    /// Stable id of the notice, e.g. `support-privacy`.
    pub id: NoticeId,
    /// Version; changing it makes the widget ask every visitor again.
    pub version: String,
    /// Locale used when a visitor's languages match none of ours.
    pub default_locale: LocaleTag,
    /// Who is responsible for the processing.
    pub controller: Controller,
    /// Named links (`{ $name }` in the text), sorted by name.
    pub links: Vec<Link>,
    /// The link (a name from `links`) to the full privacy policy, if any.
    pub policy_link: Option<String>,
    /// Which rights the notice explains and where people exercise them.
    pub rights: Rights,
    /// Where people can complain, per regime, sorted by regime.
    pub complaints: Vec<Complaint>,
    /// California-specific links.
    pub ccpa: CcpaLinks,
    /// Purposes in display order.
    pub purposes: Vec<Purpose>,
    /// Which legal regime applies in which region.
    pub regions: RegionMap,
}

impl Notice {
    /// The purpose `id`, if the notice has it.
    pub fn purpose(&self, id: &str) -> Option<&Purpose> {
        self.purposes.iter().find(|p| p.id.as_str() == id)
    }

    /// The link named `name`, if the notice has it.
    pub fn link(&self, name: &str) -> Option<&Link> {
        self.links.iter().find(|l| l.name == name)
    }
}

/// The controller: the organisation that decides why and how personal data is processed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Controller {
    /// Legal name.
    pub name: String,
    /// Postal address, one line.
    pub address: String,
    /// Country where the controller is established (ISO 3166-1 alpha-2), if given. Decides
    /// whether an EU representative (GDPR Art. 27) or a China representative (PIPL Art. 53)
    /// is needed.
    pub country: Option<RegionCode>,
    /// Privacy contact e-mail.
    pub email: String,
    /// Privacy contact phone, if any.
    pub phone: Option<String>,
    /// Data protection officer, if one is appointed.
    pub dpo: Option<Dpo>,
    /// Representative in the EU (GDPR Art. 27), for a controller established outside it.
    pub eu_representative: Option<Representative>,
    /// Representative in China (PIPL Art. 53), for a controller established outside it.
    pub china_representative: Option<Representative>,
    /// Representative in the UK (UK GDPR Art. 27), for a controller established outside it.
    pub uk_representative: Option<Representative>,
    /// Representative in Switzerland (nFADP Art. 14), for a controller established outside it.
    pub swiss_representative: Option<Representative>,
    /// Domestic agent in Korea (PIPA Art. 31-2), for a controller without an address there.
    pub korea_representative: Option<Representative>,
    /// The name of the person who represents the controller (its head: president, managing
    /// director), which Japan's APPI Art. 32(1)(1) requires the notice to give.
    pub head: Option<String>,
}

impl Controller {
    /// A controller nothing is known of (a placeholder in a notice read with errors).
    #[cfg(feature = "compile")]
    pub(crate) fn unknown() -> Self {
        Self {
            name: String::new(),
            address: String::new(),
            country: None,
            email: String::new(),
            phone: None,
            dpo: None,
            eu_representative: None,
            china_representative: None,
            uk_representative: None,
            swiss_representative: None,
            korea_representative: None,
            head: None,
        }
    }

    /// Each representative slot with its `notice.toml` key, in file order.
    #[cfg(feature = "compile")]
    pub(crate) fn representatives(&self) -> [(&'static str, &Option<Representative>); 5] {
        [
            ("eu_representative", &self.eu_representative),
            ("china_representative", &self.china_representative),
            ("uk_representative", &self.uk_representative),
            ("swiss_representative", &self.swiss_representative),
            ("korea_representative", &self.korea_representative),
        ]
    }
}

/// A data protection officer (GDPR Art. 37) or personal information protection officer
/// (PIPL Art. 52).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Dpo {
    /// Name or role.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Phone, if any.
    pub phone: Option<String>,
}

/// A representative of a controller established elsewhere (GDPR Art. 27, PIPL Art. 53).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Representative {
    /// Legal name.
    pub name: String,
    /// Postal address, one line.
    pub address: String,
    /// E-mail.
    pub email: String,
}

/// A named link. Its label is the message `link-<name>` in each `.ftl` file; the text places it
/// with `{ $name }`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Link {
    /// Kebab-case name, e.g. `privacy-policy`.
    pub name: String,
    /// An `https:` or `mailto:` URL.
    pub url: String,
}

/// The `[rights]` table: which rights the notice explains (each has the message
/// `right-<id>`) and the links (names from `[links]`) where people exercise them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rights {
    /// Rights explained, in display order.
    pub offered: Vec<Right>,
    /// Link names where requests are made (a form, an e-mail address).
    pub how: Vec<String>,
    /// The longest the controller takes to answer a request, whatever the law allows
    /// (`deadline = "P1M"`); the visitor is told the shorter of this and the law's
    /// ([`crate::regime::response_deadline`]).
    pub deadline: Option<Retention>,
}

/// Where people can complain under one regime: a link (name from `[links]`); the words are the
/// message `complaint-<regime>`.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Complaint {
    /// The regime.
    pub regime: Regime,
    /// Link name.
    pub link: String,
}

/// The `[ccpa]` table: link names for California's required links.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct CcpaLinks {
    /// "Do Not Sell or Share My Personal Information" (CCPA 1798.135, 11 CCR §7013).
    pub opt_out_link: Option<String>,
    /// "Limit the Use of My Sensitive Personal Information" (1798.121, §7014).
    pub limit_link: Option<String>,
}

/// One processing purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Purpose {
    /// Stable id, e.g. `hotline-call-recording`.
    pub id: PurposeId,
    /// The W3C Data Privacy Vocabulary purpose, e.g. `CustomerCare` (see [`DPV_PURPOSES`]).
    pub dpv: String,
    /// The service cannot run without it; it is always on and cannot be refused. Only allowed
    /// for legal bases other than consent.
    pub required: bool,
    /// The legal basis where no regime-specific one is given (`legal_basis = "…"`, or the
    /// `default` key of the table form).
    pub legal_basis: LegalBasis,
    /// The legal basis under every regime, in [`Regime::ALL`] order.
    pub legal_bases: Vec<(Regime, LegalBasis)>,
    /// How long the data is kept.
    pub retention: Retention,
    /// Service providers processing the data on the controller's behalf (GDPR Art. 28, PIPL
    /// Art. 21), by name.
    pub processors: Vec<String>,
    /// Third parties who receive the data for their own purposes (independent controllers,
    /// PIPL Art. 23), by name.
    pub third_parties: Vec<String>,
    /// Kinds of personal data, kebab-case (`contact-details`, `call-audio`); each has the
    /// message `data-category-<id>`.
    pub data_categories: Vec<String>,
    /// Where the data is collected; each has the message `channel-<id>`.
    pub channels: Vec<Channel>,
    /// Transfers to other countries.
    pub transfers: Vec<Transfer>,
    /// Involves sensitive personal data (GDPR Art. 9, PIPL Art. 28, LGPD Art. 11).
    pub sensitive: bool,
    /// Needs its own, separate consent act (PIPL Arts. 23, 29, 39; GDPR Art. 9/49).
    pub separate_consent: bool,
    /// The data is sold or shared for cross-context behavioural advertising (CCPA).
    pub sold_or_shared: bool,
    /// Decisions are made automatically, including profiling (GDPR Art. 22, PIPL Art. 24).
    pub automated_decisions: bool,
    /// The regimes under which it runs before the visitor chooses, on notice with a right to
    /// opt out or object (only where the law permits it for its basis there; see
    /// [`crate::regime::Regime::permits_on_before_choice`]).
    pub on_until_opt_out: Vec<Regime>,
}

impl Purpose {
    /// Everyone who receives the data (GDPR Art. 4(9)): processors, then third parties.
    pub fn recipients(&self) -> Vec<String> {
        self.processors
            .iter()
            .chain(&self.third_parties)
            .cloned()
            .collect()
    }

    /// The legal basis under `regime`.
    pub fn basis_for(&self, regime: Regime) -> LegalBasis {
        self.legal_bases
            .iter()
            .find(|(r, _)| *r == regime)
            .map_or(self.legal_basis, |(_, b)| *b)
    }
}

macro_rules! keyword_enum {
    ($(#[$m:meta])* $name:ident { $( $(#[$vm:meta])* $variant:ident = $text:literal, )* }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vm])* $variant, )*
        }

        impl $name {
            /// Every value, in a fixed order.
            pub const ALL: &[$name] = &[ $( $name::$variant, )* ];

            /// The keyword used in `notice.toml` and in compiled files.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                }
            }

            /// Parses the keyword.
            pub fn parse(s: &str) -> Option<Self> {
                match s {
                    $( $text => Some($name::$variant), )*
                    _ => None,
                }
            }

            /// The allowed keywords, for messages: `a, b or c`.
            pub fn expected() -> String {
                one_of(Self::ALL.iter().map(|v| v.as_str()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(
    /// The legal basis of a purpose (GDPR Art. 6(1); PIPL Art. 13 and LGPD Art. 7 map onto
    /// these).
    LegalBasis {
        /// The person agreed (6(1)(a)); can be refused and withdrawn.
        Consent = "consent",
        /// Needed to perform a contract with the person (6(1)(b)).
        Contract = "contract",
        /// Required by law (6(1)(c)).
        LegalObligation = "legal-obligation",
        /// The controller's legitimate interests (6(1)(f)); not available under PIPL.
        LegitimateInterests = "legitimate-interests",
        /// To protect someone's life (6(1)(d)).
        VitalInterests = "vital-interests",
        /// A task in the public interest (6(1)(e)).
        PublicTask = "public-task",
        /// Processing on notice at collection with a right to opt out (the US state laws:
        /// CCPA 1798.120, Va. Code § 59.1-577(A)(5)); no consent is asked for, and the person
        /// can switch it off at any time.
        OptOut = "opt-out",
    }
);

keyword_enum!(
    /// A channel through which the support site collects data.
    Channel {
        /// Telephone hotlines (international and domestic).
        Hotline = "hotline",
        /// Online chat.
        Chat = "chat",
        /// The support mailbox (e-mail).
        Mailbox = "mailbox",
        /// The website itself.
        Web = "web",
    }
);

keyword_enum!(
    /// The legal mechanism that makes a cross-border transfer lawful.
    Safeguard {
        /// The destination has an adequacy decision (GDPR Art. 45).
        Adequacy = "adequacy",
        /// EU standard contractual clauses (GDPR Art. 46(2)(c)); with the Swiss addendum also
        /// nFADP Art. 16(2)(d).
        EuScc = "eu-scc",
        /// The UK International Data Transfer Agreement or the UK Addendum to the EU SCCs (UK
        /// GDPR Art. 46(2)(d)).
        UkIdta = "uk-idta",
        /// The ANPD's standard contractual clauses (LGPD Art. 33 II(b); Resolution 19/2024).
        LgpdScc = "lgpd-scc",
        /// Binding corporate rules (GDPR Art. 47).
        Bcr = "bcr",
        /// China's standard contract for outbound transfers (PIPL Art. 38(1)(3)).
        PiplStandardContract = "pipl-standard-contract",
        /// Personal information protection certification (PIPL Art. 38(1)(2)).
        PiplCertification = "pipl-certification",
        /// CAC security assessment (PIPL Art. 38(1)(1), Art. 40).
        PiplSecurityAssessment = "pipl-security-assessment",
        /// APEC Cross-Border Privacy Rules certification.
        ApecCbpr = "apec-cbpr",
        /// The person's explicit consent to the transfer (GDPR Art. 49(1)(a)).
        ExplicitConsent = "explicit-consent",
    }
);

keyword_enum!(
    /// A right of the people the data is about, as explained in the notice. Each has the
    /// message `right-<id>` in every locale.
    Right {
        /// Access and a copy (GDPR Art. 15, PIPL Art. 45, CCPA 1798.110, LGPD Art. 18 II).
        Access = "access",
        /// Correction (GDPR Art. 16, PIPL Art. 46, CCPA 1798.106, LGPD Art. 18 III).
        Rectification = "rectification",
        /// Deletion (GDPR Art. 17, PIPL Art. 47, CCPA 1798.105, LGPD Art. 18 VI).
        Erasure = "erasure",
        /// Restriction of processing (GDPR Art. 18).
        Restriction = "restriction",
        /// Objection (GDPR Art. 21, LGPD Art. 18 §2).
        Objection = "objection",
        /// Portability (GDPR Art. 20, PIPL Art. 45, LGPD Art. 18 V).
        Portability = "portability",
        /// Withdrawing consent at any time (GDPR Art. 7(3), PIPL Art. 15, LGPD Art. 8 §5).
        WithdrawConsent = "withdraw-consent",
        /// An explanation of the processing rules (PIPL Art. 48).
        Explanation = "explanation",
        /// Not to be subject to solely automated decisions (GDPR Art. 22, PIPL Art. 24).
        AutomatedDecisions = "automated-decisions",
        /// Opting out of sale or sharing (CCPA 1798.120).
        OptOutOfSale = "opt-out-of-sale",
        /// Limiting the use of sensitive personal information (CCPA 1798.121).
        LimitSensitive = "limit-sensitive",
        /// No discrimination for exercising rights (CCPA 1798.125).
        NonDiscrimination = "non-discrimination",
        /// Information about who the data was shared with (LGPD Art. 18 VII).
        SharingInformation = "sharing-information",
        /// Anonymisation or blocking of unnecessary data (LGPD Art. 18 IV).
        Anonymisation = "anonymisation",
        /// Information about refusing consent and its consequences (LGPD Art. 18 VIII; PIPA
        /// Art. 15(2)(4)).
        RefusalInformation = "refusal-information",
        /// Appealing a refusal to act on a request (Va. Code § 59.1-577(C); Colorado
        /// 6-1-1306(3); Conn. 42-518(d); Tex. § 541.053; Or. 646A.576(8)).
        Appeal = "appeal",
        /// Nominating someone to exercise the rights after death or incapacity (DPDP s.14).
        Nominate = "nominate",
    }
);

/// W3C Data Privacy Vocabulary (DPV 2.x) purposes a notice may name in `dpv = "…"`: the
/// purpose taxonomy's terms that fit customer-facing processing.
pub const DPV_PURPOSES: &[&str] = &[
    "AccountManagement",
    "Advertising",
    "CommunicationForCustomerCare",
    "CommunicationManagement",
    "CustomerCare",
    "CustomerClaimsManagement",
    "CustomerManagement",
    "CustomerRelationshipManagement",
    "CustomerSolvencyMonitoring",
    "DeliveryOfGoods",
    "DirectMarketing",
    "DisputeManagement",
    "EnforceSecurity",
    "FraudPreventionAndDetection",
    "IdentityAuthentication",
    "IdentityVerification",
    "ImproveExistingProductsAndServices",
    "ImproveInternalCRMProcesses",
    "LegalCompliance",
    "Marketing",
    "OptimisationForConsumer",
    "OptimiseUserInterface",
    "Personalisation",
    "PersonalisedAdvertising",
    "ProvideProductRecommendations",
    "RecordManagement",
    "RequestedServiceProvision",
    "ResearchAndDevelopment",
    "SellDataToThirdParties",
    "ServiceOptimisation",
    "ServicePersonalisation",
    "ServiceProvision",
    "ServiceRegistration",
    "ServiceUsageAnalytics",
    "TargetedAdvertising",
    "TechnicalServiceProvision",
    "UserInterfacePersonalisation",
    "VendorManagement",
];

fn one_of<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    let mut s = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            s.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        s.push('"');
        s.push_str(item);
        s.push('"');
    }
    s
}

/// A transfer of a purpose's data to another country.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transfer {
    /// Destination (ISO 3166-1 alpha-2).
    pub destination: RegionCode,
    /// The mechanism relied on.
    pub safeguard: Safeguard,
    /// Who receives the data there, if named (PIPL Art. 39 requires it).
    pub recipient: Option<String>,
    /// How to reach that recipient: a link name from `[links]` (PIPL Art. 39).
    pub contact: Option<String>,
}

/// Region → regime rules from `[regions]`, and the regimes the controller's establishment
/// brings to every visitor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionMap {
    /// Regime for regions that neither the map nor the built-in table ([`crate::regime::home_regime`])
    /// assigns to a specific law; `None` means APEC (notice and choice).
    pub default: Option<Regime>,
    /// Explicit entries, sorted by region code.
    pub entries: Vec<(RegionCode, Regime)>,
    /// The regimes that bind the controller for every visitor because it is established where
    /// they apply ([`Regime::reaches_by_establishment`]), in [`Regime::ALL`] order.
    pub controller: Vec<Regime>,
    /// Entries that map a region away from its own law, with the reason the notice gives
    /// (`[regions] SG = { regime = "…", reason = "…" }`); read by the linter only, not
    /// compiled.
    pub acknowledged: Vec<(RegionCode, String)>,
}

impl RegionMap {
    /// A map from its default and its entries (sorted here by region code).
    pub fn new(default: Option<Regime>, mut entries: Vec<(RegionCode, Regime)>) -> Self {
        crate::messages::sort_small(&mut entries, |a, b| a < b);
        Self {
            default,
            entries,
            ..Self::default()
        }
    }

    /// This map, with the regimes a controller established in `country` brings to every
    /// visitor ([`establishment_regimes`]).
    #[must_use]
    pub fn with_controller_in(mut self, country: &RegionCode) -> Self {
        self.controller = establishment_regimes(country);
        self
    }

    fn entry(&self, code: &str) -> Option<Regime> {
        self.entries
            .iter()
            .find(|(r, _)| r.as_str() == code)
            .map(|(_, g)| *g)
    }

    /// Every regime that applies to a visitor in `region` (`None`: not known), with why, the
    /// visitor's own first:
    /// 1. the region's own law: the map's entry for it (`US-CA`), else the built-in table's
    ///    for that subdivision, else the map's entry for its country (`US`), else the built-in
    ///    table's for the country; if none, the map's `default` (APEC when unset) as an
    ///    unlisted region; an unknown region gets GDPR, the strictest;
    /// 2. for a subdivision with a law of its own, its country's law too (`CA-QC`: Law 25 and
    ///    PIPEDA);
    /// 3. the controller's establishment regimes ([`RegionMap::controller`]).
    ///
    /// Each regime is listed once, with the first reason found.
    pub fn regimes_for(&self, region: Option<&RegionCode>) -> Vec<(Regime, Reason)> {
        let mut out: Vec<(Regime, Reason)> = Vec::with_capacity(2 + self.controller.len());
        let mut push = |g: Regime, why: Reason| {
            if !out.iter().any(|(r, _)| *r == g) {
                out.push((g, why));
            }
        };
        match region {
            None => push(Regime::Gdpr, Reason::UnknownRegion),
            Some(r) => {
                let sub = r.as_str().len() > 2;
                let own = self
                    .entry(r.as_str())
                    .or_else(|| crate::law::home_regime_exact(r.as_str()).filter(|_| sub));
                let country = self
                    .entry(r.country())
                    .or_else(|| crate::law::home_regime_exact(r.country()));
                match (own, country) {
                    (Some(g), c) => {
                        push(g, Reason::VisitorRegion);
                        if let Some(c) = c {
                            push(c, Reason::VisitorCountry);
                        }
                    }
                    (None, Some(c)) => push(c, Reason::VisitorRegion),
                    (None, None) => {
                        push(self.default.unwrap_or(Regime::Apec), Reason::UnlistedRegion)
                    }
                }
            }
        }
        for g in &self.controller {
            push(*g, Reason::ControllerEstablishment);
        }
        out
    }

    /// The regimes for a visitor who says they are somewhere none of the listed regions is:
    /// the map's `default` (APEC when unset) as an unlisted region, then the controller's.
    pub fn regimes_elsewhere(&self) -> Vec<(Regime, Reason)> {
        let mut out = alloc::vec![(self.default.unwrap_or(Regime::Apec), Reason::UnlistedRegion)];
        for g in &self.controller {
            if !out.iter().any(|(r, _)| r == g) {
                out.push((*g, Reason::ControllerEstablishment));
            }
        }
        out
    }

    /// The law of the visitor's own region: the first of [`RegionMap::regimes_for`].
    pub fn regime_for(&self, region: &RegionCode) -> Regime {
        self.regimes_for(Some(region))
            .first()
            .map_or(Regime::Apec, |(g, _)| *g)
    }

    /// Every regime some visitor can get, in [`Regime::ALL`] order: what
    /// [`RegionMap::regimes_for`] gives for every home region of the built-in table, every
    /// region the map names, an unlisted region and an unknown one.
    pub fn regimes_in_use(&self) -> Vec<Regime> {
        let mut used: Vec<Regime> = self.regimes_for(None).into_iter().map(|(g, _)| g).collect();
        used.push(self.default.unwrap_or(Regime::Apec));
        let regions = crate::law::homes()
            .filter_map(|(c, _)| RegionCode::parse(c).ok())
            .chain(self.entries.iter().map(|(r, _)| r.clone()));
        for r in regions {
            used.extend(self.regimes_for(Some(&r)).into_iter().map(|(g, _)| g));
        }
        Regime::ALL
            .iter()
            .copied()
            .filter(|g| used.contains(g))
            .collect()
    }
}

/// The regimes that bind a controller established in `country` (a country or subdivision code)
/// for every visitor: the law of that region and of its country by the built-in table, where
/// it reaches by establishment ([`Regime::reaches_by_establishment`]), in [`Regime::ALL`]
/// order.
pub fn establishment_regimes(country: &RegionCode) -> Vec<Regime> {
    let own = crate::law::home_regime_exact(country.as_str());
    let national = crate::law::home_regime_exact(country.country());
    Regime::ALL
        .iter()
        .copied()
        .filter(|g| (own == Some(*g) || national == Some(*g)) && g.reaches_by_establishment())
        .collect()
}

/// The messages a locale must define for this notice, on top of
/// [`UI_MESSAGES`](crate::bundle::UI_MESSAGES): `purpose-<id>-name` and
/// `purpose-<id>-description` for each purpose, `link-<name>` for each link,
/// `legal-basis-<basis>` for each legal basis a purpose uses, and the `labels` the notice
/// makes necessary (`data-category-<id>`, `channel-<id>`, `right-<id>`, `complaint-<regime>`,
/// `regime-<id>`). Each comes with the reason it is required.
pub fn required_messages(
    purposes: &[PurposeId],
    links: &[String],
    bases: &[LegalBasis],
    labels: &[(String, String)],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::messages::UI_MESSAGES
        .iter()
        .map(|m| ((*m).into(), "the widget needs it (interface text)".into()))
        .collect();
    for p in purposes {
        for part in ["name", "description"] {
            out.push((
                alloc::format!("purpose-{p}-{part}"),
                alloc::format!("notice.toml has the purpose `{p}`"),
            ));
        }
    }
    for l in links {
        out.push((
            alloc::format!("link-{l}"),
            alloc::format!("notice.toml has the link `{l}`"),
        ));
    }
    for b in bases {
        out.push((
            alloc::format!("legal-basis-{b}"),
            alloc::format!("a purpose in notice.toml uses the legal basis `{b}`"),
        ));
    }
    out.extend(labels.iter().cloned());
    let mut seen = alloc::collections::BTreeSet::new();
    out.retain(|(id, _)| seen.insert(id.clone()));
    out
}
