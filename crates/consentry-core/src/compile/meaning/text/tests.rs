//! Tests of the text analysis.

use alloc::string::String;
use alloc::vec::Vec;

use super::*;

fn sents(t: &str) -> Vec<&str> {
    sentences(t).into_iter().map(|r| &t[r]).collect()
}

fn qs(t: &str, lang: Lang) -> Vec<String> {
    quantities(t, lang, &[])
        .iter()
        .map(Quantity::describe)
        .collect()
}

#[test]
fn sentences_end_where_people_read_an_end() {
    assert_eq!(
        sents(
            "Lumenwave Networks Co., Ltd. keeps 3.5 GB, e.g. logs. Write to a.b@example.com. Done!"
        ),
        [
            "Lumenwave Networks Co., Ltd. keeps 3.5 GB, e.g. logs.",
            "Write to a.b@example.com.",
            "Done!"
        ]
    );
    assert_eq!(
        sents("我们保存1年。如您不同意，不录音！好？"),
        ["我们保存1年。", "如您不同意，不录音！", "好？"]
    );
    assert_eq!(sents("هل لديك سؤال؟ راسلنا."), ["هل لديك سؤال؟", "راسلنا."]);
    assert_eq!(
        sents("Pte. Ltd. in Singapore… then more."),
        ["Pte. Ltd. in Singapore…", "then more."]
    );
    // A short leading question joins the next sentence.
    assert_eq!(units("Questions? Write to us.").len(), 1);
    assert_eq!(sents(""), Vec::<&str>::new());
}

#[test]
fn numbers_and_durations_in_every_script() {
    assert_eq!(
        qs("kept for 90 days, then 3 years", Lang::En),
        ["P90D", "P3Y"]
    );
    assert_eq!(
        qs("for a year, within one month, twenty-four hours", Lang::En),
        ["P1Y", "P1M", "PT24H"]
    );
    assert_eq!(
        qs("un plazo de un mes, 90 días, noventa días", Lang::Es),
        ["P1M", "P90D", "P90D"]
    );
    assert_eq!(
        qs("d’un mois, quatre-vingt-dix jours, 1 an", Lang::Fr),
        ["P1M", "P90D", "P1Y"]
    );
    assert_eq!(qs("em até um mês, 2 anos", Lang::Pt), ["P1M", "P2Y"]);
    assert_eq!(
        qs(
            "保存90天、三年、一个月、13个月、两周、24小时，未满十四周岁，2026年",
            Lang::Zh
        ),
        ["P90D", "P3Y", "P1M", "P13M", "P2W", "PT24H", "14", "2026"]
    );
    assert_eq!(
        qs("٩٠ يومًا و۵ سنوات و３０天", Lang::Ar),
        ["P90D", "P5Y", "P30D"]
    );
    assert_eq!(
        qs(
            "لمدة سنة واحدة، بعد سنتين، خلال شهر واحد، ثلاث سنوات، دون الرابعة عشرة",
            Lang::Ar
        ),
        ["P1Y", "P2Y", "P1M", "P3Y", "14"]
    );
    // Names with digits are not amounts; decimals and thousands are kept whole.
    assert_eq!(qs("4G and mp3, 1,000 or 3.5", Lang::En), ["1000", "3.5"]);
    assert_eq!(qs("Example 一方当事人", Lang::Zh), Vec::<String>::new());
}

#[test]
fn addresses_and_acronyms() {
    let e = emails("Write to Privacy@Example.com. Or dpo@example.com");
    assert_eq!(
        e.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        ["privacy@example.com", "dpo@example.com"]
    );
    let u = urls("See https://support.example.com/privacy, or www.example.net. Not e.g. this.");
    assert_eq!(
        u.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        ["https://support.example.com/privacy", "www.example.net"]
    );
    let a = acronyms("The GDPR, CCPA/CPRA and the ANPD; 4G; not EU or Ltd", &[]);
    assert_eq!(
        a.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
        ["GDPR", "CCPA", "CPRA", "ANPD", "4G"]
    );
    assert!(looks_like_phone("+1-555-0100"));
    assert!(!looks_like_phone("2026"));
}

#[test]
fn negation_per_language() {
    for (t, lang, want) in [
        ("I do not agree", Lang::En, true),
        ("I don't agree", Lang::En, true),
        ("Reject all", Lang::En, true),
        ("I agree", Lang::En, false),
        ("No acepto", Lang::Es, true),
        ("Acepto", Lang::Es, false),
        ("Je n’accepte pas", Lang::Fr, true),
        ("Tout refuser", Lang::Fr, true),
        ("Não concordo", Lang::Pt, true),
        ("Concordo", Lang::Pt, false),
        ("我不同意", Lang::Zh, true),
        ("无论您如何选择", Lang::Zh, false),
        ("不同的选择", Lang::Zh, false),
        ("未满十四周岁", Lang::Zh, false),
        ("لا أوافق", Lang::Ar, true),
        ("البيانات غير الضرورية", Lang::Ar, false),
        ("ما تخبرنا به", Lang::Ar, false),
        ("Ich stimme nicht zu", Lang::Other, false),
        // Correlatives: a negation in pairs or at the start, nothing after another negation,
        // and no negation alone.
        ("Ni vendues ni partagées", Lang::Fr, true),
        ("No se venden ni se comparten", Lang::Es, true),
        ("que vendamos ni compartamos sus datos", Lang::Es, false),
        ("Nem vendidos nem compartilhados", Lang::Pt, true),
        ("vendidos nem compartilhados", Lang::Pt, false),
        ("sold nor shared", Lang::En, false),
        ("Neither sold nor shared", Lang::En, true),
    ] {
        assert_eq!(negated(t, lang), want, "{t}");
    }
    assert_eq!(
        conditional_negation(
            "If you say no, we still take your call; we do not record it.",
            Lang::En
        ),
        Some((true, false))
    );
    assert_eq!(
        conditional_negation("Se você não concordar, não atendemos a ligação.", Lang::Pt),
        Some((true, true))
    );
    assert_eq!(conditional_negation("We keep it.", Lang::En), None);
    // "mais" is "but" in French only: in Portuguese it is "more" and no clause starts there.
    assert_eq!(
        conditional_negation("Se você não concordar, nada mais muda.", Lang::Pt),
        Some((true, true))
    );
}

#[test]
fn clauses_and_contrast() {
    let t = "Si vous refusez, nous prenons votre appel, mais sans l’enregistrer.";
    let c: Vec<&str> = clauses(t, Lang::Fr).into_iter().map(|r| &t[r]).collect();
    assert_eq!(
        c,
        [
            "Si vous refusez",
            " nous prenons votre appel",
            "mais sans l’enregistrer."
        ]
    );
    assert!(is_contrast(c[2], Lang::Fr));
    assert!(!is_contrast(c[1], Lang::Fr));
    let t = "Não são vendidos, mas são compartilhados; nada mais muda";
    let c: Vec<&str> = clauses(t, Lang::Pt).into_iter().map(|r| &t[r]).collect();
    assert_eq!(c.len(), 3, "{c:?}");
    assert!(is_contrast(c[1], Lang::Pt) && !is_contrast(c[2], Lang::Pt));
    assert!(is_condition("如您不同意，其他选择均不受影响。", Lang::Zh));
    assert!(is_condition("وإذا رفضت، نتلقى مكالمتك", Lang::Ar));
    for junk in ["", ",,,", "but", "但", " mas ", "，：；"] {
        let _ = clauses(junk, Lang::Pt);
        let _ = clauses(junk, Lang::Zh);
    }
}

#[test]
fn countries_by_name() {
    let en = CountryNames::new(Lang::En, &[]);
    let found: Vec<String> = en
        .find("Sent to Singapore and China, not Chinese or Indiana.")
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(found, ["SG", "CN"]);
    let zh = CountryNames::new(Lang::Zh, &[("SG".into(), "新加坡".into())]);
    let found: Vec<String> = zh
        .find("位于新加坡的中心，印度尼西亚")
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(found, ["SG", "ID"]);
    let ar = CountryNames::new(Lang::Ar, &[]);
    let found: Vec<String> = ar
        .find("مركز الدعم في سنغافورة والصين")
        .into_iter()
        .map(|x| x.1)
        .collect();
    assert_eq!(found, ["SG", "CN"]);
}

#[test]
fn hostile_text_never_panics() {
    let nasty = "١٢٣٫٤٥٦٬ 〇〇〇万万万万万万万万万万万年 ... ???。。。@@@ a@b. https:// 9999999999999999999999 years 十百千万亿年 \u{0}\u{fffd} ‑‑ - سنتين و";
    for lang in [
        Lang::En,
        Lang::Es,
        Lang::Fr,
        Lang::Pt,
        Lang::Zh,
        Lang::Ar,
        Lang::Other,
    ] {
        let _ = quantities(nasty, lang, &[]);
        let _ = sentences(nasty);
        let _ = negated(nasty, lang);
        let _ = conditional_negation(nasty, lang);
        let _ = CountryNames::new(lang, &[]).find(nasty);
        let _ = acronyms(nasty, &[]);
        let _ = emails(nasty);
        let _ = urls(nasty);
    }
}
