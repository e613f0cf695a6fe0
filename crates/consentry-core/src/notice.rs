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
use crate::regime::{Regime, default_regime_for};

#[cfg(feature = "compile")]
pub use read::NoticeFacts;
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
    /// Privacy contact e-mail.
    pub email: String,
    /// Privacy contact phone, if any.
    pub phone: Option<String>,
    /// Data protection officer, if one is appointed.
    pub dpo: Option<Dpo>,
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

/// One processing purpose.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Purpose {
    /// Stable id, e.g. `hotline-call-recording`.
    pub id: PurposeId,
    /// The service cannot run without it; it is always on and cannot be refused. Only allowed
    /// for legal bases other than consent.
    pub required: bool,
    /// Why the processing is lawful.
    pub legal_basis: LegalBasis,
    /// How long the data is kept.
    pub retention: Retention,
    /// Who receives the data (processors and other recipients), by name.
    pub recipients: Vec<String>,
    /// Kinds of personal data, kebab-case (`contact-details`, `call-audio`).
    pub data_categories: Vec<String>,
    /// Where the data is collected.
    pub channels: Vec<Channel>,
    /// Transfers to other countries.
    pub transfers: Vec<Transfer>,
    /// Involves sensitive personal data.
    pub sensitive: bool,
    /// Needs its own, separate consent act (PIPL Arts. 29, 39; also used for GDPR Art. 9/49).
    pub separate_consent: bool,
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
        /// EU standard contractual clauses (GDPR Art. 46(2)(c)).
        EuScc = "eu-scc",
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
}

/// Region → regime rules from `[regions]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct RegionMap {
    /// Regime for regions that neither the map nor the built-in table ([`default_regime_for`])
    /// assigns to a specific law; `None` means APEC (notice and choice).
    pub default: Option<Regime>,
    /// Explicit entries, sorted by region code.
    pub entries: Vec<(RegionCode, Regime)>,
}

impl RegionMap {
    /// The regime for `region`: an exact entry (`US-CA`), else the country's entry (`US`), else
    /// the built-in table (EU/EEA, CN, US-CA, BR), else the map's `default`, else APEC.
    pub fn regime_for(&self, region: &RegionCode) -> Regime {
        let find = |code: &str| {
            self.entries
                .iter()
                .find(|(r, _)| r.as_str() == code)
                .map(|(_, g)| *g)
        };
        find(region.as_str())
            .or_else(|| find(region.country()))
            .unwrap_or_else(|| match default_regime_for(region) {
                Regime::Apec => self.default.unwrap_or(Regime::Apec),
                specific => specific,
            })
    }
}

/// The messages a locale must define for this notice, on top of
/// [`UI_MESSAGES`](crate::bundle::UI_MESSAGES): `purpose-<id>-name` and
/// `purpose-<id>-description` for each purpose, `link-<name>` for each link and
/// `legal-basis-<basis>` for each legal basis a purpose uses. Each comes with the reason it is
/// required.
pub fn required_messages(
    purposes: &[PurposeId],
    links: &[String],
    bases: &[LegalBasis],
) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = crate::bundle::UI_MESSAGES
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
    let mut seen = alloc::collections::BTreeSet::new();
    out.retain(|(id, _)| seen.insert(id.clone()));
    out
}
