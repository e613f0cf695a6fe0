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

fn en_text(id: &str) -> String {
    match id {
        "banner-title" => "Your privacy on our support site",
        "banner-body" => {
            "We use your data to answer your requests and, if you agree, to improve our service."
        }
        "accept-all" => "Accept all",
        "reject-all" => "Reject all",
        "open-settings" => "Settings",
        "settings-title" => "Privacy settings",
        "settings-intro" => "Choose what we may do with your data.",
        "save-choices" => "Save choices",
        "close" => "Close",
        "required-purpose" => "Always on",
        "privacy-settings" => "Privacy settings",
        "decision-saved" => "Your choices have been saved.",
        "legal-basis-consent" => "Your consent",
        "legal-basis-contract" => "Performance of a contract",
        "link-privacy-policy" => "Privacy policy",
        "purpose-service-delivery-name" => "Answering your support requests",
        "purpose-chat-transcript-name" => "Keeping chat transcripts",
        "purpose-marketing-name" => "Product news by e-mail",
        other => return format!("[en] {other}"),
    }
    .into()
}

fn zh_text(id: &str) -> String {
    match id {
        "banner-title" => "您在支持网站上的隐私",
        "banner-body" => "我们使用您的数据来答复您的请求；经您同意，也用于改进服务。",
        "accept-all" => "全部接受",
        "reject-all" => "全部拒绝",
        "open-settings" => "设置",
        "settings-title" => "隐私设置",
        "required-purpose" => "始终开启",
        "privacy-settings" => "隐私设置",
        "link-privacy-policy" => "隐私政策",
        "purpose-service-delivery-name" => "答复您的支持请求",
        "purpose-chat-transcript-name" => "保存聊天记录",
        "purpose-marketing-name" => "通过电子邮件发送产品资讯",
        other => return format!("[zh] {other}"),
    }
    .into()
}

fn ar_text(id: &str) -> String {
    match id {
        "banner-title" => "خصوصيتك على موقع الدعم",
        "accept-all" => "قبول الكل",
        "reject-all" => "رفض الكل",
        "open-settings" => "الإعدادات",
        "settings-title" => "إعدادات الخصوصية",
        "required-purpose" => "مفعّل دائمًا",
        other => return format!("[ar] {other}"),
    }
    .into()
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
