//! Fixture notices shared by the SSR and browser tests: an English, a Simplified Chinese and
//! an Arabic (right-to-left) bundle of the support-site notice, built with the core model and
//! using every section of it (links, rights, complaints, representatives, processors and
//! third parties, data categories, channels, transfers, per-regime legal bases, sale or
//! sharing, the region map).

#![allow(dead_code)]

use consentry_core::bundle::{
    BundleComplaint, BundleLink, BundlePurpose, BundleRight, Controller, Direction, LocaleBundle,
    Representative, Rich, Span, Transfer, UI_MESSAGES,
};
use consentry_core::ids::{LocaleTag, NoticeId, PurposeId, RegionCode};
use consentry_core::notice::RegionMap;
use consentry_core::regime::Regime;

/// Purpose ids of the fixture, in display order. `service-delivery` is required;
/// `marketing` is sold or shared (CCPA), has a processor and a third party, and is sent to
/// Singapore; `chat-transcript` rests on legitimate interests under CCPA.
pub const PURPOSES: [&str; 3] = ["service-delivery", "chat-transcript", "marketing"];

/// Texts of the fixture: `(id, English, Simplified Chinese, Arabic)`; an empty translation
/// shows as `[zh] id` / `[ar] id`, so a message the fixture lacks is visible.
const TEXTS: &[(&str, &str, &str, &str)] = &[
    ("language-name", "English", "简体中文", "العربية"),
    ("language-label", "Language", "语言", "اللغة"),
    (
        "banner-title",
        "Your privacy on our support site",
        "您在支持网站上的隐私",
        "خصوصيتك على موقع الدعم",
    ),
    (
        "banner-body",
        "We use your data to answer your requests and, if you agree, to improve our service.",
        "我们使用您的数据来答复您的请求；经您同意，也用于改进服务。",
        "نستخدم بياناتك للرد على طلباتك، وإذا وافقت، لتحسين خدمتنا.",
    ),
    ("accept-all", "Accept all", "全部接受", "قبول الكل"),
    ("reject-all", "Reject all", "全部拒绝", "رفض الكل"),
    ("open-settings", "Settings", "设置", "الإعدادات"),
    (
        "settings-title",
        "Privacy settings",
        "隐私设置",
        "إعدادات الخصوصية",
    ),
    (
        "settings-intro",
        "Choose what we may do with your data.",
        "请选择我们可以如何使用您的数据。",
        "اختر ما يُسمح لنا بفعله ببياناتك.",
    ),
    ("save-choices", "Save choices", "保存设置", "حفظ اختياراتي"),
    ("close", "Close", "关闭", "إغلاق"),
    ("required-purpose", "Always on", "始终开启", "مفعّل دائمًا"),
    (
        "privacy-settings",
        "Privacy settings",
        "隐私设置",
        "إعدادات الخصوصية",
    ),
    (
        "decision-saved",
        "Your choices have been saved.",
        "您的选择已保存。",
        "تم حفظ اختياراتك.",
    ),
    (
        "withdraw-all",
        "Withdraw all consent",
        "撤回全部同意",
        "سحب كل الموافقات",
    ),
    (
        "download-receipt",
        "Download my consent receipt",
        "下载同意记录凭证",
        "تنزيل إيصال موافقتي",
    ),
    (
        "gpc-honoured",
        "Your browser's Global Privacy Control signal has been honoured.",
        "已按照您浏览器发出的“全球隐私控制”（GPC）信号处理。",
        "تم احترام إشارة التحكم العالمي في الخصوصية.",
    ),
    (
        "full-notice-title",
        "Privacy notice",
        "个人信息保护提示",
        "إشعار الخصوصية",
    ),
    (
        "open-full-notice",
        "Read the full privacy notice",
        "查看完整版个人信息保护提示",
        "قراءة إشعار الخصوصية كاملًا",
    ),
    ("notice-version-label", "Version", "版本", "الإصدار"),
    (
        "purposes-heading",
        "What we use your information for",
        "我们如何使用您的个人信息",
        "لماذا نستخدم بياناتك",
    ),
    (
        "controller-heading",
        "Who is responsible for your data",
        "个人信息处理者",
        "الجهة المسؤولة عن بياناتك",
    ),
    (
        "dpo-heading",
        "Data protection officer",
        "个人信息保护负责人",
        "مسؤول حماية البيانات",
    ),
    (
        "eu-representative-heading",
        "Our representative in the EU",
        "欧盟境内代表",
        "ممثلنا في الاتحاد الأوروبي",
    ),
    (
        "china-representative-heading",
        "Our representative in China",
        "中国境内代表",
        "ممثلنا في الصين",
    ),
    ("address-label", "Address", "地址", "العنوان"),
    ("email-label", "E-mail", "电子邮箱", "البريد الإلكتروني"),
    ("phone-label", "Phone", "电话", "الهاتف"),
    (
        "regime-label",
        "Privacy laws that apply to you",
        "适用的个人信息保护法律",
        "قانون الخصوصية الذي ينطبق عليك",
    ),
    (
        "legal-basis-label",
        "Why we may do this",
        "处理依据",
        "لماذا يحق لنا ذلك",
    ),
    (
        "retention-label",
        "How long we keep it",
        "保存期限",
        "مدة الاحتفاظ",
    ),
    (
        "recipients-label",
        "Who receives it",
        "接收方",
        "من يتلقى البيانات",
    ),
    (
        "processors-label",
        "Service providers working for us",
        "受托处理者",
        "مزوّدو خدمات يعملون لحسابنا",
    ),
    (
        "third-parties-label",
        "Other companies that receive it",
        "其他个人信息处理者",
        "شركات أخرى تتلقى البيانات",
    ),
    (
        "transfers-label",
        "Sent to other countries",
        "境外接收方所在地",
        "تُرسل إلى دول أخرى",
    ),
    (
        "data-categories-label",
        "Information we use",
        "处理的个人信息种类",
        "البيانات التي نستخدمها",
    ),
    (
        "channels-label",
        "Where we collect it",
        "收集渠道",
        "أين نجمعها",
    ),
    (
        "sensitive-label",
        "Includes sensitive personal information",
        "包含敏感个人信息",
        "تشمل بيانات شخصية حساسة",
    ),
    (
        "separate-consent-label",
        "We ask for this separately",
        "需单独取得您的同意",
        "نطلب موافقتك على ذلك بشكل منفصل",
    ),
    (
        "sold-or-shared-label",
        "Shared for advertising (California: you can opt out)",
        "用于广告共享",
        "تُشارك لأغراض إعلانية",
    ),
    (
        "legitimate-interest-label",
        "Our legitimate interest",
        "我们的正当利益",
        "مصلحتنا المشروعة",
    ),
    (
        "automated-decision-label",
        "Automated decisions",
        "自动化决策",
        "القرارات الآلية",
    ),
    (
        "sensitive-impact-label",
        "Why we need sensitive information",
        "处理敏感个人信息的必要性",
        "لماذا نحتاج إلى بيانات حساسة",
    ),
    (
        "legal-basis-consent",
        "Your consent",
        "取得您的同意",
        "موافقتك",
    ),
    (
        "legal-basis-contract",
        "Performance of a contract",
        "履行合同所必需",
        "ضروري لتقديم الدعم",
    ),
    (
        "legal-basis-legal-obligation",
        "Required by law",
        "履行法定义务所必需",
        "يفرضه القانون",
    ),
    (
        "legal-basis-legitimate-interests",
        "Our legitimate interests",
        "我们的正当利益",
        "مصلحتنا المشروعة",
    ),
    ("rights-heading", "Your rights", "您的权利", "حقوقك"),
    (
        "rights-how",
        "To use any of these rights, fill in our",
        "如需行使上述权利，请填写",
        "لممارسة أي من هذه الحقوق، املأ",
    ),
    ("complaints-heading", "Complaints", "投诉与举报", "الشكاوى"),
    ("agree", "I agree", "我同意", "أوافق"),
    ("disagree", "I do not agree", "我不同意", "لا أوافق"),
    (
        "guardian-label",
        "I am a parent or guardian making these choices for a child under 14",
        "我是未满十四周岁未成年人的父母或者其他监护人，代其作出上述选择",
        "",
    ),
    ("show-details", "Details", "详细信息", "التفاصيل"),
    (
        "separate-consent-title",
        "Your separate consent",
        "单独同意",
        "",
    ),
    (
        "separate-consent-intro",
        "This use of your information needs its own consent.",
        "此项个人信息处理活动需要单独取得您的同意。",
        "",
    ),
    (
        "gpc-opt-in-title",
        "Allow this despite Global Privacy Control?",
        "是否在“全球隐私控制”信号下仍予允许？",
        "",
    ),
    (
        "gpc-opt-in-intro",
        "Your browser sends a Global Privacy Control signal, which opts you out of this. If you agree, you allow it anyway.",
        "您的浏览器发出了“全球隐私控制”信号。如您同意，即表示您仍允许此项活动。",
        "",
    ),
    (
        "gpc-held-label",
        "Off because of your Global Privacy Control signal",
        "因“全球隐私控制”信号已关闭",
        "",
    ),
    (
        "notice-region-heading",
        "Where you are and which rules apply",
        "您所在的地区及适用的规则",
        "مكانك والقواعد المطبقة",
    ),
    ("region-label", "Your region", "您所在的地区", "منطقتك"),
    ("region-other", "Another region", "其他地区", "منطقة أخرى"),
    (
        "region-source-site-option",
        "set by this site",
        "由本网站设定",
        "حدّدها هذا الموقع",
    ),
    (
        "region-source-edge-header",
        "from your network location",
        "根据您的网络位置判断",
        "",
    ),
    (
        "region-source-time-zone",
        "guessed from your time zone",
        "根据您的时区推测",
        "",
    ),
    (
        "region-source-language",
        "guessed from your browser's language",
        "根据您的浏览器语言推测",
        "",
    ),
    (
        "region-source-user-selection",
        "chosen by you",
        "由您选择",
        "",
    ),
    (
        "region-source-default",
        "not known, so the strictest rules apply",
        "无法确定，因此适用最严格的规则",
        "",
    ),
    (
        "opt-out-label",
        "On until you switch it off",
        "默认开启，您可以随时关闭",
        "",
    ),
    (
        "barred-for-child-label",
        "Not offered for children",
        "不向儿童提供",
        "",
    ),
    ("other-regions-heading", "Other regions", "其他地区", ""),
    (
        "regime-reason-visitor-region",
        "the law where you are",
        "您所在地的法律",
        "",
    ),
    (
        "regime-reason-visitor-country",
        "the law of your country",
        "您所在国家的法律",
        "",
    ),
    (
        "regime-reason-controller-establishment",
        "the law where we are established",
        "我们设立地的法律",
        "",
    ),
    (
        "regime-reason-unlisted-region",
        "rules for regions not listed in our notice",
        "适用于本声明未列出地区的规则",
        "",
    ),
    (
        "regime-reason-unknown-region",
        "your region is not known, so the strictest rules apply",
        "无法确定您所在的地区，因此适用最严格的规则",
        "",
    ),
    (
        "categories-heading",
        "Personal information we collect",
        "我们收集的个人信息",
        "",
    ),
    (
        "category-sold",
        "Sold or shared for advertising",
        "出售或为广告目的共享",
        "",
    ),
    (
        "category-not-sold",
        "Not sold or shared",
        "不出售也不共享",
        "",
    ),
    // Notice messages (purposes, labels, links, rights, complaints, regimes).
    (
        "purpose-service-delivery-name",
        "Answering your support requests",
        "答复您的支持请求",
        "الرد على طلبات الدعم",
    ),
    (
        "purpose-service-delivery-description",
        "We use your contact details to help you.",
        "我们使用您的联系方式为您提供帮助。",
        "",
    ),
    (
        "purpose-chat-transcript-name",
        "Keeping chat transcripts",
        "保存聊天记录",
        "الاحتفاظ بنصوص المحادثات",
    ),
    (
        "purpose-chat-transcript-description",
        "If you agree, we keep a transcript of your chat.",
        "经您同意，我们会保存您的聊天记录。",
        "",
    ),
    (
        "purpose-chat-transcript-legitimate-interest",
        "In California we keep transcripts to pick up where we left off.",
        "在加利福尼亚州，我们保存聊天记录以便继续处理。",
        "",
    ),
    (
        "purpose-marketing-name",
        "Product news by e-mail",
        "通过电子邮件发送产品资讯",
        "أخبار المنتجات بالبريد",
    ),
    (
        "purpose-marketing-description",
        "If you agree, we send you product news.",
        "经您同意，我们会向您发送产品资讯。",
        "",
    ),
    (
        "data-category-contact-details",
        "Name, e-mail address and phone number",
        "姓名、电子邮箱和电话号码",
        "",
    ),
    (
        "data-category-chat-messages",
        "Your chat messages",
        "您的聊天消息",
        "",
    ),
    ("channel-chat", "Online chat", "在线客服", ""),
    ("channel-web", "This website", "本网站", ""),
    ("country-SG", "Singapore", "新加坡", "سنغافورة"),
    (
        "safeguard-eu-scc",
        "Standard contractual clauses",
        "欧盟标准合同条款",
        "",
    ),
    (
        "right-access",
        "See the information we hold about you.",
        "查阅我们持有的您的个人信息。",
        "",
    ),
    (
        "right-erasure",
        "Have your information deleted.",
        "删除您的个人信息。",
        "",
    ),
    (
        "complaint-eu-gdpr",
        "You may complain to your data protection authority:",
        "您可以向您所在国家的数据保护机构投诉：",
        "",
    ),
    (
        "regime-eu-gdpr",
        "EU General Data Protection Regulation (GDPR)",
        "欧盟《通用数据保护条例》",
        "",
    ),
    (
        "regime-cn-pipl",
        "China's Personal Information Protection Law (PIPL)",
        "《中华人民共和国个人信息保护法》",
        "",
    ),
    (
        "regime-us-ca-ccpa",
        "California Consumer Privacy Act (CCPA/CPRA)",
        "美国《加利福尼亚州消费者隐私法》",
        "",
    ),
    (
        "regime-br-lgpd",
        "Brazil's General Data Protection Law (LGPD)",
        "巴西《通用数据保护法》",
        "",
    ),
    (
        "regime-apec-cbpr",
        "APEC Privacy Framework",
        "亚太经合组织隐私框架",
        "",
    ),
    (
        "gpc-statement",
        "We treat a Global Privacy Control signal as a request not to sell or share.",
        "我们将“全球隐私控制”信号视为不出售或共享的请求。",
        "",
    ),
    (
        "link-privacy-policy",
        "Privacy policy",
        "隐私政策",
        "إشعار الخصوصية",
    ),
    (
        "link-data-request",
        "privacy request form",
        "个人信息请求表",
        "",
    ),
    (
        "link-do-not-sell",
        "Do Not Sell or Share My Personal Information",
        "请勿出售或共享我的个人信息",
        "",
    ),
    (
        "link-eu-authorities",
        "list of EU data protection authorities",
        "欧盟数据保护机构名单",
        "",
    ),
    (
        "link-gtac-email",
        "gtac-privacy@example.com",
        "gtac-privacy@example.com",
        "",
    ),
];

fn text_in(lang: usize, tag: &str, id: &str) -> String {
    match TEXTS.iter().find(|t| t.0 == id) {
        Some(t) if ![t.1, t.2, t.3][lang].is_empty() => [t.1, t.2, t.3][lang].to_owned(),
        _ => format!("[{tag}] {id}"),
    }
}

const LINKS: [(&str, &str); 5] = [
    ("data-request", "https://example.com/privacy/requests"),
    ("do-not-sell", "https://example.com/privacy/do-not-sell"),
    ("eu-authorities", "https://example.net/eu-authorities"),
    ("gtac-email", "mailto:gtac-privacy@example.com"),
    ("privacy-policy", "https://example.com/privacy"),
];

fn link_span(name: &str, text: &impl Fn(&str) -> String) -> Span {
    Span::Link {
        href: LINKS.iter().find(|(n, _)| *n == name).unwrap().1.into(),
        text: text(&format!("link-{name}")),
    }
}

fn purpose(id: &str, required: bool, basis: &str, text: &impl Fn(&str) -> String) -> BundlePurpose {
    BundlePurpose::new(
        PurposeId::parse(id).unwrap(),
        required,
        basis,
        Rich::plain(text(&format!("purpose-{id}-name"))),
        Rich::plain(text(&format!("purpose-{id}-description"))),
    )
}

/// One fixture bundle; `text(id)` gives each message.
pub fn bundle(
    notice: &str,
    locale: &str,
    dir: Direction,
    text: impl Fn(&str) -> String,
) -> LocaleBundle {
    let mut messages: Vec<(String, Rich)> = UI_MESSAGES
        .iter()
        .copied()
        .chain(TEXTS.iter().map(|t| t.0))
        .filter(|id| !["banner-body", "rights-how", "complaint-eu-gdpr"].contains(id))
        .map(|id| (id.to_owned(), Rich::plain(text(id))))
        .collect();
    // Messages with links, as compiled from `{ $name }` placeables.
    for (id, link) in [
        ("banner-body", "privacy-policy"),
        ("rights-how", "data-request"),
        ("complaint-eu-gdpr", "eu-authorities"),
    ] {
        messages.push((
            id.into(),
            Rich(vec![
                Span::Text(text(id)),
                Span::Text(" ".into()),
                link_span(link, &text),
            ]),
        ));
    }
    messages.sort_by(|a, b| a.0.cmp(&b.0));
    messages.dedup_by(|a, b| a.0 == b.0);
    let rich = |id: &str| messages.iter().find(|(k, _)| k == id).unwrap().1.clone();
    let by_regime = |ccpa: &str| -> Vec<(Regime, String)> {
        Regime::ALL
            .iter()
            .map(|g| (*g, if *g == Regime::Ccpa { ccpa } else { "consent" }.into()))
            .collect()
    };
    let service = BundlePurpose {
        retention: "P3Y".into(),
        processors: vec!["Example Ticketing Ltd".into()],
        recipients: vec!["Example Ticketing Ltd".into()],
        data_categories: vec!["contact-details".into()],
        channels: vec!["chat".into(), "web".into()],
        ..purpose(PURPOSES[0], true, "contract", &text)
    };
    let chat = BundlePurpose {
        retention: "P1Y".into(),
        legal_bases: by_regime("legitimate-interests"),
        data_categories: vec!["chat-messages".into(), "contact-details".into()],
        channels: vec!["chat".into()],
        legitimate_interest: Some(rich("purpose-chat-transcript-legitimate-interest")),
        ..purpose(PURPOSES[1], false, "consent", &text)
    };
    let marketing = BundlePurpose {
        retention: "P2Y".into(),
        sold_or_shared: true,
        processors: vec!["Mailer Ltd".into()],
        recipients: vec!["Mailer Ltd".into(), "Ads Network Inc".into()],
        data_categories: vec!["contact-details".into()],
        channels: vec!["web".into()],
        transfers: vec![Transfer {
            destination: "SG".into(),
            safeguard: "eu-scc".into(),
            recipient: Some("Example Support Centre Pte. Ltd.".into()),
            contact: Some("gtac-email".into()),
        }],
        ..purpose(PURPOSES[2], false, "consent", &text)
    };
    let links = LINKS
        .iter()
        .map(|(name, href)| BundleLink {
            name: (*name).into(),
            href: (*href).into(),
            text: text(&format!("link-{name}")),
        })
        .collect();
    LocaleBundle {
        controller: Controller {
            name: "Example Telecom Ltd".into(),
            address: "1 Example Road, Dublin".into(),
            email: "privacy@example.com".into(),
            phone: Some("+1-555-0100".into()),
            dpo_name: Some("Data Protection Officer".into()),
            dpo_email: Some("dpo@example.com".into()),
            dpo_phone: Some("+1-555-0101".into()),
            country: Some("CN".into()),
            eu_representative: Some(Representative {
                name: "Example Telecom Europe B.V.".into(),
                address: "Examplestraat 1, Amsterdam".into(),
                email: "eu-rep@example.com".into(),
            }),
            china_representative: None,
            uk_representative: None,
            swiss_representative: None,
            korea_representative: None,
            head: None,
        },
        purposes: vec![service, chat, marketing],
        links,
        policy_link: Some("privacy-policy".into()),
        rights: ["access", "erasure"]
            .iter()
            .map(|r| BundleRight {
                id: (*r).into(),
                text: rich(&format!("right-{r}")),
            })
            .collect(),
        rights_how: vec!["data-request".into()],
        complaints: vec![BundleComplaint {
            regime: Regime::Gdpr,
            link: "eu-authorities".into(),
            text: rich("complaint-eu-gdpr"),
        }],
        ccpa_opt_out_link: Some("do-not-sell".into()),
        regions: RegionMap::new(
            Some(Regime::Apec),
            vec![(RegionCode::parse("GB").unwrap(), Regime::Gdpr)],
        ),
        messages,
        ..LocaleBundle::new(
            NoticeId::parse(notice).unwrap(),
            "2026.11.1",
            LocaleTag::parse(locale).unwrap(),
            dir,
        )
    }
}

/// English fixture of notice `notice`.
pub fn en(notice: &str) -> LocaleBundle {
    bundle(notice, "en", Direction::Ltr, |id| text_in(0, "en", id))
}

/// Simplified Chinese fixture.
pub fn zh(notice: &str) -> LocaleBundle {
    bundle(notice, "zh-CN", Direction::Ltr, |id| text_in(1, "zh", id))
}

/// Arabic (RTL) fixture.
pub fn ar(notice: &str) -> LocaleBundle {
    bundle(notice, "ar", Direction::Rtl, |id| text_in(2, "ar", id))
}

/// A bundle whose texts try to inject markup: a `<script>` title and a `javascript:` link.
pub fn hostile(notice: &str) -> LocaleBundle {
    let mut b = en(notice);
    for (k, v) in &mut b.messages {
        if k == "banner-title" {
            *v = Rich::plain("<script>alert(1)</script><b>bold</b>");
        }
        if k == "banner-body" {
            *v = Rich(vec![
                Span::Text("Click ".into()),
                Span::Link {
                    href: "javascript:alert(2)".into(),
                    text: "here".into(),
                },
            ]);
        }
    }
    b
}

/// Markup that would run if it were ever parsed as HTML: each sets `window.__pwned`.
pub const SCRIPT: &str = "<script>window.__pwned='script'</script>";
/// An image whose error handler would run.
pub const IMG: &str = "<img src=x onerror=\"window.__pwned='img'\">";
/// An SVG whose load handler would run.
pub const SVG: &str = "<svg onload=\"window.__pwned='svg'\"></svg>";
/// Link targets that would run script or load a document if they were links.
pub const BAD_HREFS: [&str; 4] = [
    "javascript:window.__pwned='js'",
    " JaVaScRiPt:window.__pwned='js2'",
    "data:text/html,<script>window.__pwned='data'</script>",
    "vbscript:msgbox(1)",
];
/// Bidirectional overrides and isolates, and zero-width characters.
pub const BIDI: &str =
    "Refund\u{202E}fdp.exe\u{202C} \u{2067}isolated\u{2069} zero\u{200B}width\u{2060}\u{FEFF}";
/// The bidi text as it must be shown.
pub const BIDI_SHOWN: &str = "Refundfdp.exe isolated zerowidth";

/// 100 KB without a single space: it must wrap, not widen the layout.
pub fn big() -> String {
    "W".repeat(100_000)
}

/// An English bundle whose every text (interface messages, purpose names and descriptions,
/// controller and representative fields, processors, transfer recipients, link labels, rights
/// and complaints) carries hostile input, and whose every link target is one that must not
/// become a link.
pub fn injection(notice: &str) -> LocaleBundle {
    let mut b = en(notice);
    let hostile = |i: usize| -> String {
        match i % 4 {
            0 => SCRIPT.to_owned(),
            1 => IMG.to_owned(),
            2 => SVG.to_owned(),
            _ => BIDI.to_owned(),
        }
    };
    let bad_link = |i: usize, text: &str| Span::Link {
        href: BAD_HREFS[i % BAD_HREFS.len()].to_owned(),
        text: text.to_owned(),
    };
    for (i, (k, v)) in b.messages.iter_mut().enumerate() {
        *v = match k.as_str() {
            "banner-title" => Rich::plain(big()),
            "banner-body" => Rich(vec![
                Span::Text(format!("{SCRIPT} {IMG} {BIDI} ")),
                bad_link(0, "policy"),
                Span::Text(" ".into()),
                bad_link(2, "data"),
            ]),
            _ => Rich(vec![Span::Text(hostile(i)), bad_link(i, &hostile(i + 1))]),
        };
    }
    for (i, p) in b.purposes.iter_mut().enumerate() {
        p.name = Rich::plain(format!("{} {}", hostile(i), p.id));
        p.description = Rich(vec![Span::Text(big()), bad_link(i, IMG)]);
        p.processors = vec![SCRIPT.into(), BIDI.into()];
        p.recipients = vec![SCRIPT.into(), BIDI.into(), IMG.into()];
        for t in &mut p.transfers {
            t.recipient = Some(IMG.into());
        }
    }
    for (i, l) in b.links.iter_mut().enumerate() {
        l.href = BAD_HREFS[i % BAD_HREFS.len()].into();
        l.text = hostile(i);
    }
    let c = &mut b.controller;
    c.name = SCRIPT.into();
    c.address = format!("{IMG} {BIDI}");
    c.email = "\"><img src=x onerror=\"window.__pwned='mail'\">@example.com".into();
    c.phone = Some(SVG.into());
    c.dpo_name = Some(BIDI.into());
    if let Some(r) = &mut c.eu_representative {
        r.name = IMG.into();
        r.address = big();
    }
    for (i, r) in b.rights.iter_mut().enumerate() {
        r.text = Rich(vec![Span::Text(hostile(i)), bad_link(i, SCRIPT)]);
    }
    for (i, c) in b.complaints.iter_mut().enumerate() {
        c.text = Rich(vec![Span::Text(hostile(i + 1)), bad_link(i + 1, IMG)]);
    }
    b.version = SCRIPT.into();
    b
}
