//! The privacy laws ("regimes") by name, why each applies to a visitor ([`Reason`]), and the
//! built-in table of where each is at home ([`home_regime`], the EEA with its ages). What each
//! law requires of a purpose is `regime`'s; this module is below the notice model, the bundle
//! and the rules, which all name regimes, and imports none of them.

use crate::ids::RegionCode;

macro_rules! regimes {
    ($( $(#[$doc:meta])* $v:ident = $name:literal, $short:literal; )*) => {
        /// A privacy regime whose rules decide defaults, consent steps, notice content and
        /// receipt contents.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Regime {
            $( $(#[$doc])* $v, )*
        }

        impl Regime {
            /// Every regime, in a fixed order.
            pub const ALL: &'static [Regime] = &[ $( Regime::$v, )* ];

            /// The wire name used in receipts and notice files.
            pub fn as_str(self) -> &'static str {
                match self { $( Regime::$v => $name, )* }
            }

            /// Parses a wire name; the short forms of [`Regime::short`] and `cpra` are accepted.
            pub fn parse(s: &str) -> Option<Self> {
                // Scans of the name tables above: a `match` on every spelling would put a
                // chain of string comparisons into each wasm module.
                if s == "cpra" {
                    return Some(Regime::Ccpa);
                }
                Self::from_wire(s).or_else(|| Regime::ALL.iter().copied().find(|g| g.short() == s))
            }

            /// The regime whose wire name ([`Regime::as_str`]) is exactly `s`, no short form
            /// (what notice bundles use; a reader of bundles alone, like the first module,
            /// then links none of the short names).
            pub fn from_wire(s: &str) -> Option<Self> {
                Regime::ALL.iter().copied().find(|g| g.as_str() == s)
            }

            /// The short name (`gdpr`, `pipl`, `ccpa`, …).
            pub fn short(self) -> &'static str {
                match self { $( Regime::$v => $short, )* }
            }
        }
    };
}

regimes! {
    /// EU / EEA General Data Protection Regulation, with the ePrivacy Directive for device
    /// storage.
    Gdpr = "eu-gdpr", "gdpr";
    /// UK GDPR, Data Protection Act 2018 and PECR, as amended by the Data (Use and Access) Act
    /// 2025.
    UkGdpr = "uk-gdpr", "ukgdpr";
    /// Switzerland's revised Federal Act on Data Protection (nFADP, 2023).
    ChFadp = "ch-fadp", "fadp";
    /// China's Personal Information Protection Law.
    Pipl = "cn-pipl", "pipl";
    /// Japan's Act on the Protection of Personal Information (2022 numbering).
    Appi = "jp-appi", "appi";
    /// Korea's Personal Information Protection Act (2023).
    Pipa = "kr-pipa", "pipa";
    /// India's Digital Personal Data Protection Act 2023 and Rules 2025.
    Dpdp = "in-dpdp", "dpdp";
    /// Canada's Personal Information Protection and Electronic Documents Act.
    Pipeda = "ca-pipeda", "pipeda";
    /// Québec's Act respecting the protection of personal information in the private sector,
    /// as amended by Law 25.
    QcLaw25 = "ca-qc-law25", "law25";
    /// California Consumer Privacy Act as amended by CPRA, with the CPPA regulations.
    Ccpa = "us-ca-ccpa", "ccpa";
    /// Virginia Consumer Data Protection Act.
    Vcdpa = "us-va-vcdpa", "vcdpa";
    /// Colorado Privacy Act and its rules.
    Cpa = "us-co-cpa", "cpa";
    /// Connecticut Data Privacy Act (with SB 1295, 2025).
    Ctdpa = "us-ct-ctdpa", "ctdpa";
    /// Texas Data Privacy and Security Act.
    Tdpsa = "us-tx-tdpsa", "tdpsa";
    /// Oregon Consumer Privacy Act (with HB 2008, 2025).
    Ocpa = "us-or-ocpa", "ocpa";
    /// Brazil's Lei Geral de Proteção de Dados.
    Lgpd = "br-lgpd", "lgpd";
    /// APEC Privacy Framework (notice and choice): not a law; what a notice maps unlisted
    /// regions to when it says so.
    Apec = "apec-cbpr", "apec";
}

/// An ISO 8601 duration (`P1M`, `P15D`, `P1Y2M`, `PT72H`) in days, roughly (months 30,
/// years 365, weeks 7, hours rounded up to days); an unreadable one counts as very long.
pub fn approx_days(d: &str) -> u32 {
    let Some(rest) = d.strip_prefix('P') else {
        return u32::MAX;
    };
    let (mut total, mut n, mut time, mut hours) = (0u32, 0u32, false, 0u32);
    for c in rest.chars() {
        match (c, time) {
            ('0'..='9', _) => n = n.saturating_mul(10).saturating_add(c as u32 - '0' as u32),
            ('T', false) => time = true,
            ('Y' | 'M' | 'W' | 'D', false) => {
                let per = match c {
                    'Y' => 365,
                    'M' => 30,
                    'W' => 7,
                    _ => 1,
                };
                total = total.saturating_add(n.saturating_mul(per));
                n = 0;
            }
            ('H', true) => {
                hours = hours.saturating_add(n);
                n = 0;
            }
            ('M' | 'S', true) => n = 0,
            _ => return u32::MAX,
        }
    }
    total.saturating_add(hours.div_ceil(24))
}

/// Why a regime applies to a visitor; recorded per regime in every receipt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Reason {
    /// The law of the visitor's region (the built-in table or the notice's `[regions]` map).
    VisitorRegion,
    /// The visitor's region is a subdivision whose country has a law of its own that applies
    /// as well (Québec visitors: Law 25 and PIPEDA).
    VisitorCountry,
    /// The controller is established where this law applies, and it binds the controller for
    /// every visitor (see [`Regime::reaches_by_establishment`]).
    ControllerEstablishment,
    /// Neither the notice nor the built-in table names the visitor's region: the notice's
    /// `default` applies, with nothing on before a choice.
    UnlistedRegion,
    /// The visitor's region is not known: the strictest rules (GDPR), with nothing on before a
    /// choice and the oldest guardian age.
    UnknownRegion,
}

impl Reason {
    /// Every reason, in documentation order.
    pub const ALL: [Reason; 5] = [
        Reason::VisitorRegion,
        Reason::VisitorCountry,
        Reason::ControllerEstablishment,
        Reason::UnlistedRegion,
        Reason::UnknownRegion,
    ];

    /// The wire name used in receipts.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::VisitorRegion => "visitor_region",
            Reason::VisitorCountry => "visitor_country",
            Reason::ControllerEstablishment => "controller_establishment",
            Reason::UnlistedRegion => "unlisted_region",
            Reason::UnknownRegion => "unknown_region",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Reason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether the visitor's region is not mapped to a law of its own (nothing may be on
    /// before a choice).
    pub fn is_fallback(self) -> bool {
        matches!(self, Reason::UnlistedRegion | Reason::UnknownRegion)
    }
}

/// EU member states plus the EEA (IS, LI, NO), where the GDPR applies.
pub const EEA: [&str; 30] = [
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV",
    "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
];

/// Each EEA state with its GDPR Art. 8 age, as one string of `<code><age>` (the widget's first
/// module carries it without a table of `&str`). Denmark 15 since 1 Jan 2024; Spain, Portugal
/// and Norway have bills pending (see `docs/regimes.md`).
pub(crate) const EEA_AGES: &str = "AT14BE13BG14HR16CY14CZ15DK15EE13FI13FR15DE16GR15HU16IE16IT14LV13\
LT14LU16MT13NL16PL16PT13RO16SK16SI15ES14SE13IS13LI16NO13";

fn eea_entry(country: &str) -> Option<&'static [u8]> {
    EEA_AGES
        .as_bytes()
        .chunks(4)
        .find(|c| &c[..2] == country.as_bytes())
}

/// Whether a country code is an EU/EEA state.
pub fn is_eea(country: &str) -> bool {
    eea_entry(country).is_some()
}

pub(crate) fn gdpr_member_state_age(region: &RegionCode) -> Option<u8> {
    let e = eea_entry(region.country())?;
    Some((e[2] - b'0') * 10 + (e[3] - b'0'))
}

/// Home regions of the built-in table that are subdivisions or countries of their own, with
/// their regime (the EEA comes from [`EEA_AGES`]). A table, not a string to split: reading it
/// needs no string search in the wasm modules.
const HOMES: [(&str, Regime); 15] = [
    ("GB", Regime::UkGdpr),
    ("CH", Regime::ChFadp),
    ("CN", Regime::Pipl),
    ("JP", Regime::Appi),
    ("KR", Regime::Pipa),
    ("IN", Regime::Dpdp),
    ("CA", Regime::Pipeda),
    ("CA-QC", Regime::QcLaw25),
    ("US-CA", Regime::Ccpa),
    ("US-VA", Regime::Vcdpa),
    ("US-CO", Regime::Cpa),
    ("US-CT", Regime::Ctdpa),
    ("US-TX", Regime::Tdpsa),
    ("US-OR", Regime::Ocpa),
    ("BR", Regime::Lgpd),
];

/// Every home region of the built-in table with its regime: each EEA state, then [`HOMES`].
pub fn homes() -> impl Iterator<Item = (&'static str, Regime)> {
    EEA_AGES
        .as_bytes()
        .chunks(4)
        .filter_map(|c| core::str::from_utf8(&c[..2]).ok())
        .map(|c| (c, Regime::Gdpr))
        .chain(HOMES.iter().copied())
}

/// The law of `code` exactly as the built-in table has it (a country or a subdivision), if any.
pub fn home_regime_exact(code: &str) -> Option<Regime> {
    homes().find(|(c, _)| *c == code).map(|(_, r)| r)
}

/// The law of a region by the built-in table: the subdivision's own (`US-CA`, `CA-QC`), else
/// its country's (`DE-BE` → GDPR, `CA-ON` → PIPEDA), else none (`US-NY`, `SG`).
pub fn home_regime(region: &RegionCode) -> Option<Regime> {
    home_regime_exact(region.as_str()).or_else(|| home_regime_exact(region.country()))
}
