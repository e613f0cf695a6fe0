//! Privacy laws ("regimes"), where each applies, and what each requires of every purpose.
//!
//! Behaviour is code: [`requirement`] decides, for one purpose and every regime that applies to
//! a visitor at once, whether it may be on before the visitor chooses, which legal basis the
//! receipt records, and how it may be decided ([`Gate`]): with the other choices, only in a
//! separate consent step, held off by a Global Privacy Control signal, or not at all for a
//! child. Per purpose the strictest requirement of the regimes in force wins. The widget, the
//! receipt verifier and the linter all call the same functions.
//!
//! Where a regime applies is data: the built-in table of home regions ([`home_regime`]), the
//! notice's own `[regions]` map, and the controller's establishment
//! ([`Regime::reaches_by_establishment`]); `crate::region` turns those into the list of regimes
//! a receipt records. Readings of a law that are uncertain take the stricter side; each is
//! named in `docs/regimes.md`.

use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::BundlePurpose;
use crate::ids::RegionCode;
use crate::law::gdpr_member_state_age;
pub use crate::law::{
    EEA, Reason, Regime, approx_days, home_regime, home_regime_exact, homes, is_eea,
};

impl Regime {
    /// Whether this is one of the US state consumer privacy laws (notice at collection with
    /// opt-out rights; opt-in only for sensitive data and minors).
    pub fn is_us_state(self) -> bool {
        matches!(
            self,
            Regime::Ccpa
                | Regime::Vcdpa
                | Regime::Cpa
                | Regime::Ctdpa
                | Regime::Tdpsa
                | Regime::Ocpa
        )
    }

    /// Whether the regime binds a controller established in its territory for every visitor,
    /// wherever they are (GDPR Art. 3(1), UK GDPR Art. 3(1), nFADP Art. 3(1), PIPL Art. 3, APPI
    /// Art. 171 and its domestic scope, PIPA, DPDP s.3(a), PIPEDA, Québec P-39.1 s.1, LGPD
    /// Art. 3 I). The US state laws protect their residents only; APEC is not a law.
    pub fn reaches_by_establishment(self) -> bool {
        !self.is_us_state() && self != Regime::Apec
    }

    /// Whether a Global Privacy Control signal is a binding opt-out of sale, sharing and
    /// targeted advertising that no banner click may undo: California (CCPA 1798.135(e), 11 CCR
    /// § 7025), Colorado (6-1-1306(1)(a)(IV), from 1 Jul 2024), Connecticut (42-520(e), from
    /// 1 Jan 2025), Texas (§ 541.055(e), from 1 Jan 2025) and Oregon (646A.574, from 1 Jan
    /// 2026). It holds off the purposes a notice marks `sold_or_shared`. Virginia has no such
    /// duty; elsewhere the signal is recorded but does not lock choices.
    pub fn honours_gpc(self) -> bool {
        matches!(
            self,
            Regime::Ccpa | Regime::Cpa | Regime::Ctdpa | Regime::Tdpsa | Regime::Ocpa
        )
    }

    /// The age below which a parent or guardian decides for a child, for a visitor in `region`
    /// (`None` where the regime sets none):
    /// GDPR Art. 8 with each member state's age (13–16; 16 where the state is not known);
    /// UK GDPR Art. 8 with DPA 2018 s.9: 13; Switzerland: no statutory age, capacity of
    /// judgement, read strictly as 16; PIPL Art. 31: 14; APPI: PPC guidance 12–15, read
    /// strictly as 16; PIPA Art. 22-2: 14; DPDP s.9: 18; PIPEDA (OPC guidelines): 13; Québec
    /// s.4.1: 14; CCPA 1798.120(c): 16 (opt-in to sale and sharing below it); Virginia and
    /// Texas (COPPA): 13; Colorado 6-1-1308.5 and Connecticut (SB 1295): 18 for targeted
    /// advertising, sale and profiling; Oregon (HB 2008): 16; LGPD Art. 14 §1 (ECA): 12.
    pub fn child_age(self, region: Option<&RegionCode>) -> Option<u8> {
        Some(match self {
            Regime::Gdpr => region.and_then(gdpr_member_state_age).unwrap_or(16),
            Regime::UkGdpr | Regime::Pipeda | Regime::Vcdpa | Regime::Tdpsa => 13,
            Regime::Pipl | Regime::Pipa | Regime::QcLaw25 => 14,
            Regime::ChFadp | Regime::Appi | Regime::Ccpa | Regime::Ocpa => 16,
            Regime::Dpdp | Regime::Cpa | Regime::Ctdpa => 18,
            Regime::Lgpd => 12,
            Regime::Apec => return None,
        })
    }

    /// Whether what is sold or shared for cross-context advertising may not be done with a
    /// child's data at all, even with consent: DPDP s.9(3) (no tracking, behavioural
    /// monitoring or targeted advertising of children), Connecticut SB 1295 (from 1 Jul 2026,
    /// no targeted advertising to or sale of minors' data) and Oregon HB 2008 (from 1 Jan 2026,
    /// under 16).
    pub fn bars_child_sale(self) -> bool {
        matches!(self, Regime::Dpdp | Regime::Ctdpa | Regime::Ocpa)
    }

    /// The longest time the law allows for answering a request to exercise a right, as an
    /// ISO 8601 duration (`None`: "without delay" or no statutory period): GDPR and UK GDPR
    /// Art. 12(3) one month; nFADP Art. 25(7) 30 days; PIPL Art. 50 "timely", read strictly as
    /// 15 days; PIPA Enforcement Decree Art. 41(4) 10 days; DPDP Rules r.13 90 days; PIPEDA
    /// s.8(3) 30 days; Québec s.32 30 days; the US state laws 45 days; LGPD Art. 19 II 15
    /// days.
    pub fn response_deadline(self) -> Option<&'static str> {
        Some(match self {
            Regime::Gdpr | Regime::UkGdpr => "P1M",
            Regime::ChFadp | Regime::Pipeda | Regime::QcLaw25 => "P30D",
            Regime::Pipl | Regime::Lgpd => "P15D",
            Regime::Pipa => "P10D",
            Regime::Dpdp => "P90D",
            r if r.is_us_state() => "P45D",
            _ => return None,
        })
    }

    /// The transfer safeguards that make a transfer abroad lawful under this regime without
    /// the person's explicit consent; `None` where a transfer needs no mechanism of its own in
    /// the notice (DPDP s.16, PIPEDA, Québec s.17, the US state laws, APEC). PIPL always needs
    /// separate consent on top of its mechanism (Art. 39); PIPA has no mechanism a notice can
    /// name, so it asks (Art. 28-8(1)(1)).
    fn transfer_safeguards(self) -> Option<&'static [&'static str]> {
        match self {
            Regime::Gdpr | Regime::ChFadp => Some(&["adequacy", "eu-scc", "bcr"]),
            Regime::UkGdpr => Some(&["adequacy", "uk-idta", "bcr"]),
            Regime::Lgpd => Some(&["adequacy", "lgpd-scc", "bcr"]),
            Regime::Appi => Some(&["adequacy", "apec-cbpr"]),
            Regime::Pipl | Regime::Pipa => Some(&[]),
            _ => None,
        }
    }

    /// Whether this regime recognises `country` (an ISO 3166-1 code) as adequate, so that
    /// `safeguard = "adequacy"` is true for a transfer there; `None` for a regime without
    /// adequacy decisions. A regime's own territory counts as adequate (no transfer under it).
    /// The lists, as of December 2026 (see `docs/regimes.md`; where a list was uncertain the
    /// shorter one is kept):
    /// - GDPR Art. 45: the EEA and the Commission's decisions: Andorra, Argentina, Brazil (Jan.
    ///   2026), Canada (PIPEDA), Faroe Islands, Guernsey, Israel, Isle of Man, Japan, Jersey,
    ///   New Zealand, Republic of Korea, Switzerland, UK, Uruguay. The US decision covers only
    ///   DPF-certified organisations, which a notice cannot show: not accepted.
    /// - UK GDPR Art. 45 (DPA 2018 Sch. 21 para. 5, SI 2022/1213): the UK, the EEA, Gibraltar,
    ///   Andorra, Argentina, Canada (PIPEDA), Guernsey, Isle of Man, Israel, Japan, Jersey, New
    ///   Zealand, Switzerland, Uruguay, Republic of Korea; not the US (UK Extension to the DPF,
    ///   certified organisations only), and not the Faroe Islands (not confirmed).
    /// - nFADP Art. 16(1), FADP Ordinance Annex 1: Switzerland, the EEA, Andorra, Argentina,
    ///   Canada, Faroe Islands, Gibraltar, Guernsey, Isle of Man, Israel, Jersey, Monaco, New
    ///   Zealand, UK, Uruguay; not the US (Swiss-US DPF, certified organisations only).
    /// - APPI Art. 28(1), PPC Rules Art. 15: Japan, the EEA and the UK.
    /// - LGPD Art. 33 I, Resolution CD/ANPD 32/2026: Brazil and the EEA.
    pub fn adequate_destination(self, country: &str) -> Option<bool> {
        let listed: &[&str] = match self {
            Regime::Gdpr => &[
                "AD", "AR", "BR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ",
                "UY",
            ],
            Regime::UkGdpr => &[
                "GB", "GI", "AD", "AR", "CA", "CH", "GG", "IL", "IM", "JE", "JP", "KR", "NZ", "UY",
            ],
            Regime::ChFadp => &[
                "CH", "AD", "AR", "CA", "FO", "GB", "GG", "GI", "IL", "IM", "JE", "MC", "NZ", "UY",
            ],
            Regime::Appi => &["JP", "GB"],
            Regime::Lgpd => &["BR"],
            _ => return None,
        };
        Some(is_eea(country) || listed.contains(&country))
    }

    /// Whether a transfer of `p`'s data abroad needs the person's separate, explicit consent
    /// under this regime: a destination no entry of `p.transfers` covers with one of the
    /// regime's safeguards (GDPR Art. 49(1)(a), UK GDPR Art. 49(1)(a), nFADP Art. 17(1)(a),
    /// LGPD Art. 33 VIII, APPI Art. 28(1)), and every transfer under PIPL (Art. 39) and PIPA
    /// (Art. 28-8(1)(1)).
    pub fn transfer_needs_consent(self, p: &BundlePurpose) -> bool {
        let Some(ok) = self.transfer_safeguards() else {
            return false;
        };
        p.transfers.iter().any(|t| {
            let inside = self == Regime::Gdpr && is_eea(&t.destination);
            let covered = p
                .transfers
                .iter()
                .any(|u| u.destination == t.destination && ok.contains(&u.safeguard.as_str()));
            !inside && !covered
        })
    }

    /// Whether a transfer entry with `safeguard` is what this regime relies on, so the notice
    /// shows it to visitors under it (the others are other regions' safeguards).
    pub fn uses_safeguard(self, safeguard: &str) -> bool {
        match safeguard {
            "adequacy" | "bcr" | "explicit-consent" => true,
            "eu-scc" => matches!(self, Regime::Gdpr | Regime::ChFadp),
            "uk-idta" => self == Regime::UkGdpr,
            "lgpd-scc" => self == Regime::Lgpd,
            "apec-cbpr" => matches!(self, Regime::Apec | Regime::Appi),
            s if s.starts_with("pipl-") => self == Regime::Pipl,
            _ => true,
        }
    }

    /// Whether a purpose relying on consent under this regime needs its own, separate consent
    /// act ("explicit", "express", "separate" or "specific and highlighted" consent), apart from
    /// "accept all":
    /// - GDPR / UK GDPR: sensitive data (Art. 9(2)(a)), solely automated decisions (Art.
    ///   22(2)(c)), a transfer without an Art. 45–47 mechanism (Art. 49(1)(a));
    /// - nFADP: sensitive data (Art. 6(7)(a)), a transfer without a mechanism (Art. 17(1)(a));
    /// - PIPL: sensitive data (Art. 29), disclosure to another handler (Art. 23), any transfer
    ///   abroad (Art. 39);
    /// - APPI: special-care data (Art. 20(2)), provision to a third party (Art. 27), a transfer
    ///   abroad without an equivalent system (Art. 28);
    /// - PIPA: sensitive data (Art. 23), provision to a third party (Art. 17), marketing (Art.
    ///   22(1)(7)), a transfer abroad (Art. 28-8);
    /// - PIPEDA (Principle 4.3.6) and Québec (s.12): sensitive data, express consent;
    /// - the US state laws but California: sensitive data (opt-in consent, e.g. Va. Code
    ///   § 59.1-578(A)(5));
    /// - LGPD: sensitive data (Art. 11 I), a transfer without a mechanism (Art. 33 VIII).
    pub fn needs_separate(self, p: &BundlePurpose) -> bool {
        let third_parties = has_third_parties(p);
        match self {
            Regime::Gdpr | Regime::UkGdpr => {
                p.sensitive || p.automated_decisions || self.transfer_needs_consent(p)
            }
            Regime::ChFadp | Regime::Lgpd => p.sensitive || self.transfer_needs_consent(p),
            Regime::Pipl => p.sensitive || third_parties || !p.transfers.is_empty(),
            Regime::Appi => p.sensitive || third_parties || self.transfer_needs_consent(p),
            Regime::Pipa => {
                p.sensitive || third_parties || !p.transfers.is_empty() || is_marketing(p)
            }
            Regime::Pipeda | Regime::QcLaw25 => p.sensitive,
            Regime::Vcdpa | Regime::Cpa | Regime::Ctdpa | Regime::Tdpsa | Regime::Ocpa => {
                p.sensitive
            }
            Regime::Ccpa | Regime::Dpdp | Regime::Apec => false,
        }
    }

    /// Whether this regime lets `p` run before the visitor chooses, on notice with a right to
    /// opt out or object, given its legal basis `basis` here. Consent never does, nor
    /// sensitive data. Otherwise:
    /// - GDPR and LGPD: legitimate interests, but not for what is collected on the website
    ///   (ePrivacy Art. 5(3): device storage and access need consent; LGPD read strictly);
    /// - UK GDPR: legitimate interests, on the website only for statistics about how it is
    ///   used (PECR reg. 6 and Sch. A1 para. 5, since 5 Feb 2026);
    /// - nFADP: legitimate (overriding) interests, with information and a right to refuse
    ///   (Art. 30–31; Telecommunications Act Art. 45c);
    /// - APPI: legitimate interests within the published purpose, with no third party and no
    ///   transfer abroad (Arts. 17, 21, 27, 28);
    /// - the US state laws: `opt-out` (notice at collection with a right to opt out);
    /// - APEC: legitimate interests or `opt-out` (notice and choice);
    /// - PIPL, PIPA, DPDP, PIPEDA (read strictly) and Québec (s.8.1: tracking off by default):
    ///   never.
    pub fn permits_on_before_choice(self, p: &BundlePurpose, basis: &str) -> bool {
        if basis == "consent" || p.sensitive {
            return false;
        }
        let li = basis == "legitimate-interests";
        let web = p.channels.iter().any(|c| c == "web");
        match self {
            Regime::Gdpr | Regime::Lgpd => li && !web,
            Regime::UkGdpr => li && (!web || p.dpv == "ServiceUsageAnalytics"),
            Regime::ChFadp => li,
            Regime::Appi => li && !has_third_parties(p) && p.transfers.is_empty(),
            Regime::Apec => li || basis == "opt-out",
            r if r.is_us_state() => basis == "opt-out",
            _ => false,
        }
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

/// The time within which a request is answered under the regimes in force: the shortest of
/// their statutory deadlines ([`Regime::response_deadline`]) and the controller's own
/// (`own`), as an ISO 8601 duration; `None` when neither sets one. Months count as 30 days,
/// years as 365, for the comparison.
pub fn response_deadline<'a>(f: &InForce<'_>, own: Option<&'a str>) -> Option<&'a str> {
    let statutory = f
        .iter()
        .filter_map(|r| -> Option<&'a str> { r.response_deadline() });
    statutory.chain(own).min_by_key(|d| approx_days(d))
}

/// The US opt-out links a notice must show on its first layer to a visitor under `regimes`
/// (CCPA 1798.135(a); 11 CCR §7013(b), §7014; the other state laws' opt-out of sale and
/// targeted advertising): `("opt-out", link)` when a US state law applies and something is
/// sold or shared, `("limit", link)` when California's applies and something is sensitive.
pub fn banner_links<'b>(
    b: &'b crate::bundle::LocaleBundle,
    regimes: &[(Regime, Reason)],
) -> Vec<(&'static str, &'b crate::bundle::BundleLink)> {
    let mut out = Vec::new();
    let us = regimes.iter().any(|(r, _)| r.is_us_state());
    let ca = regimes.iter().any(|(r, _)| *r == Regime::Ccpa);
    let sold = b.purposes.iter().any(|p| p.sold_or_shared);
    let sensitive = b.purposes.iter().any(|p| p.sensitive);
    let find = |name: &Option<String>| name.as_deref().and_then(|n| b.link(n));
    if us
        && sold
        && let Some(l) = find(&b.ccpa_opt_out_link)
    {
        out.push(("opt-out", l));
    }
    if ca
        && sensitive
        && let Some(l) = find(&b.ccpa_limit_link)
    {
        out.push(("limit", l));
    }
    out
}

/// The guardian age where the visitor's region is unknown or maps to no law of its own: 18,
/// the age of majority in most countries and the digital-consent age in India, Nigeria and
/// South Africa.
pub const FALLBACK_CHILD_AGE: u8 = 18;

/// How a purpose may be decided (see [`requirement`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// Decided with the other choices (accept all, reject all, a switch, save).
    Open,
    /// Needs its own consent act; "accept all" and "save" never grant it.
    Separate,
    /// Held off by an opt-out preference signal (GPC); only a two-step opt-in grants it.
    SignalOptOut,
    /// Not allowed for this person at all (a child, where the law bars it even with consent);
    /// no action grants it.
    Barred,
}

/// What the regimes in force require of one purpose: the strictest of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Requirement<'a> {
    /// The legal basis recorded in receipts: `consent` if any regime in force rests it on
    /// consent, else the basis under the first regime in force (the visitor's own).
    pub basis: &'a str,
    /// On before the visitor chooses (required purposes, and those every regime in force lets
    /// run on notice with a right to opt out, as the notice declares).
    pub default_on: bool,
    /// How it may be decided.
    pub gate: Gate,
}

/// The regimes in force for a visitor and what is known about them, as the session needs it.
#[derive(Clone, Copy, Debug)]
pub struct InForce<'a> {
    /// Every regime that applies, with why (the visitor's own first).
    pub regimes: &'a [(Regime, Reason)],
    /// The visitor's region, if known.
    pub region: Option<&'a RegionCode>,
    /// A Global Privacy Control signal is present.
    pub gpc: bool,
    /// A parent or guardian decides for a child below the guardian age.
    pub child: bool,
}

impl InForce<'_> {
    /// The regimes alone.
    pub fn iter(&self) -> impl Iterator<Item = Regime> + '_ {
        self.regimes.iter().map(|(r, _)| *r)
    }

    /// Whether `r` is in force.
    pub fn has(&self, r: Regime) -> bool {
        self.iter().any(|g| g == r)
    }

    /// The age below which a parent or guardian decides: the oldest of the regimes in force
    /// ([`Regime::child_age`]); [`FALLBACK_CHILD_AGE`] when the region is unknown or unlisted.
    pub fn child_age(&self) -> Option<u8> {
        // `None` is below every age, so the oldest wins and `None` stays only if none is set.
        let mut oldest = None;
        for (r, why) in self.regimes {
            oldest = oldest.max(r.child_age(self.region));
            if why.is_fallback() {
                oldest = oldest.max(Some(FALLBACK_CHILD_AGE));
            }
        }
        oldest
    }

    /// Whether a GPC signal is present and some regime in force honours it.
    pub fn gpc_honoured(&self) -> bool {
        self.gpc && self.iter().any(Regime::honours_gpc)
    }
}

/// What the regimes in force require of `p`, strictest first:
/// - a required purpose is on and [`Gate::Open`] (there is nothing to ask);
/// - something sold or shared is [`Gate::SignalOptOut`] under a GPC signal some regime in
///   force honours, and [`Gate::Barred`] for a child where a regime in force bars it;
/// - it is [`Gate::Separate`] when a regime in force rests it on consent and requires a
///   separate act for it ([`Regime::needs_separate`]), or the notice asks for it separately
///   everywhere (`separate_consent = true`);
/// - it is on before a choice only when every regime in force permits that for its basis
///   there ([`Regime::permits_on_before_choice`]) and the notice declares it for each of them
///   (`on_until_opt_out`), the visitor's region is mapped to a law, and no child decides.
pub fn requirement<'p>(p: &'p BundlePurpose, f: &InForce<'_>) -> Requirement<'p> {
    let basis = recorded_basis(p, f);
    if p.required {
        return Requirement {
            basis,
            default_on: true,
            gate: Gate::Open,
        };
    }
    let gate = if p.sold_or_shared && f.gpc_honoured() {
        Gate::SignalOptOut
    } else if p.sold_or_shared && f.child && f.iter().any(Regime::bars_child_sale) {
        Gate::Barred
    } else if p.separate_consent
        || f.iter()
            .any(|r| p.basis_for(r) == "consent" && r.needs_separate(p))
    {
        Gate::Separate
    } else {
        Gate::Open
    };
    let default_on = !f.child
        && gate == Gate::Open
        && !f.regimes.is_empty()
        && f.regimes.iter().all(|(r, why)| {
            !why.is_fallback()
                && p.on_until_opt_out.contains(r)
                && r.permits_on_before_choice(p, p.basis_for(*r))
        });
    Requirement {
        basis,
        default_on,
        gate,
    }
}

/// The legal basis a receipt records for `p` under the regimes in force ([`Requirement::basis`]):
/// `consent` if any of them rests it on consent, else its basis under the first (the
/// visitor's own), else the notice's default basis. Apart from [`requirement`] so that what
/// needs only the basis (the receipt builder) links none of the other rules.
pub fn recorded_basis<'p>(p: &'p BundlePurpose, f: &InForce<'_>) -> &'p str {
    if f.iter().any(|r| p.basis_for(r) == "consent") {
        "consent"
    } else {
        f.iter()
            .next()
            .map_or(p.legal_basis.as_str(), |r| p.basis_for(r))
    }
}

/// Whether a purpose discloses data to a recipient that is not one of its processors.
pub fn has_third_parties(p: &BundlePurpose) -> bool {
    p.recipients.iter().any(|r| !p.processors.contains(r))
}

/// Whether a purpose is direct marketing or advertising (by its DPV purpose).
fn is_marketing(p: &BundlePurpose) -> bool {
    matches!(
        p.dpv.as_str(),
        "DirectMarketing"
            | "Marketing"
            | "Advertising"
            | "PersonalisedAdvertising"
            | "TargetedAdvertising"
            | "SellDataToThirdParties"
    )
}

/// Whether a right (a `[rights]` keyword) is one the law gives people under `r`, so the notice
/// shows it to visitors under `r`. Access, rectification, erasure and withdrawing consent are
/// everyone's; the rest belong to the laws that name them.
pub fn right_applies(right: &str, r: Regime) -> bool {
    use Regime::*;
    match right {
        "restriction" => matches!(r, Gdpr | UkGdpr | Pipa | Pipl),
        "objection" => matches!(r, Gdpr | UkGdpr | ChFadp | Lgpd | Pipl | Appi),
        "portability" => !matches!(r, Pipa | Dpdp | Pipeda | Appi | Apec),
        "explanation" => r == Pipl,
        "automated-decisions" => matches!(r, Gdpr | UkGdpr | ChFadp | Pipl | QcLaw25 | Lgpd | Pipa),
        "opt-out-of-sale" | "non-discrimination" => r.is_us_state(),
        "limit-sensitive" => r == Ccpa,
        "appeal" => r.is_us_state() && r != Ccpa,
        "sharing-information" | "anonymisation" => r == Lgpd,
        "refusal-information" => matches!(r, Lgpd | Pipa),
        "nominate" | "grievance" => r == Dpdp,
        _ => true,
    }
}

/// Whether the notice shows a right to a visitor: one that a regime in force gives, or any
/// right when the visitor's region is unknown or unlisted (then the notice offers everything
/// it lists).
pub fn shows_right(right: &str, f: &InForce<'_>) -> bool {
    f.regimes
        .iter()
        .any(|(r, why)| why.is_fallback() || right_applies(right, *r))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::{Rich, Transfer};
    use crate::ids::PurposeId;
    use alloc::vec;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).unwrap()
    }

    #[test]
    fn home_table() {
        let h = |s: &str| home_regime(&rc(s));
        assert_eq!(h("DE"), Some(Regime::Gdpr));
        assert_eq!(h("DE-BE"), Some(Regime::Gdpr));
        assert_eq!(h("NO"), Some(Regime::Gdpr));
        assert_eq!(h("GB"), Some(Regime::UkGdpr));
        assert_eq!(h("CH"), Some(Regime::ChFadp));
        assert_eq!(h("CN"), Some(Regime::Pipl));
        assert_eq!(h("JP"), Some(Regime::Appi));
        assert_eq!(h("KR"), Some(Regime::Pipa));
        assert_eq!(h("IN"), Some(Regime::Dpdp));
        assert_eq!(h("CA"), Some(Regime::Pipeda));
        assert_eq!(h("CA-ON"), Some(Regime::Pipeda));
        assert_eq!(h("CA-QC"), Some(Regime::QcLaw25));
        for (s, r) in [
            ("US-CA", Regime::Ccpa),
            ("US-VA", Regime::Vcdpa),
            ("US-CO", Regime::Cpa),
            ("US-CT", Regime::Ctdpa),
            ("US-TX", Regime::Tdpsa),
            ("US-OR", Regime::Ocpa),
        ] {
            assert_eq!(h(s), Some(r), "{s}");
        }
        assert_eq!(h("US-NY"), None);
        assert_eq!(h("US"), None);
        assert_eq!(h("BR-SP"), Some(Regime::Lgpd));
        assert_eq!(h("SG"), None);
        assert_eq!(homes().count(), 30 + 15);
        assert!(EEA.iter().all(|c| is_eea(c)));
        assert_eq!(
            crate::law::EEA_AGES
                .as_bytes()
                .chunks(4)
                .map(|c| core::str::from_utf8(&c[..2]).unwrap())
                .collect::<Vec<_>>(),
            EEA.to_vec(),
            "the packed ages list exactly the EEA, in its order"
        );
    }

    #[test]
    fn child_ages() {
        let g = |s: &str| Regime::Gdpr.child_age(Some(&rc(s)));
        assert_eq!(g("DE"), Some(16));
        assert_eq!(g("FR"), Some(15));
        assert_eq!(g("DK"), Some(15));
        assert_eq!(g("BE"), Some(13));
        assert_eq!(g("ES-MD"), Some(14));
        assert_eq!(Regime::Gdpr.child_age(None), Some(16));
        assert_eq!(Regime::Gdpr.child_age(Some(&rc("CN"))), Some(16));
        assert_eq!(Regime::Dpdp.child_age(None), Some(18));
        assert_eq!(Regime::Apec.child_age(None), None);
        let both = [
            (Regime::Gdpr, Reason::VisitorRegion),
            (Regime::Pipl, Reason::ControllerEstablishment),
        ];
        let f = InForce {
            regimes: &both,
            region: Some(&rc("BE")),
            gpc: false,
            child: false,
        };
        assert_eq!(f.child_age(), Some(14), "the oldest age in force wins");
        let unlisted = [(Regime::Apec, Reason::UnlistedRegion)];
        let f = InForce {
            regimes: &unlisted,
            ..f
        };
        assert_eq!(f.child_age(), Some(FALLBACK_CHILD_AGE));
    }

    fn purpose(required: bool, basis: &str) -> BundlePurpose {
        BundlePurpose {
            retention: "P1Y".into(),
            ..BundlePurpose::new(
                PurposeId::parse("p").unwrap(),
                required,
                basis,
                Rich::plain("p"),
                Rich::plain("p"),
            )
        }
    }

    fn transfer(dest: &str, safeguard: &str) -> Transfer {
        Transfer {
            destination: dest.into(),
            safeguard: safeguard.into(),
            ..Default::default()
        }
    }

    fn req(p: &BundlePurpose, regimes: &[Regime]) -> (bool, Gate) {
        let list: Vec<(Regime, Reason)> = regimes
            .iter()
            .map(|r| (*r, Reason::VisitorRegion))
            .collect();
        let r = requirement(
            p,
            &InForce {
                regimes: &list,
                region: None,
                gpc: false,
                child: false,
            },
        );
        (r.default_on, r.gate)
    }

    #[test]
    fn consent_is_off_before_a_choice_under_every_regime() {
        let mut p = purpose(false, "consent");
        p.on_until_opt_out = Regime::ALL.to_vec();
        for r in Regime::ALL {
            assert!(!req(&p, &[*r]).0, "{r:?}");
        }
        let required = purpose(true, "contract");
        for r in Regime::ALL {
            assert_eq!(req(&required, &[*r]), (true, Gate::Open), "{r:?}");
        }
    }

    #[test]
    fn on_before_a_choice_only_where_declared_and_every_regime_permits_it() {
        let mut p = purpose(false, "consent");
        p.legal_bases = vec![
            (Regime::Ccpa, "opt-out".into()),
            (Regime::Gdpr, "consent".into()),
        ];
        assert!(!req(&p, &[Regime::Ccpa]).0, "not declared");
        p.on_until_opt_out = vec![Regime::Ccpa];
        assert!(req(&p, &[Regime::Ccpa]).0);
        assert!(
            !req(&p, &[Regime::Ccpa, Regime::Gdpr]).0,
            "GDPR in force too: consent wins"
        );
        assert!(!req(&p, &[Regime::Vcdpa]).0, "basis there is consent");
        let mut sensitive = p;
        sensitive.sensitive = true;
        assert!(!req(&sensitive, &[Regime::Ccpa]).0);
        // Legitimate interests on the website: not under GDPR (ePrivacy), yes under UK GDPR for
        // statistics only.
        let mut li = purpose(false, "legitimate-interests");
        li.channels = vec![String::from("web")];
        li.on_until_opt_out = vec![Regime::Gdpr, Regime::UkGdpr];
        assert!(!req(&li, &[Regime::Gdpr]).0);
        assert!(!req(&li, &[Regime::UkGdpr]).0);
        li.dpv = "ServiceUsageAnalytics".into();
        assert!(req(&li, &[Regime::UkGdpr]).0);
        li.channels = vec![String::from("hotline")];
        assert!(req(&li, &[Regime::Gdpr]).0);
        li.on_until_opt_out.push(Regime::Pipl);
        assert!(!req(&li, &[Regime::Pipl]).0, "PIPL never");
        // Unlisted regions and children: never.
        let list = [(Regime::Gdpr, Reason::UnlistedRegion)];
        let f = InForce {
            regimes: &list,
            region: None,
            gpc: false,
            child: false,
        };
        assert!(!requirement(&li, &f).default_on);
        let list = [(Regime::Gdpr, Reason::VisitorRegion)];
        let f = InForce {
            regimes: &list,
            region: None,
            gpc: false,
            child: true,
        };
        assert!(!requirement(&li, &f).default_on);
    }

    #[test]
    fn separate_consent_where_each_law_requires_it() {
        let plain = purpose(false, "consent");
        let mut sensitive = plain.clone();
        sensitive.sensitive = true;
        let mut scc = plain.clone();
        scc.transfers = vec![transfer("SG", "eu-scc")];
        let mut explicit = plain.clone();
        explicit.transfers = vec![transfer("US", "explicit-consent")];
        let mut eea = plain.clone();
        eea.transfers = vec![transfer("DE", "explicit-consent")];
        let mut shared = plain.clone();
        shared.recipients = vec!["Processor Ltd".into(), "Ad Network Inc".into()];
        shared.processors = vec!["Processor Ltd".into()];
        let mut marketing = plain.clone();
        marketing.dpv = "DirectMarketing".into();
        let s = |p: &BundlePurpose, r: Regime| req(p, &[r]).1 == Gate::Separate;

        assert!(!s(&plain, Regime::Gdpr) && !s(&plain, Regime::Pipl));
        assert!(s(&sensitive, Regime::Gdpr), "Art. 9(2)(a)");
        assert!(s(&sensitive, Regime::Lgpd), "Art. 11 I");
        assert!(s(&sensitive, Regime::Cpa), "Colorado sensitive data");
        assert!(
            !s(&sensitive, Regime::Ccpa),
            "CCPA: a right to limit, no consent"
        );
        assert!(!s(&scc, Regime::Gdpr), "SCCs: no consent needed");
        assert!(s(&scc, Regime::Lgpd), "no LGPD mechanism: Art. 33 VIII");
        assert!(s(&scc, Regime::UkGdpr), "EU SCCs alone are no UK mechanism");
        assert!(s(&scc, Regime::Pipl), "Art. 39 always");
        assert!(s(&scc, Regime::Appi), "Art. 28");
        assert!(!s(&scc, Regime::Dpdp) && !s(&scc, Regime::Ccpa));
        assert!(s(&explicit, Regime::Gdpr), "Art. 49(1)(a)");
        assert!(
            !s(&eea, Regime::Gdpr),
            "inside the EEA is no transfer under GDPR"
        );
        assert!(s(&shared, Regime::Pipl) && s(&shared, Regime::Appi) && s(&shared, Regime::Pipa));
        assert!(!s(&shared, Regime::Gdpr));
        assert!(s(&marketing, Regime::Pipa) && !s(&marketing, Regime::Gdpr));
        // Only where that regime rests the purpose on consent.
        let mut li = sensitive;
        li.legal_bases = vec![(Regime::Gdpr, "legitimate-interests".into())];
        assert!(!s(&li, Regime::Gdpr));
        // The notice's own flag asks separately everywhere.
        let mut flagged = plain;
        flagged.separate_consent = true;
        for r in Regime::ALL {
            assert!(s(&flagged, *r), "{r:?}");
        }
        // Two laws: the strictest.
        assert_eq!(req(&scc, &[Regime::Gdpr, Regime::Pipl]).1, Gate::Separate);
        let contract = purpose(true, "contract");
        let mut required_abroad = contract;
        required_abroad.separate_consent = true;
        assert_eq!(req(&required_abroad, &[Regime::Pipl]).1, Gate::Open);
    }

    #[test]
    fn gpc_and_children_hold_off_what_is_sold_or_shared() {
        let mut sold = purpose(false, "consent");
        sold.sold_or_shared = true;
        let at_for = |sold: &BundlePurpose, regimes: &[Regime], gpc: bool, child: bool| {
            let list: Vec<(Regime, Reason)> = regimes
                .iter()
                .map(|r| (*r, Reason::VisitorRegion))
                .collect();
            requirement(
                sold,
                &InForce {
                    regimes: &list,
                    region: None,
                    gpc,
                    child,
                },
            )
            .gate
        };
        let at = |regimes: &[Regime], gpc: bool, child: bool| at_for(&sold, regimes, gpc, child);
        for r in [
            Regime::Ccpa,
            Regime::Cpa,
            Regime::Ctdpa,
            Regime::Tdpsa,
            Regime::Ocpa,
        ] {
            assert_eq!(at(&[r], true, false), Gate::SignalOptOut, "{r:?}");
        }
        assert_eq!(at(&[Regime::Vcdpa], true, false), Gate::Open);
        assert_eq!(at(&[Regime::Gdpr], true, false), Gate::Open);
        assert_eq!(
            at(&[Regime::Gdpr, Regime::Ccpa], true, false),
            Gate::SignalOptOut
        );
        assert_eq!(at(&[Regime::Dpdp], false, true), Gate::Barred);
        assert_eq!(at(&[Regime::Ctdpa], false, true), Gate::Barred);
        assert_eq!(at(&[Regime::Ccpa], false, true), Gate::Open);
        assert_eq!(at(&[Regime::Dpdp], false, false), Gate::Open);
        // Whatever the legal basis.
        let mut opt_out = sold.clone();
        opt_out.legal_bases = vec![(Regime::Ccpa, "opt-out".into())];
        assert_eq!(
            at_for(&opt_out, &[Regime::Ccpa], true, false),
            Gate::SignalOptOut
        );
    }

    #[test]
    fn the_recorded_basis_is_the_strictest() {
        let mut p = purpose(false, "legitimate-interests");
        p.legal_bases = vec![(Regime::Pipl, "consent".into())];
        let list = [
            (Regime::Gdpr, Reason::VisitorRegion),
            (Regime::Pipl, Reason::ControllerEstablishment),
        ];
        let f = InForce {
            regimes: &list,
            region: None,
            gpc: false,
            child: false,
        };
        assert_eq!(requirement(&p, &f).basis, "consent");
        assert_eq!(
            requirement(
                &p,
                &InForce {
                    regimes: &list[..1],
                    ..f
                }
            )
            .basis,
            "legitimate-interests"
        );
    }

    #[test]
    fn properties() {
        assert!(
            Regime::Ccpa.honours_gpc()
                && !Regime::Gdpr.honours_gpc()
                && !Regime::Vcdpa.honours_gpc()
        );
        assert!(
            Regime::Pipl.reaches_by_establishment() && !Regime::Ccpa.reaches_by_establishment()
        );
        assert_eq!(Regime::Lgpd.response_deadline(), Some("P15D"));
        assert_eq!(Regime::Appi.response_deadline(), None);
        assert!(
            right_applies("anonymisation", Regime::Lgpd)
                && !right_applies("anonymisation", Regime::Gdpr)
        );
        assert!(right_applies("access", Regime::Apec));
        assert!(Regime::Gdpr.uses_safeguard("eu-scc") && !Regime::Pipl.uses_safeguard("eu-scc"));
    }

    #[test]
    fn durations_compare_in_days() {
        assert_eq!(approx_days("P1M"), 30);
        assert_eq!(approx_days("P1Y6M"), 545);
        assert_eq!(approx_days("P2W"), 14);
        assert_eq!(approx_days("PT72H"), 3);
        assert_eq!(approx_days("PT1H"), 1);
        assert_eq!(approx_days("P1DT12H"), 2);
        assert_eq!(approx_days("nonsense"), u32::MAX);
        assert_eq!(approx_days("P1X"), u32::MAX);
    }

    #[test]
    fn wire_names_round_trip() {
        for g in Regime::ALL {
            assert_eq!(Regime::parse(g.as_str()), Some(*g));
            assert_eq!(Regime::parse(g.short()), Some(*g));
        }
        assert_eq!(Regime::parse("cpra"), Some(Regime::Ccpa));
        assert_eq!(Regime::parse("nope"), None);
        for r in Reason::ALL {
            assert_eq!(Reason::parse(r.as_str()), Some(r));
        }
    }
}
