//! Fixture notices shared by the SSR and browser tests: an English, a Simplified Chinese and
//! an Arabic (right-to-left) bundle of the support-site notice, built with the core model.

#![allow(dead_code)]

use consentry_core::bundle::{
    BundlePurpose, Controller, Direction, LocaleBundle, Rich, Span, Transfer, UI_MESSAGES,
};
use consentry_core::ids::{LocaleTag, NoticeId, PurposeId};

/// Purpose ids of the fixture, in display order. `service-delivery` is required.
pub const PURPOSES: [&str; 3] = ["service-delivery", "chat-transcript", "marketing"];

fn purpose(id: &str, required: bool, basis: &str, name: &str, description: Rich) -> BundlePurpose {
    BundlePurpose {
        retention: "P1Y".into(),
        recipients: if id == "marketing" {
            vec!["Mailer Ltd".into()]
        } else {
            vec![]
        },
        transfers: if id == "marketing" {
            vec![Transfer {
                destination: "SG".into(),
                safeguard: "eu-scc".into(),
                ..Transfer::default()
            }]
        } else {
            vec![]
        },
        ..BundlePurpose::new(
            PurposeId::parse(id).unwrap(),
            required,
            basis,
            Rich::plain(name),
            description,
        )
    }
}

/// One fixture bundle; `text(id)` gives each UI message.
pub fn bundle(
    notice: &str,
    locale: &str,
    dir: Direction,
    text: impl Fn(&str) -> String,
) -> LocaleBundle {
    let mut messages: Vec<(String, Rich)> = UI_MESSAGES
        .iter()
        .map(|id| ((*id).to_owned(), Rich::plain(text(id))))
        .collect();
    // The banner body carries a link, as compiled from a `{ $privacy-policy }` placeable.
    messages.retain(|(k, _)| k != "banner-body");
    messages.push((
        "banner-body".into(),
        Rich(vec![
            Span::Text(text("banner-body")),
            Span::Text(" ".into()),
            Span::Link {
                href: "https://example.com/privacy".into(),
                text: text("link-privacy-policy"),
            },
        ]),
    ));
    messages.sort_by(|a, b| a.0.cmp(&b.0));
    LocaleBundle {
        controller: Controller {
            name: "Example Telecom Ltd".into(),
            address: "1 Example Road, Dublin".into(),
            email: "privacy@example.com".into(),
            phone: None,
            dpo_name: Some("Data Protection Officer".into()),
            dpo_email: Some("dpo@example.com".into()),
            ..Controller::default()
        },
        purposes: vec![
            purpose(
                PURPOSES[0],
                true,
                "contract",
                &text("purpose-service-delivery-name"),
                Rich::plain(text("purpose-service-delivery-description")),
            ),
            purpose(
                PURPOSES[1],
                false,
                "consent",
                &text("purpose-chat-transcript-name"),
                Rich::plain(text("purpose-chat-transcript-description")),
            ),
            purpose(
                PURPOSES[2],
                false,
                "consent",
                &text("purpose-marketing-name"),
                Rich::plain(text("purpose-marketing-description")),
            ),
        ],
        messages,
        ..LocaleBundle::new(
            NoticeId::parse(notice).unwrap(),
            "2026.11.1",
            LocaleTag::parse(locale).unwrap(),
            dir,
        )
    }
}

/// Interface texts of the fixture: `(id, English, Simplified Chinese, Arabic)`; an empty
/// translation shows as `[zh] id` / `[ar] id`, so a message the fixture lacks is visible.
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
        "",
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
    ("withdraw-all", "Withdraw all consent", "撤回全部同意", ""),
    (
        "download-receipt",
        "Download my consent receipt",
        "下载同意记录凭证",
        "",
    ),
    (
        "gpc-honoured",
        "Your browser's Global Privacy Control signal has been honoured.",
        "已按照您浏览器发出的“全球隐私控制”（GPC）信号处理。",
        "",
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
    ("notice-version-label", "Version", "版本", ""),
    (
        "purposes-heading",
        "What we use your information for",
        "我们如何使用您的个人信息",
        "",
    ),
    (
        "controller-heading",
        "Who is responsible for your data",
        "个人信息处理者",
        "",
    ),
    (
        "dpo-heading",
        "Data protection officer",
        "个人信息保护负责人",
        "",
    ),
    (
        "eu-representative-heading",
        "Our representative in the EU",
        "欧盟境内代表",
        "",
    ),
    (
        "china-representative-heading",
        "Our representative in China",
        "中国境内代表",
        "",
    ),
    ("address-label", "Address", "地址", ""),
    ("email-label", "E-mail", "电子邮箱", ""),
    ("phone-label", "Phone", "电话", ""),
    (
        "regime-label",
        "Privacy law that applies to you",
        "适用的个人信息保护法律",
        "",
    ),
    ("legal-basis-label", "Why we may do this", "处理依据", ""),
    ("retention-label", "How long we keep it", "保存期限", ""),
    ("recipients-label", "Who receives it", "接收方", ""),
    (
        "processors-label",
        "Service providers working for us",
        "受托处理者",
        "",
    ),
    (
        "third-parties-label",
        "Other companies that receive it",
        "其他个人信息处理者",
        "",
    ),
    (
        "transfers-label",
        "Sent to other countries",
        "境外接收方所在地",
        "",
    ),
    (
        "data-categories-label",
        "Information we use",
        "处理的个人信息种类",
        "",
    ),
    ("channels-label", "Where we collect it", "收集渠道", ""),
    (
        "sensitive-label",
        "Includes sensitive personal information",
        "包含敏感个人信息",
        "",
    ),
    (
        "separate-consent-label",
        "We ask for this separately",
        "需单独取得您的同意",
        "",
    ),
    (
        "sold-or-shared-label",
        "Shared for advertising (California: you can opt out)",
        "用于广告共享",
        "",
    ),
    (
        "legitimate-interest-label",
        "Our legitimate interest",
        "我们的正当利益",
        "",
    ),
    (
        "automated-decision-label",
        "Automated decisions",
        "自动化决策",
        "",
    ),
    (
        "sensitive-impact-label",
        "Why we need sensitive information",
        "处理敏感个人信息的必要性",
        "",
    ),
    ("legal-basis-consent", "Your consent", "取得您的同意", ""),
    (
        "legal-basis-contract",
        "Performance of a contract",
        "履行合同所必需",
        "",
    ),
    (
        "legal-basis-legal-obligation",
        "Required by law",
        "履行法定义务所必需",
        "",
    ),
    (
        "legal-basis-legitimate-interests",
        "Our legitimate interests",
        "我们的正当利益",
        "",
    ),
    ("rights-heading", "Your rights", "您的权利", ""),
    (
        "rights-how",
        "To use any of these rights, write to us.",
        "如需行使上述权利，请联系我们。",
        "",
    ),
    ("complaints-heading", "Complaints", "投诉与举报", ""),
    (
        "link-privacy-policy",
        "Privacy policy",
        "隐私政策",
        "إشعار الخصوصية",
    ),
    (
        "purpose-service-delivery-name",
        "Answering your support requests",
        "答复您的支持请求",
        "",
    ),
    (
        "purpose-chat-transcript-name",
        "Keeping chat transcripts",
        "保存聊天记录",
        "",
    ),
    (
        "purpose-marketing-name",
        "Product news by e-mail",
        "通过电子邮件发送产品资讯",
        "",
    ),
];

fn text_in(lang: usize, tag: &str, id: &str) -> String {
    match TEXTS.iter().find(|t| t.0 == id) {
        Some(t) => {
            let s = [t.1, t.2, t.3][lang];
            if s.is_empty() {
                format!("[{tag}] {id}")
            } else {
                s.to_owned()
            }
        }
        None => format!("[{tag}] {id}"),
    }
}

fn en_text(id: &str) -> String {
    text_in(0, "en", id)
}

fn zh_text(id: &str) -> String {
    text_in(1, "zh", id)
}

fn ar_text(id: &str) -> String {
    text_in(2, "ar", id)
}

/// English fixture of notice `notice`.
pub fn en(notice: &str) -> LocaleBundle {
    bundle(notice, "en", Direction::Ltr, en_text)
}

/// Simplified Chinese fixture.
pub fn zh(notice: &str) -> LocaleBundle {
    bundle(notice, "zh-CN", Direction::Ltr, zh_text)
}

/// Arabic (RTL) fixture.
pub fn ar(notice: &str) -> LocaleBundle {
    bundle(notice, "ar", Direction::Rtl, ar_text)
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
