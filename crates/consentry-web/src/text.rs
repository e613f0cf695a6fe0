//! Notice text made inert and legible, for both of the widget's modules: which link targets may
//! be links ([`safe_href`]), and which invisible characters are dropped ([`clean`]). Every
//! string of a notice reaches the page as a text node (never parsed as HTML) after [`clean`].

use std::borrow::Cow;

use consentry_core::bundle::{LocaleBundle, Rich};
use consentry_core::receipt::Jurisdiction;
use consentry_core::regime::response_deadline;

/// The values of the variables a notice places for the widget (`consentry_core::bundle::
/// RUNTIME_VARS`), for the visitor under `j`: `age`, the guardian age of the regimes applied;
/// `deadline`, the answer deadline in force in words of the bundle's language. One
/// implementation for both modules (the banner and the full widget fill the same values).
pub fn variables(bundle: &LocaleBundle, j: &Jurisdiction) -> Vec<(&'static str, String)> {
    let mut out = first_layer_variables(j.child_age());
    let applied = j.applied();
    let in_force = j.in_force(&applied, false, false);
    if let Some(words) = response_deadline(&in_force, bundle.deadline.as_deref())
        .and_then(|d| bundle.durations.iter().find(|(k, _)| k == d))
        .map(|(_, w)| w.clone())
    {
        out.push(("deadline", words));
    }
    out
}

/// [`variables`] of a first layer, given the guardian age in force (`Jurisdiction::child_age`):
/// `age` only. A first layer has no durations in words (`FirstLayer::from_json` reads none), so
/// [`variables`] never gives it a `deadline`; the first module calls this and so links none of
/// the deadline rules.
pub fn first_layer_variables(child_age: Option<u8>) -> Vec<(&'static str, String)> {
    let mut out = Vec::with_capacity(2);
    if let Some(age) = child_age {
        out.push(("age", digits(age)));
    }
    out
}

/// A number in ASCII digits (no formatting machinery in the first module).
fn digits(n: u8) -> String {
    let mut s = String::with_capacity(3);
    if n >= 100 {
        s.push(char::from(b'0' + n / 100));
    }
    if n >= 10 {
        s.push(char::from(b'0' + (n / 10) % 10));
    }
    s.push(char::from(b'0' + n % 10));
    s
}

/// `r` with its variables filled in from `vars` ([`variables`]).
pub fn fill(r: &Rich, vars: &[(&'static str, String)]) -> Rich {
    r.with_vars(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
}

/// Whether a link target may be rendered as an `<a href>`: `https:` and `mailto:` (what
/// `consentry build` allows). Anything else (`javascript:`, `data:`, relative) renders as
/// plain text, as a second line of defence behind the digest check.
pub fn safe_href(href: &str) -> bool {
    let lower = href
        .trim_start()
        .get(..8)
        .unwrap_or("")
        .to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("mailto:")
}

/// Characters dropped from notice text: the bidirectional embeddings, overrides and isolates
/// (U+202A–U+202E, U+2066–U+2069), which can make text display in an order other than the
/// one it is read in (and spill into the widget's own labels), and invisible characters with
/// no place in prose (zero-width space U+200B, word joiner U+2060, invisible operators
/// U+2061–U+2064, Mongolian vowel separator U+180E, byte order mark U+FEFF). The marks real
/// Arabic and Persian text needs stay: LRM/RLM (U+200E/F), ZWNJ and ZWJ (U+200C/D).
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'
            | '\u{2060}'..='\u{2064}'
            | '\u{180E}'
            | '\u{FEFF}'
    )
}

/// `s` without the characters of [`is_hidden`] (borrowed when there are none).
pub fn clean(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_hidden) {
        Cow::Owned(s.chars().filter(|c| !is_hidden(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// A right-to-left letter (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation
/// forms); the Arabic comma and the Arabic-Indic digits are not letters: they stay inside a run.
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFE}')
        && !matches!(c, '\u{060C}' | '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}')
}

/// `s` cut into `(latin, text)` runs when it mixes right-to-left letters with Latin ones: each
/// Latin run goes from a Latin letter to the last Latin letter before the next right-to-left
/// one, with the full stops right after it (abbreviations: "Ltd."). One run (`false`) when
/// `s` has no right-to-left letter or no Latin one.
pub fn latin_runs(s: &str) -> Vec<(bool, &str)> {
    let mut out = Vec::new();
    // Where the text not yet pushed starts, and the Latin run being read (start, end).
    let mut from = 0;
    let mut run: Option<(usize, usize)> = None;
    let mut rtl = false;
    fn close<'s>(
        s: &'s str,
        out: &mut Vec<(bool, &'s str)>,
        from: &mut usize,
        (a, mut e): (usize, usize),
    ) {
        while s.as_bytes().get(e) == Some(&b'.') {
            e += 1;
        }
        if a > *from {
            out.push((false, &s[*from..a]));
        }
        out.push((true, &s[a..e]));
        *from = e;
    }
    for (i, c) in s.char_indices() {
        if is_latin(c) {
            let a = run.map_or(i, |(a, _)| a);
            run = Some((a, i + c.len_utf8()));
        } else if is_rtl(c) {
            rtl = true;
            if let Some(r) = run.take() {
                close(s, &mut out, &mut from, r);
            }
        }
    }
    if let Some(r) = run.filter(|_| rtl) {
        close(s, &mut out, &mut from, r);
    }
    if !rtl || out.is_empty() {
        return vec![(false, s)];
    }
    if from < s.len() {
        out.push((false, &s[from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_follow_the_regimes_applied() {
        use consentry_core::bundle::{Direction, Span};
        use consentry_core::ids::{LocaleTag, NoticeId, RegionCode};
        use consentry_core::regime::{Reason, Regime, RegionSource};
        let mut b = LocaleBundle::new(
            NoticeId::parse("n").unwrap(),
            "1",
            LocaleTag::parse("en").unwrap(),
            Direction::Ltr,
        );
        b.deadline = Some("P1M".into());
        b.durations = vec![
            ("P10D".into(), "10 days".into()),
            ("P15D".into(), "15 days".into()),
            ("P1M".into(), "one month".into()),
        ];
        let de = Jurisdiction::new(
            Some(RegionCode::parse("DE").unwrap()),
            RegionSource::SiteOption,
            vec![
                (Regime::Gdpr, Reason::VisitorRegion),
                (Regime::Pipl, Reason::ControllerEstablishment),
            ],
        );
        let vars = variables(&b, &de);
        assert_eq!(
            vars,
            [
                ("age", "16".to_string()),
                ("deadline", "15 days".to_string())
            ],
            "Germany 16, PIPL 14: the older; GDPR one month, PIPL 15 days: the shorter"
        );
        let label = Rich(vec![
            Span::Text("a child under ".into()),
            Span::Var("age".into()),
        ]);
        assert_eq!(fill(&label, &vars).to_plain(), "a child under 16");
        let kr = Jurisdiction::single(Regime::Pipa, None, RegionSource::SiteOption);
        assert_eq!(variables(&b, &kr)[1].1, "10 days");
        let sg = Jurisdiction::single(Regime::Apec, None, RegionSource::SiteOption);
        assert_eq!(variables(&b, &sg), [("deadline", "one month".to_string())]);
        // A first layer has no durations: the same values as the first module's.
        let mut first = b.clone();
        first.durations.clear();
        for j in [&de, &kr, &sg] {
            assert_eq!(variables(&first, j), first_layer_variables(j.child_age()));
        }
        assert_eq!(digits(7), "7");
        assert_eq!(digits(18), "18");
        assert_eq!(digits(120), "120");
    }

    #[test]
    fn only_https_and_mailto_links_are_links() {
        assert!(safe_href("https://example.com/privacy"));
        assert!(safe_href("HTTPS://EXAMPLE.COM"));
        assert!(safe_href("mailto:dpo@example.com"));
        for bad in [
            "javascript:alert(1)",
            " javascript:x",
            "data:text/html,x",
            "/privacy",
            "http://x",
            "",
        ] {
            assert!(!safe_href(bad), "{bad}");
        }
    }

    #[test]
    fn bidi_controls_and_invisible_characters_are_dropped_marks_are_kept() {
        assert_eq!(clean("plain"), Cow::Borrowed("plain"));
        assert_eq!(
            clean("invoice\u{202E}fdp.exe\u{202C} x\u{200B}y\u{2066}z\u{2069}\u{FEFF}"),
            "invoicefdp.exe xyz"
        );
        // Joiners and direction marks that real text needs stay.
        let arabic = "\u{200F}نص\u{200C}عربي\u{200D}";
        assert_eq!(clean(arabic), arabic);
    }

    #[test]
    fn latin_runs_inside_right_to_left_facts_are_cut_out_with_their_full_stops() {
        let s = "مركز لومن ويف (Lumenwave Centre Pte. Ltd.)، سنغافورة";
        assert_eq!(
            latin_runs(s),
            vec![
                (false, "مركز لومن ويف ("),
                (true, "Lumenwave Centre Pte. Ltd."),
                (false, ")، سنغافورة"),
            ]
        );
        let addr = "Examplestraat 1، 1000 AA Example City، هولندا";
        assert_eq!(
            latin_runs(addr),
            vec![
                (true, "Examplestraat 1، 1000 AA Example City"),
                (false, "، هولندا")
            ]
        );
        assert_eq!(latin_runs("Example Ltd."), vec![(false, "Example Ltd.")]);
        assert_eq!(latin_runs("شركة"), vec![(false, "شركة")]);
        let joined: String = latin_runs(s).into_iter().map(|(_, t)| t).collect();
        assert_eq!(joined, s, "nothing is lost or moved");
    }
}
