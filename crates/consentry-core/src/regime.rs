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
    /// § 7025). Elsewhere the signal is recorded but does not lock choices.
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

/// The gate of one purpose: required purposes and purposes that do not rest on consent are
/// always [`Gate::Open`] (there is nothing to ask). Under PIPL a consent purpose flagged
/// `separate_consent`, `sensitive`, or with a cross-border transfer is [`Gate::Separate`];
/// under CCPA with a GPC signal every optional purpose is [`Gate::SignalOptOut`] (the signal
/// is read as broadly as possible: an opt-out of everything optional).
pub fn purpose_gate(regime: Regime, gpc: bool, p: &BundlePurpose) -> Gate {
    if p.required || p.legal_basis != "consent" {
        Gate::Open
    } else if gpc && regime.honours_gpc() {
        Gate::SignalOptOut
    } else if regime.has_separate_consent()
        && (p.separate_consent || p.sensitive || !p.transfers.is_empty())
    {
        Gate::Separate
    } else {
        Gate::Open
    }
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

/// The built-in region → regime table: EEA → GDPR, CN → PIPL, US-CA → CCPA, BR → LGPD,
/// anything else → APEC (notice and choice).
pub fn default_regime_for(region: &RegionCode) -> Regime {
    builtin_regime(region).unwrap_or(Regime::Apec)
}

/// The built-in table without its fallback: `None` for regions that follow the default.
pub(crate) fn builtin_regime(region: &RegionCode) -> Option<Regime> {
    let country = region.country();
    if EEA.contains(&country) {
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
        for p in [&flagged, &sensitive, &abroad] {
            assert_eq!(purpose_gate(Regime::Pipl, false, p), Gate::Separate);
            assert_eq!(purpose_gate(Regime::Gdpr, false, p), Gate::Open);
        }
        assert_eq!(purpose_gate(Regime::Pipl, false, &plain), Gate::Open);
        // GPC binds only under CCPA, and only optional consent purposes.
        assert_eq!(purpose_gate(Regime::Ccpa, true, &plain), Gate::SignalOptOut);
        assert_eq!(purpose_gate(Regime::Ccpa, false, &plain), Gate::Open);
        assert_eq!(purpose_gate(Regime::Gdpr, true, &plain), Gate::Open);
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
