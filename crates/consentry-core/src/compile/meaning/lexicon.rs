//! Per-language lexicons of meaning, kept in one place: the promises a notice makes ("if you
//! agree", "separately", "at any time", "free of charge", "whatever you choose", selling), the
//! opposite pairs a translation can swap (on / off, under / over an age, deleted / kept,
//! strictest / least strict), and the words of the choice buttons and of refusal (accept verbs,
//! nudges, revoking, a service denied).
//!
//! Phrases are written as people write them and folded when a [`Lexicon`] is built (lower
//! case, accents removed, one alef, no Arabic marks, `’` as `'`, one space). A phrase matches
//! whole words (Han text anywhere; an Arabic word may take a prefix such as و, ب, ال); a
//! trailing `*` lets the last word go on (`acept*` is `acepto`, `aceptar`), a leading `^` ties
//! it to the start of the text, and a trailing `#` requires a number or a `{ placeable }` next
//! (`under#`: an age). Every language also gets the English phrases of the kinds it has, so a
//! quoted English word counts as it does in English. A text is scanned once: each position
//! looks up the phrases by their first character, so the scan is linear in the text.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::ops::Range;

use super::text::{digit_value, fold_char, is_han};

/// A promise or a state the text can state, in any language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Concept {
    /// "If you agree": the processing depends on consent.
    Consent,
    /// "Separately": consent asked on its own.
    Separately,
    /// "At any time".
    AnyTime,
    /// "Free of charge".
    FreeOfCharge,
    /// "Whatever you choose": the service works either way.
    Regardless,
    /// Selling personal information (not sold is a negation of it).
    Sale,
    /// On (`true`) / off (`false`).
    Switch,
    /// Under (`true`) / over (`false`) an age.
    Age,
    /// Deleted (`true`) / kept (`false`).
    Deletion,
    /// The strictest (`true`) / the least strict (`false`) rules.
    Strictness,
    /// A special category of personal data (biometric, an identity document number, health,
    /// beliefs, origin, sex life, criminal records, precise location): GDPR Art. 9–10, PIPL
    /// Art. 28, LGPD Art. 5 II, CPRA §1798.140(ae). A translation that names one its default
    /// text does not tells its readers of processing the notice does not declare (P010).
    Sensitive,
    /// A charge for what the notice offers ("for a fee"): rights are exercised free of charge
    /// (GDPR Art. 12(5), LGPD Art. 18 §5, PIPL Art. 50, CCPA §1798.130): P011 when added.
    Charge,
    /// A deadline counted in business days where the law counts calendar days: P011 when
    /// added.
    BusinessDays,
}

impl Concept {
    /// Every concept, in order.
    pub(crate) const ALL: [Concept; 13] = [
        Consent,
        Separately,
        AnyTime,
        FreeOfCharge,
        Regardless,
        Sale,
        Switch,
        Age,
        Deletion,
        Strictness,
        Sensitive,
        Charge,
        BusinessDays,
    ];

    /// Whether the concept has an opposite (`false` side).
    pub(crate) fn paired(self) -> bool {
        matches!(self, Switch | Age | Deletion | Strictness)
    }

    /// How findings name one side of the concept.
    pub(crate) fn name(self, plus: bool) -> &'static str {
        match (self, plus) {
            (Consent, _) => "the consent condition (\"if you agree\")",
            (Separately, _) => "\"separately\"",
            (AnyTime, _) => "\"at any time\"",
            (FreeOfCharge, _) => "\"free of charge\"",
            (Regardless, _) => "\"whatever you choose\"",
            (Sale, _) => "selling",
            (Switch, true) => "\"on\"",
            (Switch, false) => "\"off\"",
            (Age, true) => "\"under\" an age",
            (Age, false) => "\"over\" an age",
            (Deletion, true) => "\"deleted\"",
            (Deletion, false) => "\"kept\"",
            (Strictness, true) => "\"the strictest\"",
            (Strictness, false) => "\"the least strict\"",
            (Sensitive, _) => "a special category of personal data",
            (Charge, _) => "a charge",
            (BusinessDays, _) => "a deadline in business days",
        }
    }
}

/// What a phrase of the lexicon says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    /// One side of a concept.
    Mark(Concept, bool),
    /// A verb of accepting or agreeing (a choice button that says yes).
    Accept,
    /// A word that steers the choice ("recommended", "déconseillé", "可能影响").
    Nudge,
    /// A verb of withdrawing (what follows it is withdrawn, not given).
    Revoke,
    /// Refusing denies or degrades the service ("you cannot use", "no podrá").
    Penalty,
}

use Concept::*;
use Kind::{Accept, Mark, Nudge, Penalty, Revoke};

/// (kind, language subtag, phrases).
type Entry = (Kind, &'static str, &'static [&'static str]);

/// The lexicons. Learned from the shipped locales and the ways translators write the same
/// promise; add a language by adding its rows.
const ENTRIES: &[Entry] = &[
    // Consent: the processing depends on a yes.
    (
        Mark(Consent, true),
        "en",
        &[
            "if you agree",
            "if you consent",
            "with your consent",
            "once you agree",
            "only if you agree",
            "subject to your consent",
            "if you give us your consent",
            "if you give your consent",
            "if you say yes",
            "if you accept",
        ],
    ),
    (
        Mark(Consent, true),
        "es",
        &[
            "si acepta",
            "si aceptas",
            "si lo acepta",
            "si lo aceptas",
            "si la acepta",
            "si la aceptas",
            "si usted acepta",
            "si está de acuerdo",
            "si estás de acuerdo",
            "si nos da su consentimiento",
            "si nos das tu consentimiento",
            "si da su consentimiento",
            "si das tu consentimiento",
            "con su consentimiento",
            "con tu consentimiento",
            "previo consentimiento",
            "si consiente",
            "si consientes",
            "si lo autoriza",
            "si lo autorizas",
            "si dice que sí",
            "si dices que sí",
        ],
    ),
    (
        Mark(Consent, true),
        "fr",
        &[
            "si vous acceptez",
            "si vous l'acceptez",
            "si vous les acceptez",
            "si vous y consentez",
            "si vous êtes d'accord",
            "si vous donnez votre consentement",
            "si vous nous donnez votre consentement",
            "avec votre consentement",
            "avec votre accord",
            "sous réserve de votre consentement",
            "si vous dites oui",
            "si tu acceptes",
        ],
    ),
    (
        Mark(Consent, true),
        "pt",
        &[
            "se você concordar",
            "se concordar",
            "caso concorde",
            "caso você concorde",
            "se você aceitar",
            "se aceitar",
            "se você consentir",
            "se você autorizar",
            "se você der o seu consentimento",
            "se você der seu consentimento",
            "com o seu consentimento",
            "com seu consentimento",
            "mediante o seu consentimento",
            "mediante seu consentimento",
            "se você disser sim",
        ],
    ),
    (
        Mark(Consent, true),
        "zh",
        &[
            "如您同意",
            "如果您同意",
            "若您同意",
            "经您同意",
            "经过您的同意",
            "经您单独同意",
            "在您同意后",
            "您同意后",
            "在您同意的情况下",
            "基于您的同意",
            "取得您的同意",
            "征得您的同意",
            "取得您的单独同意",
            "征得您的单独同意",
        ],
    ),
    (
        Mark(Consent, true),
        "ar",
        &[
            "إذا وافقت",
            "إن وافقت",
            "بموافقتك",
            "في حال موافقتك",
            "عند موافقتك",
            "بعد موافقتك",
            "بعد الحصول على موافقتك",
            "إذا منحتنا موافقتك",
            "شرط موافقتك",
            "إذا قبلت",
        ],
    ),
    // Languages with only the consent phrases (D005 and D008 there; no parity lexicon).
    (
        Mark(Consent, true),
        "de",
        &[
            "wenn sie zustimmen",
            "mit ihrer einwilligung",
            "wenn sie einwilligen",
        ],
    ),
    (
        Mark(Consent, true),
        "it",
        &["se acconsenti", "con il tuo consenso", "se accetti"],
    ),
    (
        Mark(Consent, true),
        "ja",
        &["同意いただける場合", "同意された場合", "ご同意"],
    ),
    (Mark(Consent, true), "ko", &["동의하시면", "동의하는 경우"]),
    // Separately.
    (
        Mark(Separately, true),
        "en",
        &[
            "separately",
            "separate consent",
            "its own consent",
            "consent of its own",
        ],
    ),
    (
        Mark(Separately, true),
        "es",
        &[
            "por separado",
            "separad*",
            "independiente*",
            "consentimiento propio",
            "aparte",
        ],
    ),
    (
        Mark(Separately, true),
        "fr",
        &["séparément", "distinct*", "à part"],
    ),
    (
        Mark(Separately, true),
        "pt",
        &[
            "em separado",
            "separad*",
            "consentimento próprio",
            "à parte",
        ],
    ),
    (Mark(Separately, true), "zh", &["单独"]),
    (Mark(Separately, true), "ar", &["منفصل*", "مستقل*"]),
    // At any time.
    (
        Mark(AnyTime, true),
        "en",
        &[
            "at any time",
            "any time",
            "anytime",
            "whenever you want",
            "whenever you like",
            "whenever you wish",
        ],
    ),
    (
        Mark(AnyTime, true),
        "es",
        &[
            "en cualquier momento",
            "en todo momento",
            "cuando quiera",
            "cuando quieras",
            "cuando lo desee",
            "cuando lo desees",
        ],
    ),
    (
        Mark(AnyTime, true),
        "fr",
        &[
            "à tout moment",
            "à n'importe quel moment",
            "n'importe quand",
            "quand vous le souhaitez",
            "quand vous voulez",
            "en tout temps",
        ],
    ),
    (
        Mark(AnyTime, true),
        "pt",
        &[
            "a qualquer momento",
            "em qualquer momento",
            "a todo momento",
            "quando quiser",
            "quando você quiser",
        ],
    ),
    (Mark(AnyTime, true), "zh", &["随时", "任何时候", "任何时间"]),
    (
        Mark(AnyTime, true),
        "ar",
        &["في أي وقت", "في اي وقت", "متى شئت", "في كل وقت"],
    ),
    // Free of charge.
    (
        Mark(FreeOfCharge, true),
        "en",
        &[
            "free of charge",
            "for free",
            "costs you nothing",
            "cost you nothing",
            "at no cost",
            "no charge",
            "without charge",
        ],
    ),
    (
        Mark(FreeOfCharge, true),
        "es",
        &["gratuit*", "gratis", "sin coste", "sin costo", "sin cargo"],
    ),
    (
        Mark(FreeOfCharge, true),
        "fr",
        &["gratuit*", "sans frais", "sans aucun frais"],
    ),
    (
        Mark(FreeOfCharge, true),
        "pt",
        &[
            "gratuit*",
            "sem nenhum custo",
            "sem custo",
            "sem qualquer custo",
            "sem cobrança",
            "de graça",
        ],
    ),
    (
        Mark(FreeOfCharge, true),
        "zh",
        &["免费", "不收取任何费用", "不收费", "不收取费用"],
    ),
    (
        Mark(FreeOfCharge, true),
        "ar",
        &[
            "مجان*",
            "دون أي تكلفة",
            "بدون أي تكلفة",
            "دون مقابل",
            "بلا مقابل",
            "بلا تكلفة",
        ],
    ),
    // Special categories of personal data (whole words; `*` a prefix).
    (
        Mark(Sensitive, true),
        "en",
        &[
            "biometric*",
            "voice print*",
            "voiceprint*",
            "fingerprint*",
            "facial recognition",
            "face scan*",
            "identity card number*",
            "id card number*",
            "national id*",
            "passport number*",
            "social security number*",
            "health",
            "medical",
            "religious",
            "religion",
            "ethnic*",
            "racial",
            "sexual orientation",
            "sex life",
            "criminal record*",
            "criminal conviction*",
            "trade union*",
            "political opinion*",
            "genetic*",
            "precise geolocation",
            "precise location",
        ],
    ),
    (
        Mark(Sensitive, true),
        "es",
        &[
            "biométric*",
            "huella de voz",
            "huella vocal",
            "huellas vocales",
            "huella dactilar",
            "huellas dactilares",
            "reconocimiento facial",
            "número de identificación",
            "número de documento de identidad",
            "dni",
            "número de pasaporte",
            "salud",
            "médico",
            "médica",
            "médicos",
            "médicas",
            "religi*",
            "étnic*",
            "racial*",
            "orientación sexual",
            "vida sexual",
            "antecedentes penales",
            "sindical*",
            "opiniones políticas",
            "genétic*",
            "geolocalización precisa",
            "ubicación precisa",
        ],
    ),
    (
        Mark(Sensitive, true),
        "fr",
        &[
            "biométrique*",
            "empreinte vocale",
            "empreintes vocales",
            "empreinte digitale",
            "empreintes digitales",
            "reconnaissance faciale",
            "numéro de carte d'identité",
            "numéro d'identité",
            "numéro de passeport",
            "numéro de sécurité sociale",
            "santé",
            "médical*",
            "médicale*",
            "religi*",
            "ethnique*",
            "racial*",
            "orientation sexuelle",
            "vie sexuelle",
            "casier judiciaire",
            "condamnations pénales",
            "syndica*",
            "opinions politiques",
            "génétique*",
            "géolocalisation précise",
            "localisation précise",
        ],
    ),
    (
        Mark(Sensitive, true),
        "pt",
        &[
            "biométric*",
            "impressão vocal",
            "impressões vocais",
            "impressão digital",
            "impressões digitais",
            "reconhecimento facial",
            "número de identidade",
            "número do rg",
            "número do cpf",
            "cpf",
            "número do passaporte",
            "saúde",
            "médico",
            "médica",
            "médicos",
            "médicas",
            "religi*",
            "étnic*",
            "racial",
            "orientação sexual",
            "vida sexual",
            "antecedentes criminais",
            "sindica*",
            "opinião política",
            "opiniões políticas",
            "genétic*",
            "geolocalização precisa",
            "localização precisa",
        ],
    ),
    (
        Mark(Sensitive, true),
        "zh",
        &[
            "生物识别",
            "声纹",
            "指纹",
            "人脸",
            "面部识别",
            "身份证",
            "护照号",
            "社会保障号",
            "健康",
            "医疗",
            "宗教",
            "民族",
            "种族",
            "性取向",
            "犯罪记录",
            "行踪轨迹",
            "精确位置",
            "精准定位",
            "金融账户",
            "银行账号",
            "银行账户",
            "特定身份",
        ],
    ),
    (
        Mark(Sensitive, true),
        "ar",
        &[
            "البيومترية",
            "بيومترية",
            "البصمة الصوتية",
            "بصمة الصوت",
            "البصمات الصوتية",
            "بصمة الإصبع",
            "بصمات الأصابع",
            "التعرف على الوجه",
            "رقم الهوية",
            "بطاقة الهوية",
            "جواز السفر",
            "الصحية",
            "صحية",
            "الصحة",
            "الطبية",
            "طبية",
            "الديانة",
            "المعتقد الديني",
            "المعتقدات الدينية",
            "العرقي*",
            "الإثني*",
            "التوجه الجنسي",
            "الحياة الجنسية",
            "السجل الجنائي",
            "السوابق الجنائية",
            "النقابي*",
            "الآراء السياسية",
            "الجيني*",
            "الوراثية",
            "الموقع الدقيق",
        ],
    ),
    // A charge (never the "free of charge" phrases: each side is its own kind).
    (
        Mark(Charge, true),
        "en",
        &[
            "for a fee",
            "a fee",
            "a reasonable fee",
            "an administrative fee",
            "we charge",
            "charge you",
            "subject to payment",
            "against payment",
            "at your expense",
            "at your own expense",
        ],
    ),
    (
        Mark(Charge, true),
        "es",
        &[
            "mediante pago",
            "previo pago",
            "con coste",
            "con costo",
            "tiene un coste",
            "tiene un costo",
            "tendrá un coste",
            "tendrá un costo",
            "una tarifa",
            "una tasa",
            "un cargo",
            "pagando",
        ],
    ),
    (
        Mark(Charge, true),
        "fr",
        &[
            "moyennant paiement",
            "moyennant des frais",
            "moyennant un paiement",
            "contre paiement",
            "payant",
            "payante",
            "des frais",
            "à vos frais",
        ],
    ),
    (
        Mark(Charge, true),
        "pt",
        &[
            "mediante pagamento",
            "mediante o pagamento",
            "pagamento de taxa",
            "uma taxa",
            "com custo",
            "tem um custo",
            "cobraremos",
            "será cobrad*",
        ],
    ),
    (
        Mark(Charge, true),
        "zh",
        &[
            "需付费",
            "付费",
            "需支付",
            "支付费用",
            "有偿",
            "收取一定费用",
            "须缴费",
        ],
    ),
    (
        Mark(Charge, true),
        "ar",
        &[
            "مقابل رسوم",
            "برسوم",
            "رسوم إدارية",
            "بمقابل مادي",
            "على نفقتك",
        ],
    ),
    // Business days.
    (
        Mark(BusinessDays, true),
        "en",
        // `{deadline}` is the law's period in words ("15 days"), filled in by the widget.
        &[
            "business day*",
            "working day*",
            "workday*",
            "{deadline} business",
            "{deadline} working",
        ],
    ),
    (
        Mark(BusinessDays, true),
        "es",
        &[
            "días hábiles",
            "día hábil",
            "días laborables",
            "día laborable",
            "{deadline} hábiles",
            "{deadline} laborables",
        ],
    ),
    (
        Mark(BusinessDays, true),
        "fr",
        &[
            "jours ouvrés",
            "jours ouvrables",
            "jour ouvré",
            "jour ouvrable",
            "{deadline} ouvrés",
            "{deadline} ouvrables",
        ],
    ),
    (
        Mark(BusinessDays, true),
        "pt",
        &["dias úteis", "dia útil", "{deadline} úteis"],
    ),
    (Mark(BusinessDays, true), "zh", &["工作日"]),
    (
        Mark(BusinessDays, true),
        "ar",
        &["أيام عمل", "أيام العمل", "يوم عمل", "{deadline} عمل"],
    ),
    // The service works whatever the choice.
    (
        Mark(Regardless, true),
        "en",
        &[
            "whatever you choose",
            "whatever you decide",
            "either way",
            "regardless",
            "in any case",
            "no matter",
            "whether or not you",
        ],
    ),
    (
        Mark(Regardless, true),
        "es",
        &[
            "elija lo que elija",
            "elijas lo que elijas",
            "decida lo que decida",
            "en cualquier caso",
            "de todos modos",
            "de todas formas",
            "sea cual sea",
            "independientemente",
            "igualmente",
        ],
    ),
    (
        Mark(Regardless, true),
        "fr",
        &[
            "quel que soit",
            "quelle que soit",
            "quels que soient",
            "quelles que soient",
            "de toute façon",
            "dans tous les cas",
            "en tout cas",
            "indépendamment",
        ],
    ),
    (
        Mark(Regardless, true),
        "pt",
        &[
            "qualquer que seja",
            "quaisquer que sejam",
            "de qualquer forma",
            "de qualquer jeito",
            "de qualquer maneira",
            "em qualquer caso",
            "independentemente",
        ],
    ),
    (Mark(Regardless, true), "zh", &["无论", "不论", "不管"]),
    (
        Mark(Regardless, true),
        "ar",
        &[
            "أيا كان",
            "أيًّا كان",
            "في جميع الأحوال",
            "في كل الأحوال",
            "على أي حال",
            "بغض النظر",
        ],
    ),
    // Selling.
    (
        Mark(Sale, true),
        "en",
        &["sell", "sells", "selling", "sold", "sale"],
    ),
    (Mark(Sale, true), "es", &["vend*", "venta*"]),
    (Mark(Sale, true), "fr", &["vend*", "vente*"]),
    (Mark(Sale, true), "pt", &["vend*", "venda*"]),
    (Mark(Sale, true), "zh", &["出售", "售卖", "销售", "卖"]),
    (
        Mark(Sale, true),
        "ar",
        &["بيع*", "تباع", "يباع", "تبيع*", "نبيع*", "يبيع*", "مبيع*"],
    ),
    // On / off.
    (
        Mark(Switch, true),
        "en",
        &[
            "^on",
            "on until",
            "on by default",
            "always on",
            "is on",
            "stays on",
            "remains on",
            "switched on",
            "turned on",
            "switch it on",
            "turn it on",
            "switch this on",
            "switch them on",
            "enabled",
        ],
    ),
    (
        Mark(Switch, false),
        "en",
        &[
            "^off",
            "off until",
            "off by default",
            "off because",
            "is off",
            "stays off",
            "remains off",
            "switched off",
            "turned off",
            "switch off",
            "turn off",
            "switch it off",
            "turn it off",
            "switch this off",
            "switch them off",
            "disabled",
            "deactivated",
        ],
    ),
    (
        Mark(Switch, true),
        "es",
        &[
            "activad*",
            "activo",
            "activa",
            "activos",
            "activas",
            "activar*",
            "active",
            "activen",
            "actívelo",
            "actívela",
            "encendid*",
            "habilitad*",
        ],
    ),
    (
        Mark(Switch, false),
        "es",
        &[
            "desactiv*",
            "apagad*",
            "apague",
            "apagar*",
            "deshabilitad*",
            "inactiv*",
        ],
    ),
    (
        Mark(Switch, true),
        "fr",
        &[
            "activé",
            "activée",
            "activés",
            "activées",
            "actif",
            "actifs",
            "active",
            "activer",
            "activez",
            "activiez",
            "activera",
            "activerez",
        ],
    ),
    (
        Mark(Switch, false),
        "fr",
        &["désactiv*", "inactif*", "inactive*"],
    ),
    (
        Mark(Switch, true),
        "pt",
        &[
            "ativad*",
            "ativo",
            "ativa",
            "ativos",
            "ativas",
            "ativar*",
            "ative",
            "ativem",
            "ligad*",
            "habilitad*",
        ],
    ),
    (
        Mark(Switch, false),
        "pt",
        &["desativ*", "desligad*", "desligar*", "desligue", "inativ*"],
    ),
    (
        Mark(Switch, true),
        "zh",
        &["开启", "打开", "启用", "已开", "开着", "开通"],
    ),
    (Mark(Switch, false), "zh", &["关闭", "停用", "禁用", "已关"]),
    (
        Mark(Switch, true),
        "ar",
        &["مفعل*", "تفعيل*", "يفعل", "تفعله", "مشغل", "تشغيل*"],
    ),
    (
        Mark(Switch, false),
        "ar",
        &["متوقف*", "توقفه", "إيقاف*", "معطل*", "أوقف*", "يتوقف"],
    ),
    // Under / over an age (a number or { $age } follows).
    (
        Mark(Age, true),
        "en",
        &["under#", "below#", "younger than#", "less than#"],
    ),
    (
        Mark(Age, false),
        "en",
        &["over#", "above#", "older than#", "at least#", "more than#"],
    ),
    (
        Mark(Age, true),
        "es",
        &["menor de#", "menores de#", "menos de#", "por debajo de#"],
    ),
    (
        Mark(Age, false),
        "es",
        &[
            "mayor de#",
            "mayores de#",
            "más de#",
            "al menos#",
            "por lo menos#",
            "a partir de#",
        ],
    ),
    (
        Mark(Age, true),
        "fr",
        &["moins de#", "en dessous de#", "inférieur à#"],
    ),
    (
        Mark(Age, false),
        "fr",
        &["plus de#", "au moins#", "à partir de#", "supérieur à#"],
    ),
    (
        Mark(Age, true),
        "pt",
        &["menos de#", "menor de#", "menores de#", "abaixo de#"],
    ),
    (
        Mark(Age, false),
        "pt",
        &[
            "mais de#",
            "maior de#",
            "maiores de#",
            "pelo menos#",
            "a partir de#",
            "acima de#",
        ],
    ),
    (Mark(Age, true), "zh", &["未满#", "不满#", "低于#"]),
    (
        Mark(Age, false),
        "zh",
        &["已满#", "年满#", "超过#", "高于#", "满了#"],
    ),
    (
        Mark(Age, true),
        "ar",
        &[
            "يقل عمره عن#",
            "يقل عن#",
            "أقل من#",
            "دون#",
            "دون سن#",
            "لم يبلغ#",
        ],
    ),
    (
        Mark(Age, false),
        "ar",
        &[
            "يزيد عمره عن#",
            "يزيد عن#",
            "أكثر من#",
            "فوق#",
            "بلغ#",
            "يتجاوز#",
        ],
    ),
    // Deleted / kept.
    (
        Mark(Deletion, true),
        "en",
        &["delete*", "erase*", "erasure", "destroy*", "removed"],
    ),
    (
        Mark(Deletion, false),
        "en",
        &[
            "keep", "keeps", "kept", "keeping", "retain*", "store", "stored", "stores",
        ],
    ),
    (
        Mark(Deletion, true),
        "es",
        &["supresión", "suprim*", "borr*", "elimin*", "destru*"],
    ),
    (
        Mark(Deletion, false),
        "es",
        &["conserv*", "guard*", "mantene*", "mantien*", "almacen*"],
    ),
    (
        Mark(Deletion, true),
        "fr",
        &[
            "effac*",
            "supprim*",
            "suppression",
            "détrui*",
            "destruction",
        ],
    ),
    (
        Mark(Deletion, false),
        "fr",
        &["conserv*", "gard*", "stock*"],
    ),
    (
        Mark(Deletion, true),
        "pt",
        &["elimin*", "exclu*", "apag*", "delet*", "destru*"],
    ),
    (
        Mark(Deletion, false),
        "pt",
        &[
            "guard*", "mantemos", "manter*", "mantém", "conserv*", "armazen*",
        ],
    ),
    (Mark(Deletion, true), "zh", &["删除", "销毁", "清除"]),
    (
        Mark(Deletion, false),
        "zh",
        &["保存", "保留", "留存", "存储"],
    ),
    (
        Mark(Deletion, true),
        "ar",
        &["حذف*", "يحذف*", "تحذف*", "نحذف*", "محو", "إتلاف*"],
    ),
    (
        Mark(Deletion, false),
        "ar",
        &[
            "نحتفظ*",
            "تحتفظ*",
            "يحتفظ*",
            "احتفاظ*",
            "حفظ*",
            "نحفظ*",
            "يحفظ*",
            "تخزين*",
        ],
    ),
    // The strictest / the least strict rules.
    (
        Mark(Strictness, true),
        "en",
        &[
            "strictest",
            "most strict",
            "most protective",
            "highest protection",
        ],
    ),
    (
        Mark(Strictness, false),
        "en",
        &[
            "least strict",
            "most lenient",
            "least protective",
            "laxest",
            "loosest",
            "most permissive",
            "lowest protection",
        ],
    ),
    (
        Mark(Strictness, true),
        "es",
        &[
            "más estrict*",
            "más rigurosa*",
            "más riguroso*",
            "más protector*",
        ],
    ),
    (
        Mark(Strictness, false),
        "es",
        &[
            "menos estrict*",
            "menos rigurosa*",
            "menos riguroso*",
            "más laxa*",
            "más laxo*",
            "más permisiv*",
            "más flexible*",
        ],
    ),
    (
        Mark(Strictness, true),
        "fr",
        &["plus strict*", "plus rigoureu*", "plus protect*"],
    ),
    (
        Mark(Strictness, false),
        "fr",
        &[
            "moins strict*",
            "moins rigoureu*",
            "plus souple*",
            "plus permissi*",
            "plus laxi*",
            "moins protect*",
        ],
    ),
    (
        Mark(Strictness, true),
        "pt",
        &[
            "mais rigoros*",
            "mais estrit*",
            "mais restritiv*",
            "mais protetor*",
        ],
    ),
    (
        Mark(Strictness, false),
        "pt",
        &[
            "menos rigoros*",
            "menos estrit*",
            "menos restritiv*",
            "mais flexíve*",
            "mais branda*",
            "mais brando*",
            "mais permissiv*",
        ],
    ),
    (Mark(Strictness, true), "zh", &["最严格", "更严格", "最严"]),
    (
        Mark(Strictness, false),
        "zh",
        &["最宽松", "最不严格", "较宽松", "更宽松", "最松"],
    ),
    (
        Mark(Strictness, true),
        "ar",
        &[
            "أشد",
            "الأشد",
            "أكثر القواعد صرامة",
            "الأكثر صرامة",
            "أكثر صرامة",
        ],
    ),
    (
        Mark(Strictness, false),
        "ar",
        &[
            "أقل القواعد صرامة",
            "الأقل صرامة",
            "أقل صرامة",
            "أكثر تساهلا",
            "الأكثر تساهلا",
            "أكثر مرونة",
        ],
    ),
    // Verbs of accepting (choice buttons).
    (
        Accept,
        "en",
        &[
            "accept*", "agree", "agreed", "allow*", "ok", "okay", "got it", "yes",
        ],
    ),
    (
        Accept,
        "es",
        &[
            "acept*",
            "de acuerdo",
            "consiento",
            "consentir",
            "permitir",
            "permito",
            "autorizo",
            "autorizar",
        ],
    ),
    (
        Accept,
        "fr",
        &[
            "accept*",
            "d'accord",
            "j'autorise",
            "autoriser",
            "je consens",
            "consentir",
            "oui",
        ],
    ),
    (
        Accept,
        "pt",
        &[
            "aceit*",
            "concord*",
            "autorizo",
            "autorizar",
            "permitir",
            "consinto",
            "sim",
        ],
    ),
    (Accept, "zh", &["同意", "接受", "允许", "好的"]),
    (
        Accept,
        "ar",
        &[
            "أوافق",
            "موافق*",
            "وافق*",
            "قبول",
            "أقبل",
            "اقبل",
            "أسمح",
            "السماح",
            "نعم",
        ],
    ),
    // Words that steer a choice.
    (
        Nudge,
        "en",
        &[
            "recommended",
            "recommend*",
            "not recommended",
            "best experience",
            "preferred",
            "suggested",
            "better support",
            "worse",
        ],
    ),
    (
        Nudge,
        "es",
        &[
            "recomendad*",
            "recomendamos",
            "desaconsejad*",
            "no recomendad*",
            "sugerid*",
            "preferid*",
            "mejor experiencia",
        ],
    ),
    (
        Nudge,
        "fr",
        &[
            "recommandé*",
            "recommandons",
            "déconseillé*",
            "conseillé*",
            "meilleure expérience",
        ],
    ),
    (
        Nudge,
        "pt",
        &[
            "recomendad*",
            "recomendamos",
            "desaconselhad*",
            "não recomendad*",
            "sugerid*",
            "melhor experiência",
        ],
    ),
    (
        Nudge,
        "zh",
        &["推荐", "建议", "可能影响", "影响", "体验更好", "更好的体验"],
    ),
    (
        Nudge,
        "ar",
        &[
            "موصى به",
            "يوصى",
            "نوصي",
            "ننصح",
            "مستحسن",
            "غير مستحسن",
            "أفضل تجربة",
        ],
    ),
    // Verbs of withdrawing.
    (Revoke, "en", &["withdraw*", "revoke*", "cancel*"]),
    (Revoke, "es", &["retir*", "revoc*", "anular"]),
    (Revoke, "fr", &["retir*", "révoqu*", "annuler"]),
    (Revoke, "pt", &["revog*", "retir*", "cancelar"]),
    (Revoke, "zh", &["撤回", "撤销", "取消"]),
    (Revoke, "ar", &["سحب", "إلغاء", "الغاء", "اسحب"]),
    // Refusing denies or degrades the service.
    (
        Penalty,
        "en",
        &[
            "cannot use",
            "can't use",
            "can not use",
            "will not be able to",
            "won't be able to",
            "unable to use",
            "may not work",
            "might not work",
            "will not work",
            "won't work",
            "stops working",
            "stop working",
            "depends on your choice",
            "depends on what you choose",
            "cannot take your call",
            "cannot help you",
            "can't help you",
            "cannot handle",
            "lose access",
            "no longer be able",
        ],
    ),
    (
        Penalty,
        "es",
        &[
            "no podrá",
            "no podrás",
            "no podremos",
            "no puede usar",
            "no puedes usar",
            "no podrá usar",
            "no funcionará",
            "puede no funcionar",
            "podría no funcionar",
            "dejará de funcionar",
            "depende de su elección",
            "depende de tu elección",
            "depende de lo que elija",
            "no podemos atender",
            "no podemos ayudarle",
            "no podemos ayudarte",
        ],
    ),
    (
        Penalty,
        "fr",
        &[
            "ne pourrez pas",
            "ne pourrez plus",
            "ne pourrons pas",
            "ne pouvez pas utiliser",
            "ne fonctionnera pas",
            "ne fonctionnera plus",
            "peut ne pas fonctionner",
            "pourrait ne pas fonctionner",
            "dépend de votre choix",
            "dépend de vos choix",
            "ne pouvons pas vous aider",
            "ne pouvons pas traiter",
        ],
    ),
    (
        Penalty,
        "pt",
        &[
            "não poderá",
            "não conseguirá",
            "não vai conseguir",
            "não poderemos",
            "não conseguiremos",
            "não pode usar",
            "pode não funcionar",
            "poderá não funcionar",
            "não funcionará",
            "não vai funcionar",
            "deixará de funcionar",
            "depende da sua escolha",
            "depende de sua escolha",
            "não conseguimos ajudar",
        ],
    ),
    (
        Penalty,
        "zh",
        &[
            "无法",
            "不能使用",
            "不能",
            "将不能",
            "可能影响",
            "影响服务",
            "不再提供",
            "拒绝提供",
            "取决于您的选择",
        ],
    ),
    (
        Penalty,
        "ar",
        &[
            "لن تتمكن",
            "لن تستطيع",
            "لا يمكنك استخدام",
            "لن نتمكن",
            "لا يمكننا",
            "لن يعمل",
            "قد لا يعمل",
            "يتوقف على اختيارك",
            "يعتمد على اختيارك",
        ],
    ),
];

/// Arabic prefixes a phrase may follow inside a word (وإذا, بالموافقة, للحذف).
const AR_PREFIXES: &[&str] = &[
    "و", "ف", "ب", "ل", "ك", "س", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "وب", "ول", "فل",
    "وس",
];

/// A phrase in a text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub kind: Kind,
    /// Byte range in the scanned text.
    pub range: Range<usize>,
}

#[derive(Clone, Debug)]
struct Phrase {
    body: String,
    kind: Kind,
    stem: bool,
    number: bool,
    anchored: bool,
}

/// The phrases of one language (with the English phrases of the kinds it has), by first
/// character.
#[derive(Clone, Debug)]
pub(crate) struct Lexicon {
    phrases: Vec<Phrase>,
    by_first: BTreeMap<char, Vec<usize>>,
    /// Kinds the language has phrases of its own for.
    own: Vec<Kind>,
}

impl Lexicon {
    /// The lexicon of a primary language subtag (`zh` for `zh-CN`).
    pub(crate) fn new(language: &str) -> Self {
        let own: Vec<Kind> = {
            let mut v: Vec<Kind> = ENTRIES
                .iter()
                .filter(|(_, l, _)| *l == language)
                .map(|(k, _, _)| *k)
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let mut phrases = Vec::new();
        for (kind, lang, list) in ENTRIES {
            let mine = *lang == language;
            // English phrases of the kinds the language has (a quoted English word).
            let english = *lang == "en" && own.iter().any(|k| same_kind(*k, *kind));
            if !mine && !english {
                continue;
            }
            for p in *list {
                phrases.push(parse(p, *kind));
            }
        }
        phrases.sort_by_key(|p| core::cmp::Reverse(p.body.len()));
        let mut by_first: BTreeMap<char, Vec<usize>> = BTreeMap::new();
        for (i, p) in phrases.iter().enumerate() {
            if let Some(c) = p.body.chars().next() {
                by_first.entry(c).or_default().push(i);
            }
        }
        Self {
            phrases,
            by_first,
            own,
        }
    }

    /// Whether the language has phrases of its own for `concept` (either side).
    pub(crate) fn has_concept(&self, concept: Concept) -> bool {
        self.own
            .iter()
            .any(|k| matches!(k, Mark(c, _) if *c == concept))
    }

    /// Whether the language has phrases of its own of `kind`.
    pub(crate) fn has(&self, kind: Kind) -> bool {
        self.own.contains(&kind)
    }

    /// Every phrase of the lexicon in `text`, in text order: at each position the longest
    /// phrase of each kind, and no two hits of one kind overlapping.
    pub(crate) fn scan(&self, text: &str) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        if self.phrases.is_empty() {
            return out;
        }
        let norm = Norm::new(text);
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let first_alnum = chars.iter().position(|(_, c)| c.is_alphanumeric());
        let mut word_start = 0usize;
        // The end (in the normalised text) of the last hit of each kind.
        let mut last_end: Vec<(Kind, usize)> = Vec::new();
        for k in 0..chars.len() {
            let (i, c) = chars[k];
            let prev = k.checked_sub(1).map(|p| chars[p].1);
            let at_start = prev.is_none_or(|p| !is_wordy(p));
            if at_start {
                word_start = k;
            }
            let after_prefix = !at_start && is_arabic(c) && {
                let from = chars[word_start].0;
                AR_PREFIXES.contains(&&norm.text[from..i])
            };
            if !(at_start || is_han(c) || after_prefix) {
                continue;
            }
            let Some(candidates) = self.by_first.get(&c) else {
                continue;
            };
            let mut taken: Vec<Kind> = Vec::new();
            for &ix in candidates {
                let p = &self.phrases[ix];
                if taken.contains(&p.kind) {
                    continue;
                }
                if p.anchored && first_alnum != Some(k) {
                    continue;
                }
                if !norm.text[i..].starts_with(p.body.as_str()) {
                    continue;
                }
                let end = i + p.body.len();
                let next = norm.text[end..].chars().next();
                let last = p.body.chars().next_back().unwrap_or(' ');
                if !p.stem && !is_han(last) && next.is_some_and(is_wordy) {
                    continue;
                }
                if p.number && !number_next(&norm.text[end..]) {
                    continue;
                }
                if last_end.iter().any(|(kind, e)| *kind == p.kind && *e > i) {
                    continue;
                }
                // A stem takes the rest of its word.
                let mut end = end;
                if p.stem {
                    end += norm.text[end..]
                        .char_indices()
                        .find(|(_, c)| !is_wordy(*c))
                        .map_or(norm.text.len() - end, |(j, _)| j);
                }
                taken.push(p.kind);
                match last_end.iter_mut().find(|(kind, _)| *kind == p.kind) {
                    Some(slot) => slot.1 = end,
                    None => last_end.push((p.kind, end)),
                }
                out.push(Hit {
                    kind: p.kind,
                    range: norm.original(i)..norm.original(end),
                });
            }
        }
        out
    }
}

/// Marks of one concept are of one kind whatever their side, for the English fallback.
fn same_kind(a: Kind, b: Kind) -> bool {
    match (a, b) {
        (Mark(x, _), Mark(y, _)) => x == y,
        _ => a == b,
    }
}

fn parse(p: &str, kind: Kind) -> Phrase {
    let anchored = p.starts_with('^');
    let p = p.trim_start_matches('^');
    let stem = p.ends_with('*');
    let number = p.ends_with('#');
    let p = p.trim_end_matches(['*', '#']);
    Phrase {
        body: Norm::new(p).text,
        kind,
        stem,
        number,
        anchored,
    }
}

/// A letter or digit that belongs to a word (Han characters stand alone).
fn is_wordy(c: char) -> bool {
    c.is_alphanumeric() && !is_han(c)
}

fn is_arabic(c: char) -> bool {
    ('\u{0620}'..='\u{064A}').contains(&c) || ('\u{066E}'..='\u{06D3}').contains(&c)
}

/// A number (any script, or a Chinese numeral) or a `{ placeable }` next, after spaces.
fn number_next(rest: &str) -> bool {
    rest.trim_start().chars().next().is_some_and(|c| {
        c == '{' || digit_value(c).is_some() || "〇零一二两三四五六七八九十百".contains(c)
    })
}

/// A text folded for matching, with the original byte offset of every byte.
struct Norm {
    text: String,
    /// For each byte of `text` (and one past the end), the original byte offset.
    offsets: Vec<usize>,
}

impl Norm {
    fn new(s: &str) -> Self {
        let mut text = String::with_capacity(s.len());
        let mut offsets = Vec::with_capacity(s.len() + 1);
        let mut space = false;
        for (i, c) in s.char_indices() {
            let before = text.len();
            if c.is_whitespace() {
                if !space && !text.is_empty() {
                    text.push(' ');
                }
                space = true;
            } else {
                space = false;
                match c {
                    '’' | '‘' | 'ʼ' | '`' | '´' => text.push('\''),
                    _ => fold_char(c, &mut text),
                }
            }
            for _ in before..text.len() {
                offsets.push(i);
            }
        }
        offsets.push(s.len());
        Self { text, offsets }
    }

    /// The original byte offset of byte `i` of the folded text.
    fn original(&self, i: usize) -> usize {
        self.offsets
            .get(i)
            .copied()
            .unwrap_or_else(|| self.offsets.last().copied().unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(lang: &str, text: &str) -> Vec<(Kind, String)> {
        Lexicon::new(lang)
            .scan(text)
            .into_iter()
            .map(|h| (h.kind, text[h.range].to_string()))
            .collect()
    }

    fn has(lang: &str, text: &str, kind: Kind) -> bool {
        kinds(lang, text).iter().any(|(k, _)| *k == kind)
    }

    #[test]
    fn consent_conditions_in_every_language() {
        let c = Mark(Consent, true);
        assert!(has("en", "If you agree, we record calls.", c));
        assert!(has("es", "Si lo acepta, grabamos las llamadas.", c));
        assert!(has("fr", "Si vous l’acceptez, nous enregistrons.", c));
        assert!(has("pt", "Se você concordar, gravamos.", c));
        assert!(has("zh", "经您同意，我们会录音。", c));
        assert!(has("ar", "وإذا وافقت، نسجّل أيضًا المكالمات.", c));
        assert!(has("de", "Wenn Sie zustimmen, speichern wir.", c));
        // The refusal is not the condition.
        assert!(!has("en", "If you do not agree, nothing changes.", c));
        assert!(!has("es", "Si no lo acepta, no cambia nada.", c));
        assert!(!has("ar", "إذا لم توافق، فلن يتغير شيء.", c));
    }

    #[test]
    fn a_phrase_is_found_where_it_is_written() {
        let t = "Utilizamos sus datos. Si lo acepta, grabamos.";
        let hits = Lexicon::new("es").scan(t);
        let h = hits.iter().find(|h| h.kind == Mark(Consent, true)).unwrap();
        assert_eq!(&t[h.range.clone()], "Si lo acepta");
        // Across accents and marks, the range is the original text's.
        let t = "نرد خلال ٣٠ يومًا، مجانًا.";
        let hits = Lexicon::new("ar").scan(t);
        let h = hits
            .iter()
            .find(|h| h.kind == Mark(FreeOfCharge, true))
            .unwrap();
        assert_eq!(&t[h.range.clone()], "مجانًا");
    }

    #[test]
    fn whole_words_stems_anchors_and_numbers() {
        // "on" only as a state, not as a preposition.
        assert!(has("en", "On until you switch it off", Mark(Switch, true)));
        assert!(!has("en", "Details are on this page", Mark(Switch, true)));
        assert!(!has(
            "en",
            "We pick up where we left off.",
            Mark(Switch, false)
        ));
        // Whole words: "after-sales" is no sale, an "agreement" no verb of agreeing.
        assert!(!has("en", "our after-sales hotline", Mark(Sale, true)));
        assert!(has("en", "not sold or shared", Mark(Sale, true)));
        assert!(!has("en", "every agreement", Accept));
        // Stems: acepto, aceptar; but "reaceptar" is not "aceptar" at a word start.
        assert!(has("es", "Acepto", Accept));
        assert!(!has("es", "reaceptar", Accept));
        // Ages need a number or a placeable next.
        assert!(has("pt", "com menos de {age} anos", Mark(Age, true)));
        assert!(has("zh", "未满{age}周岁", Mark(Age, true)));
        assert!(has("zh", "已满{age}周岁", Mark(Age, false)));
        assert!(!has("pt", "mais de uma vez", Mark(Age, false)));
        assert!(has("ar", "طفل يقل عمره عن {age} عامًا", Mark(Age, true)));
        // Arabic prefixes.
        assert!(has("ar", "ونحذفه بعد سنة", Mark(Deletion, true)));
        assert!(has("ar", "سحب جميع الموافقات", Revoke));
    }

    #[test]
    fn opposites_are_told_apart() {
        assert!(has(
            "es",
            "Desactivado hasta que lo active",
            Mark(Switch, false)
        ));
        assert!(has(
            "fr",
            "les règles les moins strictes",
            Mark(Strictness, false)
        ));
        assert!(!has(
            "fr",
            "les règles les moins strictes",
            Mark(Strictness, true)
        ));
        assert!(has("zh", "最宽松的规则", Mark(Strictness, false)));
        assert!(!has("zh", "最宽松的规则", Mark(Strictness, true)));
        assert!(has("zh", "记录仍会保留", Mark(Deletion, false)));
    }

    #[test]
    fn english_phrases_count_in_every_language_with_a_lexicon() {
        assert!(has("es", "Español accept-all", Accept));
        assert!(has(
            "zh",
            "中文 about ads, if you agree",
            Mark(Consent, true)
        ));
        // A language without a lexicon gets nothing.
        assert!(!has("sv", "Accept all", Accept));
        assert!(
            Lexicon::new("sv")
                .scan("Accept all, if you agree")
                .is_empty()
        );
        assert!(!Lexicon::new("de").has_concept(Switch));
        assert!(Lexicon::new("de").has_concept(Consent));
    }

    #[test]
    fn hostile_text_is_scanned_in_one_pass() {
        let big = "si lo acepta ".repeat(50_000) + &"无".repeat(50_000) + "\u{0300}\u{064B}";
        let hits = Lexicon::new("es").scan(&big);
        assert_eq!(
            hits.iter()
                .filter(|h| h.kind == Mark(Consent, true))
                .count(),
            50_000
        );
        for s in ["", " ", "^", "#", "*", "\u{feff}", "ـــ", "ال"] {
            let _ = Lexicon::new("ar").scan(s);
        }
    }
}
