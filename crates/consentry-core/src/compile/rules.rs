//! What each privacy law requires of a notice (the `R` rules), checked on a valid
//! [`Notice`]: controller details, rights, complaints, transfers and consent mechanics per
//! regime. Only the regimes a visitor can actually get ([`RegionMap::regimes_in_use`]) are
//! checked. Findings point at the key in `notice.toml` that needs to change; messages a regime
//! requires in every locale are returned by [`required_by_regimes`] and checked with the other
//! messages.
//!
//! [`RegionMap::regimes_in_use`]: crate::notice::RegionMap::regimes_in_use

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::diagnostics::{Code, Diagnostic};
use crate::notice::Spans;
use crate::notice::{LegalBasis, Notice, Right, Safeguard};
use crate::regime::{EEA, Regime};

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

/// Runs the notice-level regime rules.
pub(crate) fn check_notice(n: &Notice, f: &NoticeFile<'_>, diags: &mut Vec<Diagnostic>) {
    let used = n.regions.regimes_in_use();
    let has = |g: Regime| used.contains(&g);
    let c = &n.controller;

    match &c.country {
        None => f.report(
            diags,
            Code::ControllerLocation,
            &["controller"],
            "[controller] does not say in which country the controller is established".into(),
            "add country = \"XX\" (ISO 3166 code) to [controller]",
        ),
        Some(country) => {
            if has(Regime::Gdpr)
                && !EEA.contains(&country.as_str())
                && c.eu_representative.is_none()
            {
                f.report(
                    diags,
                    Code::GdprEuRepresentative,
                    &["controller.country"],
                    format!(
                        "the controller is established in {country}, outside the EU/EEA, but names no EU representative"
                    ),
                    "add [controller.eu_representative] with name, address and email",
                );
            }
            if has(Regime::Pipl) && country.as_str() != "CN" && c.china_representative.is_none() {
                f.report(
                    diags,
                    Code::PiplChinaRepresentative,
                    &["controller.country"],
                    format!(
                        "the controller is established in {country}, outside China, but names no representative in China"
                    ),
                    "add [controller.china_representative] with name, address and email",
                );
            }
        }
    }
    if (has(Regime::Gdpr) || has(Regime::Pipl)) && c.dpo.is_none() {
        f.report(
            diags,
            Code::DpoContact,
            &["controller"],
            "[controller] gives no data protection officer".into(),
            "if one is appointed, add [controller.dpo] with name and email",
        );
    }

    let offered = &n.rights.offered;
    let missing = |want: &[Right]| -> Vec<&'static str> {
        want.iter()
            .filter(|r| !offered.contains(r))
            .map(|r| r.as_str())
            .collect()
    };
    let mut rights_rule = |code: Code, g: Option<Regime>, want: &[Right], law: &str| {
        if g.is_some_and(|g| !has(g)) {
            return;
        }
        let m = missing(want);
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
    rights_rule(
        Code::GdprRights,
        Some(Regime::Gdpr),
        &[
            Access,
            Rectification,
            Erasure,
            Restriction,
            Objection,
            Portability,
        ],
        "GDPR Art. 13(2)(b)",
    );
    rights_rule(
        Code::PiplRights,
        Some(Regime::Pipl),
        &[Access, Rectification, Erasure, Portability, Explanation],
        "PIPL Arts. 44–50",
    );
    let sold = n.purposes.iter().any(|p| p.sold_or_shared);
    let mut ccpa = alloc::vec![Access, Erasure, Rectification, NonDiscrimination];
    if sold {
        ccpa.push(OptOutOfSale);
    }
    rights_rule(
        Code::CcpaRights,
        Some(Regime::Ccpa),
        &ccpa,
        "CCPA 1798.100–.125",
    );
    rights_rule(
        Code::LgpdRights,
        Some(Regime::Lgpd),
        &[
            Access,
            Rectification,
            Erasure,
            Anonymisation,
            Portability,
            SharingInformation,
            RefusalInformation,
        ],
        "LGPD Art. 18",
    );
    let consent_used = n
        .purposes
        .iter()
        .any(|p| used.iter().any(|g| p.basis_for(*g) == LegalBasis::Consent));
    if consent_used {
        rights_rule(
            Code::WithdrawalRight,
            None,
            &[WithdrawConsent],
            "GDPR Art. 7(3); PIPL Art. 15; LGPD Art. 8 §5",
        );
    }

    for g in [Regime::Gdpr, Regime::Lgpd] {
        if has(g) && !n.complaints.iter().any(|c| c.regime == g) {
            f.report(
                diags,
                Code::ComplaintAuthority,
                &["complaints", "rights"],
                format!("[complaints] says nowhere to complain under {}", g.as_str()),
                &format!(
                    "add {} = \"<link name>\" under [complaints] and a complaint-{} message",
                    g.as_str(),
                    g.as_str()
                ),
            );
        }
    }
    if has(Regime::Ccpa) && n.policy_link.is_none() {
        f.report(
            diags,
            Code::CcpaPolicyLink,
            &["links", ""],
            "the notice names no link to the full privacy policy".into(),
            "add policy_link = \"<link name>\" at the top of notice.toml",
        );
    }

    for p in &n.purposes {
        let at = |key: &str| format!("purposes.{}.{key}", p.id);
        let id = p.id.as_str();
        if p.sensitive && !p.separate_consent {
            f.report(
                diags,
                Code::SensitiveSeparateConsent,
                &[&at("sensitive")],
                format!("purpose `{id}` involves sensitive data but has no separate consent"),
                "set separate_consent = true (and legal_basis = \"consent\")",
            );
        }
        if has(Regime::Pipl) && p.basis_for(Regime::Pipl) == LegalBasis::LegitimateInterests {
            f.report(
                diags,
                Code::PiplNoLegitimateInterests,
                &[&at("legal_basis")],
                format!("purpose `{id}` relies on legitimate interests under cn-pipl"),
                "PIPL Art. 13 has no such basis: use legal_basis = { default = \"…\", cn-pipl = \"consent\" }",
            );
        }
        if has(Regime::Pipl) && !p.third_parties.is_empty() && !p.separate_consent {
            f.report(
                diags,
                Code::PiplThirdPartyConsent,
                &[&at("third_parties")],
                format!("purpose `{id}` gives data to third parties without separate consent"),
                "set separate_consent = true, or list them as processors if they only work for you",
            );
        }
        if has(Regime::Ccpa) && p.sold_or_shared && n.ccpa.opt_out_link.is_none() {
            f.report(
                diags,
                Code::CcpaOptOutLink,
                &[&at("sold_or_shared")],
                format!("purpose `{id}` is sold or shared, but [ccpa] names no opt-out link"),
                "add [ccpa] opt_out_link = \"<link name>\" (\"Do Not Sell or Share My Personal Information\")",
            );
        }
        if has(Regime::Ccpa) && p.sensitive && n.ccpa.limit_link.is_none() {
            f.report(
                diags,
                Code::CcpaLimitLink,
                &[&at("sensitive")],
                format!("purpose `{id}` uses sensitive data, but [ccpa] names no limit link"),
                "if it is used beyond what 11 CCR §7027(m) allows, add [ccpa] limit_link",
            );
        }
        if p.transfers.is_empty() {
            continue;
        }
        let transfers = [at("transfers")];
        let transfers: Vec<&str> = transfers.iter().map(String::as_str).collect();
        if has(Regime::Gdpr) {
            let mut bad: Vec<&str> = Vec::new();
            for t in &p.transfers {
                let dest = t.destination.as_str();
                let covered = EEA.contains(&dest)
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
        if p.transfers
            .iter()
            .any(|t| t.safeguard == Safeguard::ExplicitConsent)
            && !(p.separate_consent && p.legal_basis == LegalBasis::Consent)
        {
            f.report(
                diags,
                Code::ExplicitConsentTransfer,
                &transfers,
                format!("purpose `{id}` relies on explicit consent for a transfer but is not a separate consent"),
                "set legal_basis = \"consent\" and separate_consent = true",
            );
        }
        if has(Regime::Pipl) {
            if !p.separate_consent {
                f.report(
                    diags,
                    Code::PiplCrossBorderConsent,
                    &transfers,
                    format!(
                        "purpose `{id}` sends personal information abroad without separate consent"
                    ),
                    "set separate_consent = true (and legal_basis = \"consent\")",
                );
            }
            if !p
                .transfers
                .iter()
                .any(|t| PIPL_SAFEGUARDS.contains(&t.safeguard))
            {
                f.report(
                    diags,
                    Code::PiplTransferMechanism,
                    &transfers,
                    format!("purpose `{id}` has no Chinese mechanism for its transfers"),
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
                    format!("a transfer of purpose `{id}` does not name its overseas recipient and contact"),
                    "give every transfer recipient = \"…\" and contact = \"<link name>\"",
                );
            }
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
/// and sensitive processing, and the GPC statement.
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
    }
    if used.contains(&Regime::Ccpa) {
        out.push(Needed {
            id: "gpc-statement".into(),
            reason: "us-ca-ccpa applies (11 CCR §7025)".into(),
            code: Code::CcpaGpcStatement,
        });
    }
    out
}
