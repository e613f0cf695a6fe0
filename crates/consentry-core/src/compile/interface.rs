//! Consentry's built-in interface text: the widget's own labels and messages (the buttons, the
//! settings, the full notice's headings, the consent steps, the region and rules texts) in
//! every language of [`LANGUAGES`], so that a notice author writes only the notice's own words.
//!
//! A locale file may still define any of these ids: its own text wins. What the built-in text
//! never covers are the messages that say what this notice says ([`NOTICE_OWN`]: the banner's
//! title and summary, the settings' introduction, the full notice's title, how to exercise
//! rights) and everything derived from `notice.toml` (purposes, links, labels, legal bases a
//! purpose uses; see [`crate::notice::required_messages`]).
//!
//! The texts live in `crates/consentry-core/interface/<tag>.ftl`, one file per language with the
//! same ids in the same order (tested), and are compiled into the CLI only: nothing of this
//! module is reachable from the widget, whose bundles already carry the merged text.

use alloc::format;
use alloc::vec::Vec;

use super::ftl::{self, FtlFile};
use crate::diagnostics::Diagnostic;
use crate::ids::LocaleTag;
use crate::messages::UI_MESSAGES;

/// The interface messages a notice must write itself: they state what this notice says.
pub const NOTICE_OWN: &[&str] = &[
    "banner-title",
    "banner-body",
    "settings-intro",
    "full-notice-title",
    "rights-how",
];

macro_rules! languages {
    ($($tag:literal),* $(,)?) => {
        /// Every language with built-in interface text: (language tag, the `.ftl` text).
        pub const LANGUAGES: &[(&str, &str)] = &[
            $(($tag, include_str!(concat!("../../interface/", $tag, ".ftl"))),)*
        ];
    };
}

languages!(
    "ar", "bg", "cs", "da", "de", "el", "en", "es", "et", "fi", "fr", "he", "hi", "hr", "hu", "id",
    "it", "ja", "ko", "lt", "lv", "nb", "nl", "pl", "pt", "pt-BR", "ro", "ru", "sk", "sl", "sv",
    "th", "tr", "uk", "vi", "zh-CN", "zh-TW",
);

/// Whether the built-in text covers message `id` (an id of [`UI_MESSAGES`] not in
/// [`NOTICE_OWN`]).
pub fn covers(id: &str) -> bool {
    UI_MESSAGES.contains(&id) && !NOTICE_OWN.contains(&id)
}

/// The built-in text for `tag`: its own language tag's file, else its language's
/// (`de-AT` → `de`, `pt-PT` → `pt`), else none. Chinese without a script or region is not
/// guessed (`zh` has no file: simplified or traditional is the author's choice).
pub fn for_locale(tag: &LocaleTag) -> Option<(&'static str, &'static str)> {
    LANGUAGES
        .iter()
        .find(|(t, _)| t.eq_ignore_ascii_case(tag.as_str()))
        .or_else(|| LANGUAGES.iter().find(|(t, _)| *t == tag.language()))
        .copied()
}

/// The path the built-in file of `tag` has in findings: `<consentry>/interface/<tag>.ftl`.
pub fn path(tag: &str) -> String {
    format!("<consentry>/interface/{tag}.ftl")
}

/// The built-in interface file for `tag`, parsed, if there is one; a problem in it (there is
/// none: the tests parse every file) is reported like any other.
pub(crate) fn parse_for(tag: &LocaleTag, diags: &mut Vec<Diagnostic>) -> Option<FtlFile> {
    let (file_tag, text) = for_locale(tag)?;
    ftl::parse(&path(file_tag), text.as_bytes(), diags)
}

/// Languages with built-in interface text, for notes: "ar, bg, cs, …".
pub fn language_list() -> String {
    LANGUAGES
        .iter()
        .map(|(t, _)| *t)
        .collect::<Vec<_>>()
        .join(", ")
}
