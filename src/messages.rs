//! Interface messages the widget shows beyond core's `bundle::UI_MESSAGES`.
//!
//! Each locale file should define them (compliance staff translate them like every other
//! message). Until a locale does, the widget shows the English text below, marked
//! `lang="en"` so screen readers switch voice, rather than nothing or a message id.

/// `(message id, English text)` of every widget message, sorted by id. Ids shared with the
/// notice model (`open-full-notice`, `purposes-heading`, `regime-label`, `regime-<regime>`,
/// `separate-consent-label`, `gpc-honoured`, `download-receipt`, `language-label`,
/// `full-notice-title`) use the locale's text as soon as the compiled notice has it.
pub const WIDGET_MESSAGES: &[(&str, &str)] = &[
    ("agree", "I agree"),
    ("disagree", "I do not agree"),
    ("download-receipt", "Download my consent receipt"),
    ("full-notice-title", "Privacy notice"),
    (
        "gpc-honoured",
        "Global Privacy Control is on in your browser. We honour it as your request to opt out of the sale and sharing of your personal information, so the choices it covers stay off.",
    ),
    (
        "guardian-label",
        "I am the parent or guardian of a child under 14 and make these choices for the child",
    ),
    ("language-label", "Language"),
    (
        "notice-region-heading",
        "Where you are and which rules apply",
    ),
    ("open-full-notice", "Read the full privacy notice"),
    ("purpose-details", "Details"),
    ("purposes-heading", "What we use your information for"),
    ("regime-apec-cbpr", "APEC Privacy Framework"),
    (
        "regime-br-lgpd",
        "Brazil's General Data Protection Law (LGPD)",
    ),
    (
        "regime-cn-pipl",
        "China's Personal Information Protection Law (PIPL)",
    ),
    (
        "regime-eu-gdpr",
        "EU General Data Protection Regulation (GDPR)",
    ),
    ("regime-label", "Privacy law that applies to you"),
    (
        "regime-us-ca-ccpa",
        "California Consumer Privacy Act (CCPA/CPRA)",
    ),
    ("region-label", "Your region"),
    ("region-other", "Another region"),
    (
        "region-source-default",
        "not known, so the strictest rules apply",
    ),
    ("region-source-edge-header", "from your network location"),
    (
        "region-source-language",
        "guessed from your browser's language",
    ),
    ("region-source-site-option", "set by this site"),
    ("region-source-time-zone", "guessed from your time zone"),
    ("region-source-user-selection", "chosen by you"),
    (
        "separate-consent-intro",
        "This use of your information needs its own consent, apart from your other choices. Saying no changes nothing else.",
    ),
    ("separate-consent-label", "We ask for this separately"),
    ("separate-consent-title", "Your separate consent"),
];

/// The English text of a widget message, if `id` is one.
pub fn fallback(id: &str) -> Option<&'static str> {
    WIDGET_MESSAGES
        .binary_search_by(|(k, _)| (*k).cmp(id))
        .ok()
        .map(|i| WIDGET_MESSAGES[i].1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_found() {
        assert!(WIDGET_MESSAGES.windows(2).all(|w| w[0].0 < w[1].0));
        for (id, text) in WIDGET_MESSAGES {
            assert_eq!(fallback(id), Some(*text));
            assert!(!text.is_empty());
        }
        assert_eq!(fallback("accept-all"), None);
    }
}
