//! What each privacy law requires of a notice (the `R` rules, and the dark-pattern rule that
//! depends on the regimes, `D004`; the wording rules `D005`–`D009` are in `meaning::wording`), checked on the notice as far as it could be read:
//! controller details, rights, complaints, transfers and consent mechanics per regime. Only the
//! regimes a visitor can actually get ([`RegionMap::regimes_in_use`]) are checked, and a rule
//! whose input had an error of its own stays silent (that error is reported already), so one
//! run shows every law's findings even when `notice.toml` has other errors. Findings point at
//! the key in `notice.toml` that needs to change; messages a regime requires in every locale
//! are returned by [`required_by_regimes`] and checked with the other messages.
//!
//! The consent mechanics come from the same functions the widget and the receipt verifier use
//! (`crate::regime`), applied to the purposes' compiled facts.
//!
//! [`RegionMap::regimes_in_use`]: crate::notice::RegionMap::regimes_in_use

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::bundle::BundlePurpose;
use crate::diagnostics::{Code, Diagnostic};
use crate::notice::{Known, LegalBasis, Notice, Right, Safeguard, Spans};
use crate::regime::{Regime, home_regime_exact, is_eea};

/// Where findings go: `notice.toml`'s path, text and key spans.
pub(crate) struct NoticeFile<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub spans: &'a Spans,
}

impl NoticeFile<'_> {
    fn report(
        &self,
        diags: &mut Vec<Diagnostic>,
        code: Code,
        at: &[&str],
        message: String,
        note: &str,
    ) {
        let mut span = 0..0;
        for path in at {
            span = self.spans.find(path);
            if !span.is_empty() {
                break;
            }
        }
        diags.push(Diagnostic::at(code, self.path, self.text, span, message).with_note(note));
    }
}

const GDPR_SAFEGUARDS: [Safeguard; 4] = [
    Safeguard::Adequacy,
    Safeguard::EuScc,
    Safeguard::Bcr,
    Safeguard::ExplicitConsent,
];
const PIPL_SAFEGUARDS: [Safeguard; 3] = [
    Safeguard::PiplStandardContract,
    Safeguard::PiplCertification,
    Safeguard::PiplSecurityAssessment,
];

/// Why a regime is checked, for messages: `cn-pipl (visitors in CN; the controller is
/// established in CN)`.
fn why(n: &Notice, g: Regime) -> String {
    let mut homes: Vec<&str> = crate::regime::homes()
        .filter(|(_, r)| *r == g)
        .map(|(c, _)| c)
        .filter(|c| {
            crate::ids::RegionCode::parse(c).is_ok_and(|code| {
                n.regions
                    .regimes_for(Some(&code))
                    .iter()
                    .any(|(r, _)| *r == g)
            })
        })
        .collect();
    homes.extend(
        n.regions
            .entries
            .iter()
            .filter(|(_, r)| *r == g)
            .map(|(c, _)| c.as_str()),
    );
    let mut parts = Vec::new();
    if !homes.is_empty() {
        let shown: Vec<&str> = homes.iter().take(4).copied().collect();
        parts.push(format!(
            "visitors in {}{}",
            shown.join(", "),
            if homes.len() > 4 { ", …" } else { "" }
        ));
    }
    if n.regions.controller.contains(&g) {
        let c = n.controller.country.as_ref().map_or("", |c| c.as_str());
        parts.push(format!("the controller is established in {c}"));
    }
    if n.regions.default == Some(g) {
        parts.push("[regions] default".into());
    }
    if parts.is_empty() {
        g.as_str().into()
    } else {
        format!("{} ({})", g.as_str(), parts.join("; "))
    }
}

/// Runs the notice-level regime rules on `n`, of which `known` says which parts were read
/// without error.
pub(crate) fn check_notice(
    n: &Notice,
    known: Known,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let used = n.regions.regimes_in_use();
    let has = |g: Regime| used.contains(&g);
    let any_us = used.iter().any(|g| g.is_us_state());
    let c = &n.controller;
    let facts: Vec<BundlePurpose> = n.purposes.iter().map(super::purpose_facts).collect();

    if known.controller {
        check_controller(n, &used, f, diags);
    }
    if known.regions {
        check_regions(n, f, diags);
    }

    if known.rights {
        check_rights(n, &used, known.purposes, f, diags);
    }

    if known.complaints && known.regions {
        for &g in &used {
            if g != Regime::Apec && !n.complaints.iter().any(|c| c.regime == g) {
                f.report(
                    diags,
                    Code::ComplaintAuthority,
                    &["complaints", "rights"],
                    format!("[complaints] says nowhere to complain under {}", why(n, g)),
                    &format!(
                        "add {} = \"<link name>\" under [complaints] (the authority's page), and a complaint-{} message",
                        g.as_str(),
                        g.as_str()
                    ),
                );
            }
        }
    }
    if any_us && known.links && n.policy_link.is_none() {
        f.report(
            diags,
            Code::CcpaPolicyLink,
            &["links", ""],
            "the notice names no link to the full privacy policy".into(),
            "add policy_link = \"<link name>\" at the top of notice.toml",
        );
    }
    if known.controller && has(Regime::Appi) {
        let missing = match (&c.head, c.address.trim().is_empty()) {
            (None, true) => Some("head and address"),
            (None, false) => Some("head"),
            (Some(_), true) => Some("address"),
            _ => None,
        };
        if let Some(m) = missing {
            f.report(
                diags,
                Code::AppiPublicMatters,
                &["controller"],
                format!(
                    "[controller] lacks {m}, which {} requires the notice to give",
                    why(n, Regime::Appi)
                ),
                "add head = \"<name of the representative director or president>\" to [controller]",
            );
        }
    }

    for (p, facts) in n.purposes.iter().zip(&facts) {
        check_purpose(n, p, facts, &used, known, f, diags);
    }
}

fn check_controller(n: &Notice, used: &[Regime], f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    let has = |g: Regime| used.contains(&g);
    let c = &n.controller;
    let Some(country) = &c.country else {
        f.report(
            diags,
            Code::ControllerLocation,
            &["controller"],
            "[controller] does not say in which country the controller is established".into(),
            "add country = \"XX\" (ISO 3166 code) to [controller]",
        );
        return;
    };
    let home = country.country();
    let reps: [(Regime, bool, bool, Code, &str, &str); 4] = [
        (
            Regime::Gdpr,
            is_eea(home),
            c.eu_representative.is_some(),
            Code::GdprEuRepresentative,
            "EU/EEA",
            "eu_representative",
        ),
        (
            Regime::UkGdpr,
            home == "GB",
            c.uk_representative.is_some(),
            Code::UkRepresentative,
            "UK",
            "uk_representative",
        ),
        (
            Regime::ChFadp,
            home == "CH",
            c.swiss_representative.is_some(),
            Code::SwissRepresentative,
            "Switzerland",
            "swiss_representative",
        ),
        (
            Regime::Pipa,
            home == "KR",
            c.korea_representative.is_some(),
            Code::KoreaDomesticAgent,
            "Korea",
            "korea_representative",
        ),
    ];
    for (g, inside, named, code, place, key) in reps {
        if has(g) && !inside && !named {
            f.report(
                diags,
                code,
                &["controller.country"],
                format!(
                    "the controller is established in {country}, outside {place}, but names no representative there ({} applies)",
                    why(n, g)
                ),
                &format!("add [controller.{key}] with name, address and email"),
            );
        }
    }
    if has(Regime::Pipl) && home != "CN" && c.china_representative.is_none() {
        f.report(
            diags,
            Code::PiplChinaRepresentative,
            &["controller.country"],
            format!(
                "the controller is established in {country}, outside China, but names no representative in China ({} applies)",
                why(n, Regime::Pipl)
            ),
            "add [controller.china_representative] with name, address and email",
        );
    }
    if c.dpo.is_none() {
        let officer: Vec<&str> = [
            Regime::Pipa,
            Regime::Dpdp,
            Regime::Pipeda,
            Regime::QcLaw25,
            Regime::Lgpd,
        ]
        .into_iter()
        .filter(|g| has(*g))
        .map(Regime::as_str)
        .collect();
        if !officer.is_empty() {
            f.report(
                diags,
                Code::PrivacyOfficer,
                &["controller"],
                format!(
                    "[controller] names no privacy officer, which {} require",
                    officer.join(", ")
                ),
                "add [controller.dpo] with the officer's name or title and e-mail",
            );
        } else if has(Regime::Gdpr) || has(Regime::UkGdpr) || has(Regime::Pipl) {
            f.report(
                diags,
                Code::DpoContact,
                &["controller"],
                "[controller] gives no data protection officer".into(),
                "if one is appointed, add [controller.dpo] with name and email",
            );
        }
    }
}

/// R039: a region mapped away from the law the built-in table knows for it, without a reason.
fn check_regions(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    for (region, g) in &n.regions.entries {
        let own = home_regime_exact(region.as_str()).or_else(|| {
            (region.as_str().len() == 2)
                .then(|| home_regime_exact(region.country()))
                .flatten()
        });
        let Some(own) = own.filter(|o| o != g) else {
            continue;
        };
        if n.regions.acknowledged.iter().any(|(r, _)| r == region) {
            continue;
        }
        f.report(
            diags,
            Code::RegionAwayFromOwnLaw,
            &[&format!("regions.{region}")],
            format!(
                "[regions] maps {region} to {}, but the law there is {}: its visitors would lose what {} requires",
                g.as_str(),
                own.as_str(),
                own.short()
            ),
            &format!(
                "write {region} = \"{}\", remove the entry, or acknowledge it: {region} = {{ regime = \"{}\", reason = \"…\" }}",
                own.as_str(),
                g.as_str()
            ),
        );
    }
}

fn check_rights(
    n: &Notice,
    used: &[Regime],
    purposes_known: bool,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let has = |g: Regime| used.contains(&g);
    let offered = &n.rights.offered;
    let mut rule = |code: Code, applies: bool, want: &[Right], law: String| {
        if !applies {
            return;
        }
        let m: Vec<&'static str> = want
            .iter()
            .filter(|r| !offered.contains(r))
            .map(|r| r.as_str())
            .collect();
        if !m.is_empty() {
            f.report(
                diags,
                code,
                &["rights.offered", "rights"],
                format!("[rights] offered lacks {} ({law})", m.join(", ")),
                "add them to offered, and a right-<id> message for each to every .ftl file",
            );
        }
    };
    use Right::*;
    let gdpr = [Regime::Gdpr, Regime::UkGdpr]
        .into_iter()
        .filter(|g| has(*g))
        .map(|g| why(n, g))
        .collect::<Vec<_>>();
    rule(
        Code::GdprRights,
        !gdpr.is_empty(),
        &[
            Access,
            Rectification,
            Erasure,
            Restriction,
            Objection,
            Portability,
        ],
        format!("GDPR Art. 13(2)(b): {}", gdpr.join(", ")),
    );
    rule(
        Code::PiplRights,
        has(Regime::Pipl),
        &[Access, Rectification, Erasure, Portability, Explanation],
        format!("PIPL Arts. 44–50: {}", why(n, Regime::Pipl)),
    );
    let sold = n.purposes.iter().any(|p| p.sold_or_shared);
    let mut ccpa = alloc::vec![Access, Erasure, Rectification, NonDiscrimination];
    if sold {
        ccpa.push(OptOutOfSale);
    }
    rule(
        Code::CcpaRights,
        has(Regime::Ccpa),
        &ccpa,
        format!("CCPA 1798.100–.125: {}", why(n, Regime::Ccpa)),
    );
    let states: Vec<String> = used
        .iter()
        .filter(|g| g.is_us_state() && **g != Regime::Ccpa)
        .map(|g| g.as_str().into())
        .collect();
    rule(
        Code::UsStateRights,
        !states.is_empty(),
        &[
            Access,
            Rectification,
            Erasure,
            Portability,
            OptOutOfSale,
            Appeal,
        ],
        states.join(", "),
    );
    rule(
        Code::LgpdRights,
        has(Regime::Lgpd),
        &[
            Access,
            Rectification,
            Erasure,
            Anonymisation,
            Portability,
            SharingInformation,
            RefusalInformation,
        ],
        format!("LGPD Art. 18: {}", why(n, Regime::Lgpd)),
    );
    rule(
        Code::PipaRights,
        has(Regime::Pipa),
        &[
            Access,
            Rectification,
            Erasure,
            Restriction,
            RefusalInformation,
        ],
        format!("PIPA Arts. 15, 35–37: {}", why(n, Regime::Pipa)),
    );
    rule(
        Code::DpdpRights,
        has(Regime::Dpdp),
        &[Access, Rectification, Erasure, Nominate],
        format!("DPDP ss.11–14: {}", why(n, Regime::Dpdp)),
    );
    // nFADP (Arts. 25, 28, 32), APPI (Arts. 33–35), PIPEDA and Québec give access,
    // rectification, erasure and portability, all on GDPR's list, which always applies (to
    // visitors whose region is unknown): R005 covers them.
    let consent_used = n
        .purposes
        .iter()
        .any(|p| used.iter().any(|g| p.basis_for(*g) == LegalBasis::Consent));
    let _ = purposes_known;
    rule(
        Code::WithdrawalRight,
        consent_used,
        &[WithdrawConsent],
        "GDPR Art. 7(3); PIPL Art. 15; LGPD Art. 8 §5".into(),
    );
}

#[allow(clippy::too_many_arguments)]
fn check_purpose(
    n: &Notice,
    p: &crate::notice::Purpose,
    facts: &BundlePurpose,
    used: &[Regime],
    known: Known,
    f: &NoticeFile<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    let has = |g: Regime| used.contains(&g);
    let at = |key: &str| format!("purposes.{}.{key}", p.id);
    let id = p.id.as_str();
    let basis = |g: Regime| p.basis_for(g);

    // Sensitive data rests on (explicit) consent wherever the law asks for it.
    if p.sensitive {
        let bad: Vec<&str> = used
            .iter()
            .filter(|g| {
                **g != Regime::Ccpa
                    && **g != Regime::Dpdp
                    && **g != Regime::Apec
                    && basis(**g) != LegalBasis::Consent
            })
            .map(|g| g.as_str())
            .collect();
        if !bad.is_empty() && !p.required {
            f.report(
                diags,
                Code::SensitiveSeparateConsent,
                &[&at("sensitive")],
                format!(
                    "purpose `{id}` involves sensitive data but does not rest on consent under {}",
                    bad.join(", ")
                ),
                "use legal_basis = \"consent\" there; the widget then asks for it in a step of its own",
            );
        }
    }
    // Legal bases the laws do not have.
    if has(Regime::Pipl) && basis(Regime::Pipl) == LegalBasis::LegitimateInterests {
        f.report(
            diags,
            Code::PiplNoLegitimateInterests,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` relies on legitimate interests under {}",
                why(n, Regime::Pipl)
            ),
            "PIPL Art. 13 has no such basis: use legal_basis = { default = \"…\", cn-pipl = \"consent\" }",
        );
    }
    let no_li: Vec<&str> = [Regime::Dpdp, Regime::Pipeda, Regime::QcLaw25]
        .into_iter()
        .filter(|g| has(*g) && basis(*g) == LegalBasis::LegitimateInterests)
        .map(Regime::as_str)
        .collect();
    if !no_li.is_empty() {
        f.report(
            diags,
            Code::NoLegitimateInterestsBasis,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` relies on legitimate interests under {}, which have no such basis",
                no_li.join(", ")
            ),
            "give those regimes \"consent\" (or a basis the law has) in legal_basis = { … }",
        );
    }
    let opt_out: Vec<&str> = used
        .iter()
        .filter(|g| !g.is_us_state() && **g != Regime::Apec && basis(**g) == LegalBasis::OptOut)
        .map(|g| g.as_str())
        .collect();
    if !opt_out.is_empty() {
        f.report(
            diags,
            Code::OptOutBasisOutsideUs,
            &[&at("legal_basis")],
            format!(
                "purpose `{id}` rests on opt-out under {}, where that is no legal basis",
                opt_out.join(", ")
            ),
            "give opt-out only for the US state laws: legal_basis = { default = \"consent\", us-ca-ccpa = \"opt-out\" }",
        );
    }
    // PIPL Arts. 23 and 39: disclosure and transfers rest on separate consent, whatever else
    // the purpose is needed for (a required purpose cannot ask for it).
    if has(Regime::Pipl) && (p.required || basis(Regime::Pipl) != LegalBasis::Consent) {
        let fix = if p.required {
            "a required purpose cannot ask for consent: move this to an optional purpose on consent"
        } else {
            "use consent under cn-pipl; the widget asks for it in a step of its own"
        };
        if !p.third_parties.is_empty() {
            f.report(
                diags,
                Code::PiplThirdPartyConsent,
                &[&at("third_parties")],
                format!(
                    "purpose `{id}` gives data to other handlers without separate consent under {}",
                    why(n, Regime::Pipl)
                ),
                &format!("{fix}, or list them as processors if they only work for you"),
            );
        }
        if !p.transfers.is_empty() {
            f.report(
                diags,
                Code::PiplCrossBorderConsent,
                &[&at("transfers")],
                format!(
                    "purpose `{id}` sends personal information abroad without separate consent under {}",
                    why(n, Regime::Pipl)
                ),
                fix,
            );
        }
    }
    // US: sale and sharing.
    if p.sold_or_shared
        && known.ccpa
        && used.iter().any(|g| g.is_us_state())
        && n.ccpa.opt_out_link.is_none()
    {
        f.report(
            diags,
            Code::CcpaOptOutLink,
            &[&at("sold_or_shared")],
            format!("purpose `{id}` is sold or shared, but [ccpa] names no opt-out link"),
            "add [ccpa] opt_out_link = \"<link name>\" (\"Do Not Sell or Share My Personal Information\")",
        );
    }
    if has(Regime::Ccpa) && known.ccpa && p.sensitive && n.ccpa.limit_link.is_none() {
        f.report(
            diags,
            Code::CcpaLimitLink,
            &[&at("sensitive")],
            format!("purpose `{id}` uses sensitive data, but [ccpa] names no limit link"),
            "if it is used beyond what 11 CCR §7027(m) allows, add [ccpa] limit_link",
        );
    }
    // Before a choice only where every listed law allows it.
    for g in &p.on_until_opt_out {
        if !g.permits_on_before_choice(facts, basis(*g).as_str()) {
            let reason = if basis(*g) == LegalBasis::Consent {
                "its basis there is consent"
            } else if p.sensitive {
                "it involves sensitive data"
            } else if matches!(g, Regime::Gdpr | Regime::Lgpd | Regime::UkGdpr)
                && facts.channels.iter().any(|c| c == "web")
            {
                "it is collected on the website, where device storage and access need consent"
            } else {
                "that law has no such route for its basis"
            };
            f.report(
                diags,
                Code::OnBeforeChoiceNotAllowed,
                &[&at("on_until_opt_out")],
                format!(
                    "purpose `{id}` may not run before the visitor chooses under {}: {reason}",
                    g.as_str()
                ),
                "remove it from on_until_opt_out; it then starts off until the visitor agrees",
            );
        }
    }

    if p.transfers.is_empty() {
        return;
    }
    let transfers = [at("transfers")];
    let transfers: Vec<&str> = transfers.iter().map(String::as_str).collect();
    if has(Regime::Gdpr) {
        let mut bad: Vec<&str> = Vec::new();
        for t in &p.transfers {
            let dest = t.destination.as_str();
            let covered = is_eea(dest)
                || p.transfers.iter().any(|u| {
                    u.destination.as_str() == dest && GDPR_SAFEGUARDS.contains(&u.safeguard)
                });
            if !covered && !bad.contains(&dest) {
                bad.push(dest);
            }
        }
        if !bad.is_empty() {
            f.report(
                diags,
                Code::GdprTransferSafeguard,
                &transfers,
                format!(
                    "purpose `{id}` sends data to {} without a GDPR safeguard",
                    bad.join(", ")
                ),
                "add a transfer to the same destination with safeguard adequacy, eu-scc, bcr or explicit-consent",
            );
        }
    }
    // Other laws with transfer mechanisms (UK, CH, BR). APPI's route without one is consent
    // with information on the destination's system (R034), which the widget asks for.
    for (g, ok) in [
        (
            Regime::UkGdpr,
            &["adequacy", "uk-idta", "bcr", "explicit-consent"][..],
        ),
        (
            Regime::ChFadp,
            &["adequacy", "eu-scc", "bcr", "explicit-consent"][..],
        ),
        (
            Regime::Lgpd,
            &["adequacy", "lgpd-scc", "bcr", "explicit-consent"][..],
        ),
    ] {
        if !has(g) {
            continue;
        }
        let mut bad: Vec<&str> = Vec::new();
        for t in &p.transfers {
            let dest = t.destination.as_str();
            let covered = p
                .transfers
                .iter()
                .any(|u| u.destination.as_str() == dest && ok.contains(&u.safeguard.as_str()));
            if !covered && !bad.contains(&dest) {
                bad.push(dest);
            }
        }
        if !bad.is_empty() {
            f.report(
                diags,
                Code::TransferMechanism,
                &transfers,
                format!(
                    "purpose `{id}` sends data to {} without a mechanism of {}",
                    bad.join(", "),
                    why(n, g)
                ),
                &format!(
                    "add a transfer to the same destination with safeguard {}",
                    ok.join(", ")
                ),
            );
        }
    }
    if p.transfers
        .iter()
        .any(|t| t.safeguard == Safeguard::ExplicitConsent)
        && (p.required || used.iter().any(|g| basis(*g) != LegalBasis::Consent))
    {
        f.report(
            diags,
            Code::ExplicitConsentTransfer,
            &transfers,
            format!("purpose `{id}` relies on explicit consent for a transfer but does not rest on consent everywhere"),
            "set legal_basis = \"consent\" (the widget then asks for it in a step of its own)",
        );
    }
    if has(Regime::Pipl) {
        if !p
            .transfers
            .iter()
            .any(|t| PIPL_SAFEGUARDS.contains(&t.safeguard))
        {
            f.report(
                diags,
                Code::PiplTransferMechanism,
                &transfers,
                format!(
                    "purpose `{id}` has no Chinese mechanism for its transfers ({} applies)",
                    why(n, Regime::Pipl)
                ),
                "add a transfer with safeguard pipl-standard-contract, pipl-certification or pipl-security-assessment",
            );
        }
        if p.transfers
            .iter()
            .any(|t| t.recipient.is_none() || t.contact.is_none())
        {
            f.report(
                diags,
                Code::PiplOverseasRecipient,
                &transfers,
                format!(
                    "a transfer of purpose `{id}` does not name its overseas recipient and contact"
                ),
                "give every transfer recipient = \"…\" and contact = \"<link name>\"",
            );
        }
    }
}

/// A message a regime requires in every locale.
pub(crate) struct Needed {
    pub id: String,
    pub reason: String,
    pub code: Code,
}

/// The messages the regimes require: explanations of legitimate interests, automated decisions
/// and sensitive processing, the GPC statement, the information APPI Art. 28(2) asks for on a
/// destination's system, and Texas' notice on selling sensitive data.
pub(crate) fn required_by_regimes(n: &Notice) -> Vec<Needed> {
    let used = n.regions.regimes_in_use();
    let mut out = Vec::new();
    for p in &n.purposes {
        if let Some(g) = used
            .iter()
            .find(|g| p.basis_for(**g) == LegalBasis::LegitimateInterests)
        {
            out.push(Needed {
                id: format!("purpose-{}-legitimate-interest", p.id),
                reason: format!(
                    "purpose `{}` relies on legitimate interests under {} (GDPR Art. 13(1)(d))",
                    p.id,
                    g.as_str()
                ),
                code: Code::LegitimateInterestsExplained,
            });
        }
        if p.automated_decisions {
            out.push(Needed {
                id: format!("purpose-{}-automated-decision", p.id),
                reason: format!(
                    "purpose `{}` has automated_decisions = true (GDPR Art. 13(2)(f))",
                    p.id
                ),
                code: Code::AutomatedDecisionsExplained,
            });
        }
        if p.sensitive && used.contains(&Regime::Pipl) {
            out.push(Needed {
                id: format!("purpose-{}-sensitive-impact", p.id),
                reason: format!(
                    "purpose `{}` is sensitive and cn-pipl applies (PIPL Art. 30)",
                    p.id
                ),
                code: Code::PiplSensitiveImpact,
            });
        }
        if used.contains(&Regime::Appi) {
            let facts = super::purpose_facts(p);
            if Regime::Appi.transfer_needs_consent(&facts) {
                for t in &p.transfers {
                    let id = format!("country-{}-privacy-system", t.destination);
                    if !out.iter().any(|n: &Needed| n.id == id) {
                        out.push(Needed {
                            id,
                            reason: format!(
                                "purpose `{}` sends data to {} on consent and jp-appi applies (APPI Art. 28(2))",
                                p.id, t.destination
                            ),
                            code: Code::AppiForeignSystem,
                        });
                    }
                }
            }
        }
    }
    if used.contains(&Regime::Tdpsa) && n.purposes.iter().any(|p| p.sensitive && p.sold_or_shared) {
        out.push(Needed {
            id: "texas-sensitive-sale-notice".into(),
            reason: "us-tx-tdpsa applies and a sensitive purpose is sold or shared (§ 541.102(b))"
                .into(),
            code: Code::TexasSensitiveSaleNotice,
        });
    }
    if let Some(g) = used.iter().find(|g| g.honours_gpc()) {
        out.push(Needed {
            id: "gpc-statement".into(),
            reason: format!(
                "{} applies (11 CCR §7025 and the other GPC laws)",
                g.as_str()
            ),
            code: Code::CcpaGpcStatement,
        });
    }
    out
}

/// R040: `{ $deadline }` is placed (`placed`: the message and file where, first) but a regime a
/// visitor can get sets no number of days and `[rights]` gives no deadline of its own.
pub(crate) fn check_deadline(
    n: &Notice,
    known: Known,
    f: &NoticeFile<'_>,
    placed: bool,
    diags: &mut Vec<Diagnostic>,
) {
    if !placed || !known.rights || n.rights.deadline.is_some() {
        return;
    }
    let without: Vec<&str> = n
        .regions
        .regimes_in_use()
        .into_iter()
        .filter(|g| g.response_deadline().is_none())
        .map(Regime::as_str)
        .collect();
    if !without.is_empty() {
        f.report(
            diags,
            Code::ResponseDeadline,
            &["rights"],
            format!(
                "the text places {{ $deadline }}, but {} set no number of days and [rights] gives no deadline",
                without.join(", ")
            ),
            "add deadline = \"P1M\" (or your own) to [rights]",
        );
    }
}
