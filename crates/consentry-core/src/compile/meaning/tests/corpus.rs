//! Realistic mistakes a compliance officer or translator makes, each a small patch on the
//! shipped `locales/`, with the finding it must produce (code, file, and the line edited).

use super::Line::{Any, Edited};
use super::Mistake;
use crate::diagnostics::Code::*;

const fn m(
    name: &'static str,
    edits: &'static [(&'static str, &'static str, &'static str)],
    code: crate::diagnostics::Code,
    file: &'static str,
    line: super::Line,
) -> Mistake {
    Mistake {
        name,
        edits,
        code,
        file,
        line,
    }
}

pub(super) const MISTAKES: &[Mistake] = &[
    // Facts files and the companies and authorities the text names (L007, K008, K009).
    m(
        "es facts: the Swiss representative's address moved to Austria",
        &[(
            "es.facts.toml",
            "8001 Zúrich (Suiza)",
            "8001 Zúrich (Austria)",
        )],
        FactTranslationMismatch,
        "es.facts.toml",
        Edited,
    ),
    m(
        "pt facts: the Korean postcode mistyped",
        &[("pt-BR.facts.toml", "Seul 04500", "Seul 04050")],
        FactTranslationMismatch,
        "pt-BR.facts.toml",
        Edited,
    ),
    m(
        "fr facts: the e-mail provider given the ticket system's registered name",
        &[(
            "fr.facts.toml",
            "= \"Example Mailer Ltd. (envoi des e-mails)\"",
            "= \"Example Ticketing Services Ltd. (envoi des e-mails)\"",
        )],
        FactTranslationMismatch,
        "fr.facts.toml",
        Edited,
    ),
    m(
        "es facts: the DPO called oficial de protección de datos",
        &[(
            "es.facts.toml",
            "Delegado de protección de datos de Lumenwave Networks",
            "Oficial de protección de datos de Lumenwave Networks",
        )],
        FactTranslationMismatch,
        "es.facts.toml",
        Edited,
    ),
    m(
        "ar facts: the EU representative given the UK representative's translation",
        &[(
            "ar.facts.toml",
            "\"لومن ويف نتوركس أوروبا (Lumenwave Networks Europe B.V.)\"",
            "\"لومن ويف نتوركس المملكة المتحدة (Lumenwave Networks UK Ltd.)\"",
        )],
        FactTranslationMismatch,
        "ar.facts.toml",
        Edited,
    ),
    m(
        "pt: call recordings made by the chat platform's company",
        &[(
            "pt-BR.ftl",
            "Se você concordar, gravamos suas ligações",
            "Se você concordar, a Example Chat Cloud Inc. grava suas ligações",
        )],
        UnknownOrganisation,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "en: the analytics text names a company no purpose has",
        &[(
            "en.ftl",
            "A measurement service that works for us",
            "Example Metrics GmbH, a measurement service that works for us,",
        )],
        UnknownOrganisation,
        "en.ftl",
        Edited,
    ),
    m(
        "es: the Japanese complaint sends people to the Korean authority",
        &[("es.ftl", "(PPC): { $ppc }.", "(PPC): { $pipc }.")],
        ComplaintLinkMismatch,
        "es.ftl",
        Edited,
    ),
    // Numbers and durations, in every script.
    m(
        "es: 90 días → 5 años in Spanish only",
        &[(
            "es.ftl",
            "Las grabaciones se borran a los { $retention }.",
            "Las grabaciones se borran a los 5 años.",
        )],
        NumberMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "es: 5 años contradicts retention P90D",
        &[(
            "es.ftl",
            "Las grabaciones se borran a los { $retention }.",
            "Las grabaciones se borran a los 5 años.",
        )],
        RetentionMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "en: retention P5Y while the text says 90 days",
        &[
            ("notice.toml", "retention = \"P90D\"", "retention = \"P5Y\""),
            (
                "en.ftl",
                "Recordings are deleted after { $retention }.",
                "Recordings are deleted after 90 days.",
            ),
        ],
        RetentionMismatch,
        "en.ftl",
        Edited,
    ),
    m(
        "es: retention P2Y while the text says 13 meses",
        &[
            ("notice.toml", "retention = \"P13M\"", "retention = \"P2Y\""),
            (
                "es.ftl",
                "y los conserva { $retention }.",
                "y los conserva 13 meses.",
            ),
        ],
        RetentionMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "zh: 90天 → 5年",
        &[(
            "zh-CN.ftl",
            "录音保存{ $retention }后删除。",
            "录音保存5年后删除。",
        )],
        NumberMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: Chinese numerals 五年",
        &[(
            "zh-CN.ftl",
            "录音保存{ $retention }后删除。",
            "录音保存五年后删除。",
        )],
        RetentionMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: fullwidth digits ３０天",
        &[(
            "zh-CN.ftl",
            "录音保存{ $retention }后删除。",
            "录音保存３０天后删除。",
        )],
        RetentionMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: 两年 → 五年 in the marketing text",
        &[("zh-CN.ftl", "起{ $retention }后", "起五年后")],
        RetentionMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: guardian age written as 十六 instead of the age the rules set",
        &[("zh-CN.ftl", "未满{ $age }周岁", "未满十六周岁")],
        NumberMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "ar: Arabic-Indic ٥ سنوات",
        &[(
            "ar.ftl",
            "تُحذف التسجيلات بعد { $retention }.",
            "تُحذف التسجيلات بعد ٥ سنوات.",
        )],
        RetentionMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "ar: the deadline written out as ٣ أشهر instead of the law's",
        &[("ar.ftl", "نرد خلال { $deadline }", "نرد خلال ٣ أشهر")],
        NumberMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "ar: number words ثلاث سنوات for P1Y",
        &[(
            "ar.ftl",
            "نحتفظ بنصوص المحادثات لمدة { $retention }.",
            "نحتفظ بنصوص المحادثات لمدة ثلاث سنوات.",
        )],
        RetentionMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "ar: Eastern Arabic-Indic ۱۶ for the guardian age",
        &[("ar.ftl", "يقل عمره عن { $age } عامًا", "يقل عمره عن ۱۶ عامًا")],
        NumberMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "fr: the deadline written out as trois mois",
        &[(
            "fr.ftl",
            "dans un délai de { $deadline }",
            "dans un délai de trois mois",
        )],
        NumberMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "fr: the guardian age written as 13 ans",
        &[("fr.ftl", "moins de { $age } ans", "moins de 13 ans")],
        NumberMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "es: the deadline written out as tres meses",
        &[(
            "es.ftl",
            "en un plazo de { $deadline }",
            "en un plazo de tres meses",
        )],
        NumberMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "es: the guardian age written as 16 años",
        &[("es.ftl", "menor de { $age } años", "menor de 16 años")],
        NumberMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "pt: the deadline written out as 30 dias",
        &[("pt-BR.ftl", "em até { $deadline }", "em até 30 dias")],
        NumberMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "pt: literal 24 meses for P13M",
        &[(
            "pt-BR.ftl",
            "e os guarda por { $retention }.",
            "e os guarda por 24 meses.",
        )],
        RetentionMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "en: 12 months for P13M",
        &[(
            "en.ftl",
            "keeps it for { $retention }.",
            "keeps it for 12 months.",
        )],
        RetentionMismatch,
        "en.ftl",
        Edited,
    ),
    // Terminology.
    m(
        "zh: 单独 dropped from the cross-border consent",
        &[(
            "zh-CN.ftl",
            "在取得您的单独同意后，我们会将您的工单信息",
            "在取得您的同意后，我们会将您的工单信息",
        )],
        RequiredTermMissing,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: 单独同意 title → 您的同意",
        &[(
            "zh-CN.ftl",
            "separate-consent-title = 单独同意",
            "separate-consent-title = 您的同意",
        )],
        RequiredTermMissing,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: 个人信息保护负责人 → 数据保护官",
        &[(
            "zh-CN.ftl",
            "dpo-heading = 个人信息保护负责人",
            "dpo-heading = 数据保护官",
        )],
        AvoidedTerm,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "zh: 个人信息处理者 → 数据控制者",
        &[(
            "zh-CN.ftl",
            "controller-heading = 个人信息处理者",
            "controller-heading = 数据控制者",
        )],
        AvoidedTerm,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "fr: délégué → responsable de la protection des données",
        &[(
            "fr.ftl",
            "dpo-heading = Délégué à la protection des données",
            "dpo-heading = Responsable de la protection des données",
        )],
        AvoidedTerm,
        "fr.ftl",
        Edited,
    ),
    m(
        "es: responsable del tratamiento → controlador",
        &[(
            "es.ftl",
            "controller-heading = Responsable del tratamiento de sus datos",
            "controller-heading = Controlador de sus datos",
        )],
        RequiredTermMissing,
        "es.ftl",
        Edited,
    ),
    m(
        "pt: encarregado → oficial de proteção de dados",
        &[(
            "pt-BR.ftl",
            "dpo-heading = Encarregado pelo tratamento de dados pessoais",
            "dpo-heading = Oficial de proteção de dados",
        )],
        AvoidedTerm,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "pt: (RGPD) dropped",
        &[(
            "pt-BR.ftl",
            "Regulamento Geral sobre a Proteção de Dados da UE (RGPD)",
            "Regulamento Geral sobre a Proteção de Dados da UE",
        )],
        RequiredTermMissing,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "ar: مسؤول حماية البيانات → ضابط",
        &[(
            "ar.ftl",
            "dpo-heading = مسؤول حماية البيانات",
            "dpo-heading = ضابط حماية البيانات",
        )],
        AvoidedTerm,
        "ar.ftl",
        Edited,
    ),
    // Names, acronyms, addresses, countries.
    m(
        "es: (LGPD) dropped",
        &[(
            "es.ftl",
            "Ley General de Protección de Datos Personales de Brasil (LGPD)",
            "Ley General de Protección de Datos Personales de Brasil",
        )],
        EntityMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "fr: (CCPA/CPRA) dropped",
        &[("fr.ftl", " (CCPA/CPRA)", "")],
        EntityMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "zh: （CCPA/CPRA） dropped",
        &[(
            "zh-CN.ftl",
            "《加利福尼亚州消费者隐私法》（CCPA/CPRA）",
            "《加利福尼亚州消费者隐私法》",
        )],
        EntityMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "ar: Singapore → Japan in the transfer text",
        &[("ar.ftl", "{ -gtac } في سنغافورة", "{ -gtac } في اليابان")],
        EntityMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "es: Singapur → Japón in the banner",
        &[(
            "es.ftl",
            "centro de asistencia en Singapur",
            "centro de asistencia en Japón",
        )],
        EntityMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "en: Japan is not where the data goes",
        &[("en.ftl", "{ -gtac } in Singapore.", "{ -gtac } in Japan.")],
        CountryNotInTransfers,
        "en.ftl",
        Edited,
    ),
    m(
        "pt: e-mail written in the text differs from the mailto link",
        &[(
            "pt-BR.ftl",
            "Escreva para { $privacy-email }.",
            "Escreva para privacidade@example.com.",
        )],
        UnknownEmail,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "en: e-mail written in the text",
        &[(
            "en.ftl",
            "Write to { $privacy-email }.",
            "Write to privacy@example.org.",
        )],
        UnknownEmail,
        "en.ftl",
        Edited,
    ),
    m(
        "fr: label privacy@ for another mailbox",
        &[(
            "fr.ftl",
            "link-do-not-sell = ",
            "link-privacy-email = contact@example.com\nlink-do-not-sell = ",
        )],
        LinkLabelMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "en: label names another web address",
        &[(
            "en.ftl",
            "link-privacy-policy = privacy policy",
            "link-privacy-policy = support.example.com/terms",
        )],
        LinkLabelMismatch,
        "en.ftl",
        Edited,
    ),
    // Placeables.
    m(
        "fr: { -brand } written out",
        &[(
            "fr.ftl",
            "banner-title = Votre vie privée auprès de l’assistance { -brand }",
            "banner-title = Votre vie privée auprès de l’assistance Lumenwave",
        )],
        PlaceableMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "ar: { -brand } written out",
        &[(
            "ar.ftl",
            "full-notice-title = إشعار الخصوصية لدعم { -brand }",
            "full-notice-title = إشعار الخصوصية لدعم لومن ويف",
        )],
        PlaceableMismatch,
        "ar.ftl",
        Edited,
    ),
    // Sentences dropped or added.
    m(
        "fr: refusal sentence dropped",
        &[(
            "fr.ftl",
            "Si vous refusez, nous prenons votre appel quand même, simplement sans l’enregistrer. ",
            "",
        )],
        SentenceMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "pt: refusal sentence dropped from the transfer",
        &[(
            "pt-BR.ftl",
            " Se você não concordar, nossas equipes locais cuidam do chamado, o que pode demorar mais em problemas complexos.",
            "",
        )],
        SentenceMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "zh: sentence added to the chat text",
        &[(
            "zh-CN.ftl",
            "聊天记录保存{ $retention }。",
            "聊天记录保存{ $retention }。我们还可能将聊天记录提供给合作伙伴，用于改进其产品和推送广告。",
        )],
        SentenceMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "es: sentence added that promises something else",
        &[(
            "es.ftl",
            "recoge estos datos y los conserva { $retention }.",
            "recoge estos datos y los conserva { $retention }. También compartimos estos datos con anunciantes que pueden usarlos para mostrarte publicidad personalizada.",
        )],
        SentenceMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "ar: sentence dropped from the separate consent",
        &[("ar.ftl", " إذا لم توافق، فلن يتغير أي شيء آخر.", "")],
        SentenceMismatch,
        "ar.ftl",
        Edited,
    ),
    // Negation and reversed meaning.
    m(
        "pt: disagree says Concordo",
        &[(
            "pt-BR.ftl",
            "disagree = Não concordo",
            "disagree = Concordo",
        )],
        NegationMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "pt: agree says Não concordo",
        &[("pt-BR.ftl", "agree = Concordo", "agree = Não concordo")],
        NegationMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "pt: we still take your call → we do not",
        &[(
            "pt-BR.ftl",
            "Se você não concordar, atendemos a ligação normalmente, só que sem gravar.",
            "Se você não concordar, não atendemos a ligação.",
        )],
        NegationMismatch,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "es: not dropped from the GPC statement",
        &[(
            "es.ftl",
            "de que no vendamos ni compartamos sus datos, para",
            "de que vendamos y compartamos sus datos, para",
        )],
        NegationMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "fr: non-discrimination reversed",
        &[(
            "fr.ftl",
            "Exercer vos droits ne vous vaudra aucun traitement moins favorable.",
            "Exercer vos droits vous vaudra un traitement moins favorable.",
        )],
        NegationMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "ar: not to sell → to sell",
        &[(
            "ar.ftl",
            "أن تطلب عدم بيع بياناتك أو مشاركتها وعدم استخدامها",
            "أن تطلب بيع بياناتك أو مشاركتها واستخدامها",
        )],
        NegationMismatch,
        "ar.ftl",
        Edited,
    ),
    m(
        "zh: nothing else changes → others are affected",
        &[(
            "zh-CN.ftl",
            "如您不同意，其他选择均不受影响。",
            "如您不同意，其他选择均会受到影响。",
        )],
        NegationMismatch,
        "zh-CN.ftl",
        Edited,
    ),
    // Two different messages that read the same.
    m(
        "es: reject-all reads Aceptar todo",
        &[(
            "es.ftl",
            "reject-all = Rechazar todo",
            "reject-all = Aceptar todo",
        )],
        ConflatedMessages,
        "es.ftl",
        Edited,
    ),
    m(
        "zh: reject-all reads 全部同意",
        &[(
            "zh-CN.ftl",
            "reject-all = 全部拒绝",
            "reject-all = 全部同意",
        )],
        ConflatedMessages,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "es: disagree reads Acepto",
        &[("es.ftl", "disagree = No acepto", "disagree = Acepto")],
        ConflatedMessages,
        "es.ftl",
        Edited,
    ),
    m(
        "fr: reject-all reads Tout accepter",
        &[(
            "fr.ftl",
            "reject-all = Tout refuser",
            "reject-all = Tout accepter",
        )],
        NegationMismatch,
        "fr.ftl",
        Any,
    ),
    // Promises the default text makes, dropped or turned around (P007, P008).
    m(
        "es: the banner's consent condition dropped",
        &[("es.ftl", "Si lo acepta, además grabamos", "Además grabamos")],
        PromiseMarkerMissing,
        "es.ftl",
        Edited,
    ),
    m(
        "fr: withdraw at any time → once a year",
        &[(
            "fr.ftl",
            "Retirer votre consentement à tout moment,",
            "Retirer votre consentement une fois par an,",
        )],
        PromiseMarkerMissing,
        "fr.ftl",
        Edited,
    ),
    m(
        "pt: answering costs nothing → for a fee",
        &[("pt-BR.ftl", ", sem nenhum custo.", ", mediante uma taxa.")],
        PromiseMarkerMissing,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "zh: support whatever you choose → according to your choice",
        &[(
            "zh-CN.ftl",
            "无论您如何选择，我们都会为您提供您所请求的技术支持服务。",
            "我们会根据您的选择提供您所请求的技术支持服务。",
        )],
        PromiseMarkerMissing,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "ar: separately dropped from the separate-consent label",
        &[(
            "ar.ftl",
            "نطلب موافقتك على ذلك بشكل منفصل",
            "نطلب موافقتك على ذلك",
        )],
        PromiseMarkerMissing,
        "ar.ftl",
        Edited,
    ),
    m(
        "es: sold or shared → shared with partners",
        &[(
            "es.ftl",
            "category-sold = Se venden o se comparten con fines publicitarios",
            "category-sold = Se comparten con socios",
        )],
        PromiseMarkerMissing,
        "es.ftl",
        Edited,
    ),
    m(
        "pt: on until you switch it off → off until you switch it on",
        &[(
            "pt-BR.ftl",
            "opt-out-label = Ativado até você desativar",
            "opt-out-label = Desativado até você ativar",
        )],
        SaysTheOpposite,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "fr: a child under the age → over it",
        &[(
            "fr.ftl",
            "de moins de { $age } ans",
            "de plus de { $age } ans",
        )],
        SaysTheOpposite,
        "fr.ftl",
        Edited,
    ),
    m(
        "ar: the strictest rules → the least strict",
        &[(
            "ar.ftl",
            "لذا تُطبّق أكثر القواعد صرامة",
            "لذا تُطبّق أقل القواعد صرامة",
        )],
        SaysTheOpposite,
        "ar.ftl",
        Edited,
    ),
    m(
        "es: off because of GPC → on",
        &[(
            "es.ftl",
            "gpc-held-label = Desactivado por la señal",
            "gpc-held-label = Activado por la señal",
        )],
        SaysTheOpposite,
        "es.ftl",
        Edited,
    ),
    m(
        "zh: always on → always off",
        &[(
            "zh-CN.ftl",
            "required-purpose = 必要功能，始终开启",
            "required-purpose = 必要功能，始终关闭",
        )],
        SaysTheOpposite,
        "zh-CN.ftl",
        Edited,
    ),
    // "not" kept elsewhere in the sentence: correlatives, clauses, "but" (P005).
    m(
        "es: 'no vendamos ni compartamos' loses its 'no'",
        &[(
            "es.ftl",
            "de que no vendamos ni compartamos su información personal",
            "de que vendamos ni compartamos su información personal",
        )],
        NegationMismatch,
        "es.ftl",
        Edited,
    ),
    m(
        "fr: neither sold nor shared → not sold, but shared",
        &[(
            "fr.ftl",
            "category-not-sold = Ni vendues ni partagées",
            "category-not-sold = Pas vendues, mais partagées",
        )],
        NegationMismatch,
        "fr.ftl",
        Edited,
    ),
    m(
        "fr: the refused call is recorded after all",
        &[(
            "fr.ftl",
            "nous prenons votre appel quand même, simplement sans l’enregistrer.",
            "nous prenons votre appel quand même, en l’enregistrant.",
        )],
        NegationMismatch,
        "fr.ftl",
        Edited,
    ),
    // The buttons (D006, D007).
    m(
        "pt: reject-all 'not recommended'",
        &[(
            "pt-BR.ftl",
            "reject-all = Recusar tudo",
            "reject-all = Recusar tudo (não recomendado)",
        )],
        UnequalChoiceLabels,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "ar: accept-all 'recommended'",
        &[(
            "ar.ftl",
            "accept-all = قبول الكل",
            "accept-all = قبول الكل (موصى به)",
        )],
        UnequalChoiceLabels,
        "ar.ftl",
        Edited,
    ),
    m(
        "en: confirmshaming disagree",
        &[(
            "en.ftl",
            "disagree = I do not agree",
            "disagree = No, I will take the slow lane",
        )],
        UnequalChoiceLabels,
        "en.ftl",
        Edited,
    ),
    m(
        "zh: open-settings agrees first",
        &[(
            "zh-CN.ftl",
            "open-settings = 逐项选择",
            "open-settings = 同意并逐项选择",
        )],
        LabelContradictsAction,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "pt: save-choices accepts",
        &[(
            "pt-BR.ftl",
            "save-choices = Salvar minhas escolhas",
            "save-choices = Aceitar e salvar",
        )],
        LabelContradictsAction,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "es: withdraw-all reads as accepting",
        &[(
            "es.ftl",
            "withdraw-all = Retirar todos los consentimientos",
            "withdraw-all = Aceptar y cerrar",
        )],
        LabelContradictsAction,
        "es.ftl",
        Edited,
    ),
    // Consent stated, refusal free (D008, D009).
    m(
        "en: the chat purpose no longer says 'if you agree'",
        &[(
            "en.ftl",
            "purpose-chat-transcript-description = If you agree, we keep",
            "purpose-chat-transcript-description = We keep",
        )],
        ConsentNotStated,
        "en.ftl",
        Edited,
    ),
    m(
        "fr: refusing costs the support",
        &[(
            "fr.ftl",
            "Si vous n’acceptez pas, rien d’autre ne change.",
            "Si vous n’acceptez pas, vous ne pourrez pas utiliser l’assistance.",
        )],
        RefusalPenalty,
        "fr.ftl",
        Edited,
    ),
    m(
        "pt: the support does not work without consent",
        &[(
            "pt-BR.ftl",
            "O suporte que você solicitou funciona do mesmo jeito, qualquer que seja a sua escolha.",
            "O suporte que você solicitou não funcionará sem o seu consentimento.",
        )],
        RefusalPenalty,
        "pt-BR.ftl",
        Edited,
    ),
    // The law's labels (T001 with the pins T004 asks for, T004).
    m(
        "pt: the contract basis labelled as a legal obligation",
        &[(
            "pt-BR.ftl",
            "legal-basis-contract = Necessário para prestar o suporte que você pediu",
            "legal-basis-contract = Exigido por lei",
        )],
        RequiredTermMissing,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "zh: complaints to the market regulator instead of the CAC",
        &[(
            "zh-CN.ftl",
            "可以向国家网信部门举报",
            "可以向市场监督管理部门举报",
        )],
        RequiredTermMissing,
        "zh-CN.ftl",
        Edited,
    ),
    m(
        "es: the processors label unpinned",
        &[(
            "es.terms.toml",
            "messages = [\"processors-label\"]\nuse = [\"encargados del tratamiento\", \"encargado del tratamiento\"]",
            "messages = [\"close\"]\nuse = [\"Cerrar\"]",
        )],
        UnpinnedLegalLabel,
        "es.ftl",
        Any,
    ),
    // A special category of data the default text does not name (P010).
    m(
        "fr: call recordings become a voice print",
        &[(
            "fr.ftl",
            "data-category-call-audio = Enregistrements de vos appels",
            "data-category-call-audio = Enregistrements de vos appels et empreinte vocale",
        )],
        SensitiveDataAdded,
        "fr.ftl",
        Edited,
    ),
    m(
        "zh: contact details gain the ID card number",
        &[(
            "zh-CN.ftl",
            "data-category-contact-details = 姓名、电子邮箱和电话号码",
            "data-category-contact-details = 姓名、电子邮箱、电话号码和身份证号码",
        )],
        SensitiveDataAdded,
        "zh-CN.ftl",
        Edited,
    ),
    // A charge or business days a translation adds (P011).
    m(
        "pt: access to your data for a fee",
        &[(
            "pt-BR.ftl",
            "receber uma cópia deles.",
            "receber uma cópia deles mediante pagamento de taxa.",
        )],
        ConditionAdded,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "pt: the LGPD deadline counted in business days",
        &[(
            "pt-BR.ftl",
            "Respondemos em até { $deadline }, sem nenhum custo.",
            "Respondemos em até { $deadline } úteis, sem nenhum custo.",
        )],
        ConditionAdded,
        "pt-BR.ftl",
        Edited,
    ),
    m(
        "ar: China's PIPL named as its Data Security Law",
        &[(
            "ar.ftl",
            "regime-cn-pipl = قانون حماية المعلومات الشخصية في الصين (PIPL)",
            "regime-cn-pipl = قانون أمن البيانات في الصين (PIPL)",
        )],
        RequiredTermMissing,
        "ar.ftl",
        Edited,
    ),
    m(
        "es: the support mailbox named as social media",
        &[(
            "es.ftl",
            "channel-mailbox = Buzón de asistencia",
            "channel-mailbox = Redes sociales",
        )],
        RequiredTermMissing,
        "es.ftl",
        Edited,
    ),
    m(
        "zh: a law name unpinned",
        &[(
            "zh-CN.terms.toml",
            "messages = [\"regime-kr-pipa\"]",
            "messages = [\"close\"]",
        )],
        UnpinnedLegalLabel,
        "zh-CN.ftl",
        Any,
    ),
    // Link labels, the default text, lengths (P006, P007 at en.ftl, P009).
    m(
        "fr: the request form labelled as the privacy policy",
        &[(
            "fr.ftl",
            "link-data-request = formulaire d’exercice des droits",
            "link-data-request = politique de confidentialité",
        )],
        ConflatedMessages,
        "fr.ftl",
        Edited,
    ),
    m(
        "en: a promise added in English that no translation follows",
        &[(
            "en.ftl",
            "right-explanation = Ask us to explain",
            "right-explanation = Ask us at any time to explain",
        )],
        PromiseMarkerMissing,
        "en.ftl",
        Edited,
    ),
    m(
        "fr: the ad network clause dropped from a long sentence",
        &[(
            "fr.ftl",
            ", et nous permettons à une régie publicitaire de reconnaître votre adresse e-mail afin de vous présenter nos publicités sur d’autres sites.",
            ".",
        )],
        LengthOutOfLine,
        "fr.ftl",
        Edited,
    ),
];
