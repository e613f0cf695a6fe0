//! Legal regimes and how a visitor's region maps to one.
//!
//! Behaviour is code (what each regime switches on lives in the session and the widget); the
//! region → regime map is data that a notice may override (`[regions]` in `notice.toml`).
//! [`default_regime_for`] is the fallback table used when the notice says nothing.

use crate::bundle::BundlePurpose;
use crate::ids::RegionCode;

/// A privacy regime whose rules decide defaults, layering and receipt contents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Regime {
    /// EU / EEA General Data Protection Regulation (with ePrivacy for device storage).
    Gdpr,
    /// China's Personal Information Protection Law.
    Pipl,
    /// California Consumer Privacy Act as amended by CPRA.
    Ccpa,
    /// Brazil's Lei Geral de Proteção de Dados.
    Lgpd,
    /// APEC Privacy Framework: notice plus choice; the default elsewhere.
    Apec,
}

impl Regime {
    /// Every regime, in a fixed order.
    pub const ALL: [Regime; 5] = [
        Regime::Gdpr,
        Regime::Pipl,
        Regime::Ccpa,
        Regime::Lgpd,
        Regime::Apec,
    ];

    /// The wire name used in receipts and notice files.
    pub fn as_str(self) -> &'static str {
        match self {
            Regime::Gdpr => "eu-gdpr",
            Regime::Pipl => "cn-pipl",
            Regime::Ccpa => "us-ca-ccpa",
            Regime::Lgpd => "br-lgpd",
            Regime::Apec => "apec-cbpr",
        }
    }

    /// Parses a wire name; short forms (`gdpr`, `pipl`, `ccpa`, `lgpd`, `apec`) are accepted.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "eu-gdpr" | "gdpr" => Regime::Gdpr,
            "cn-pipl" | "pipl" => Regime::Pipl,
            "us-ca-ccpa" | "ccpa" | "cpra" => Regime::Ccpa,
            "br-lgpd" | "lgpd" => Regime::Lgpd,
            "apec-cbpr" | "apec" => Regime::Apec,
            _ => return None,
        })
    }

    /// Whether optional purposes start off and need an affirmative act (opt-in).
    pub fn is_opt_in(self) -> bool {
        !matches!(self, Regime::Ccpa | Regime::Apec)
    }

    /// Whether a Global Privacy Control signal (`navigator.globalPrivacyControl`, `Sec-GPC: 1`)
    /// is a binding opt-out of sale and sharing that no banner click may undo (CCPA regs
    /// § 7025): it holds off the purposes the notice marks `sold_or_shared`. Elsewhere the
    /// signal is recorded but does not lock choices.
    pub fn honours_gpc(self) -> bool {
        matches!(self, Regime::Ccpa)
    }

    /// Whether purposes that touch cross-border transfer, sensitive data or disclosure to
    /// third parties need their own consent act, apart from the other choices (PIPL Arts. 23,
    /// 29, 39).
    pub fn has_separate_consent(self) -> bool {
        matches!(self, Regime::Pipl)
    }

    /// The age below which a parent or guardian consents for the person (PIPL Art. 31: 14).
    pub fn guardian_age(self) -> Option<u8> {
        match self {
            Regime::Pipl => Some(14),
            _ => None,
        }
    }
}

/// How a purpose may be decided under a regime (see [`purpose_gate`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Decided with the other choices (accept all, reject all, a switch, save).
    Open,
    /// Needs its own consent act; "accept all" and "save" never grant it (PIPL).
    Separate,
    /// Held off by an opt-out preference signal (GPC under CCPA); no action grants it.
    SignalOptOut,
}

/// The gate of one purpose under `regime`:
/// - required purposes are always [`Gate::Open`] (there is nothing to ask);
/// - under CCPA with a GPC signal, exactly the purposes the notice marks `sold_or_shared` are
///   [`Gate::SignalOptOut`], whatever their legal basis (the opt-out of sale and sharing does
///   not depend on it); the others follow the regime's defaults;
/// - purposes that do not rest on consent under `regime` ([`BundlePurpose::basis_for`]) are
///   [`Gate::Open`];
/// - under PIPL a consent purpose is [`Gate::Separate`] when it is flagged `separate_consent`,
///   involves sensitive data (Art. 29), sends data abroad (Art. 39) or discloses it to a third
///   party that is not a processor (Art. 23).
pub fn purpose_gate(regime: Regime, gpc: bool, p: &BundlePurpose) -> Gate {
    if p.required {
        Gate::Open
    } else if gpc && regime.honours_gpc() && p.sold_or_shared {
        Gate::SignalOptOut
    } else if p.basis_for(regime) != "consent" {
        Gate::Open
    } else if regime.has_separate_consent()
        && (p.separate_consent || p.sensitive || !p.transfers.is_empty() || has_third_parties(p))
    {
        Gate::Separate
    } else {
        Gate::Open
    }
}

/// Whether a purpose discloses data to a recipient that is not one of its processors.
pub fn has_third_parties(p: &BundlePurpose) -> bool {
    p.recipients.iter().any(|r| !p.processors.contains(r))
}

/// How the region (and so the regime) was determined; recorded in every receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RegionSource {
    /// The embedding site passed `region` explicitly.
    SiteOption,
    /// A geolocation header set by the site's edge (CDN) and passed in.
    EdgeHeader,
    /// Inferred from the browser's time zone (a hint only).
    TimeZone,
    /// Inferred from the browser's language (a weak hint only).
    Language,
    /// The visitor chose their region in the notice.
    UserSelection,
    /// Nothing was known; the notice's default applies.
    Default,
}

impl RegionSource {
    /// Every source, in documentation order.
    pub const ALL: [RegionSource; 6] = [
        RegionSource::SiteOption,
        RegionSource::EdgeHeader,
        RegionSource::TimeZone,
        RegionSource::Language,
        RegionSource::UserSelection,
        RegionSource::Default,
    ];

    /// The wire name used in receipts.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionSource::SiteOption => "site_option",
            RegionSource::EdgeHeader => "edge_header",
            RegionSource::TimeZone => "time_zone",
            RegionSource::Language => "language",
            RegionSource::UserSelection => "user_selection",
            RegionSource::Default => "default",
        }
    }
    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "site_option" => RegionSource::SiteOption,
            "edge_header" => RegionSource::EdgeHeader,
            "time_zone" => RegionSource::TimeZone,
            "language" => RegionSource::Language,
            "user_selection" => RegionSource::UserSelection,
            "default" => RegionSource::Default,
            _ => return None,
        })
    }
}

/// EU member states plus the EEA (IS, LI, NO), where the GDPR applies.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// [`EEA`] as one string of its two-letter codes, in the same order: what [`builtin_regime`]
/// searches (the widget's first module carries it without a table of `&str`).
const EEA_CODES: &str = "ATBEBGHRCYCZDKEEFIFRDEGRHUIEITLVLTLUMTNLPLPTROSKSIESSEISLINO";

/// The built-in region → regime table: EEA → GDPR, CN → PIPL, US-CA → CCPA, BR → LGPD,
/// anything else → APEC (notice and choice).
pub fn default_regime_for(region: &RegionCode) -> Regime {
    builtin_regime(region).unwrap_or(Regime::Apec)
}

/// The built-in table without its fallback: `None` for regions that follow the default.
pub(crate) fn builtin_regime(region: &RegionCode) -> Option<Regime> {
    let country = region.country();
    let eea = EEA_CODES
        .as_bytes()
        .chunks(2)
        .any(|c| c == country.as_bytes());
    if eea {
        Some(Regime::Gdpr)
    } else if country == "CN" {
        Some(Regime::Pipl)
    } else if region.as_str() == "US-CA" {
        Some(Regime::Ccpa)
    } else if country == "BR" {
        Some(Regime::Lgpd)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(s: &str) -> Regime {
        default_regime_for(&RegionCode::parse(s).unwrap())
    }

    #[test]
    fn packed_eea_codes_are_the_eea() {
        assert_eq!(EEA_CODES, EEA.concat());
    }

    #[test]
    fn default_table() {
        assert_eq!(r("DE"), Regime::Gdpr);
        assert_eq!(r("NO"), Regime::Gdpr);
        assert_eq!(r("CN"), Regime::Pipl);
        assert_eq!(r("US-CA"), Regime::Ccpa);
        assert_eq!(r("US-NY"), Regime::Apec);
        assert_eq!(r("BR-SP"), Regime::Lgpd);
        assert_eq!(r("SG"), Regime::Apec);
    }

    fn purpose(required: bool, basis: &str) -> BundlePurpose {
        BundlePurpose {
            retention: "P1Y".into(),
            ..BundlePurpose::new(
                crate::ids::PurposeId::parse("p").unwrap(),
                required,
                basis,
                crate::bundle::Rich::plain("p"),
                crate::bundle::Rich::plain("p"),
            )
        }
    }

    #[test]
    fn gates_follow_the_regime() {
        let plain = purpose(false, "consent");
        let mut flagged = plain.clone();
        flagged.separate_consent = true;
        let mut sensitive = plain.clone();
        sensitive.sensitive = true;
        let mut abroad = plain.clone();
        abroad.transfers.push(crate::bundle::Transfer {
            destination: "SG".into(),
            safeguard: "pipl-standard-contract".into(),
            ..Default::default()
        });
        let mut shared = plain.clone();
        shared.recipients = vec!["Processor Ltd".into(), "Ad Network Inc".into()];
        shared.processors = vec!["Processor Ltd".into()];
        let mut processed = shared.clone();
        processed.recipients.truncate(1);
        for p in [&flagged, &sensitive, &abroad, &shared] {
            assert_eq!(purpose_gate(Regime::Pipl, false, p), Gate::Separate);
            assert_eq!(purpose_gate(Regime::Gdpr, false, p), Gate::Open);
        }
        assert_eq!(purpose_gate(Regime::Pipl, false, &plain), Gate::Open);
        assert_eq!(
            purpose_gate(Regime::Pipl, false, &processed),
            Gate::Open,
            "processors alone are not a disclosure to third parties"
        );
        // GPC binds only under CCPA, and only the purposes sold or shared.
        let mut sold = plain.clone();
        sold.sold_or_shared = true;
        assert_eq!(purpose_gate(Regime::Ccpa, true, &sold), Gate::SignalOptOut);
        assert_eq!(purpose_gate(Regime::Ccpa, true, &plain), Gate::Open);
        assert_eq!(purpose_gate(Regime::Ccpa, false, &sold), Gate::Open);
        assert_eq!(purpose_gate(Regime::Gdpr, true, &sold), Gate::Open);
        assert_eq!(purpose_gate(Regime::Apec, true, &sold), Gate::Open);
        // ... whatever the legal basis under CCPA.
        let mut sold_li = sold;
        sold_li.legal_bases = Regime::ALL
            .iter()
            .map(|g| {
                (
                    *g,
                    if *g == Regime::Ccpa {
                        "legitimate-interests"
                    } else {
                        "consent"
                    }
                    .into(),
                )
            })
            .collect();
        assert_eq!(
            purpose_gate(Regime::Ccpa, true, &sold_li),
            Gate::SignalOptOut
        );
        // The basis under the regime in force decides whether there is consent to ask for.
        let mut abroad_li = abroad.clone();
        abroad_li.legal_bases = Regime::ALL
            .iter()
            .map(|g| {
                (
                    *g,
                    if *g == Regime::Pipl {
                        "legal-obligation"
                    } else {
                        "consent"
                    }
                    .into(),
                )
            })
            .collect();
        assert_eq!(purpose_gate(Regime::Pipl, false, &abroad_li), Gate::Open);
        let contract = purpose(true, "contract");
        assert_eq!(purpose_gate(Regime::Ccpa, true, &contract), Gate::Open);
        let mut required_abroad = contract;
        required_abroad.separate_consent = true;
        assert_eq!(
            purpose_gate(Regime::Pipl, false, &required_abroad),
            Gate::Open
        );
    }

    #[test]
    fn regime_properties() {
        assert!(Regime::Ccpa.honours_gpc() && !Regime::Gdpr.honours_gpc());
        assert!(Regime::Pipl.has_separate_consent() && !Regime::Lgpd.has_separate_consent());
        assert_eq!(Regime::Pipl.guardian_age(), Some(14));
        assert_eq!(Regime::Gdpr.guardian_age(), None);
        assert!(Regime::Lgpd.is_opt_in() && !Regime::Apec.is_opt_in());
    }

    #[test]
    fn wire_names_round_trip() {
        for g in Regime::ALL {
            assert_eq!(Regime::parse(g.as_str()), Some(g));
        }
        assert_eq!(Regime::parse("nope"), None);
    }
}
