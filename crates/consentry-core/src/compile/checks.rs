//! Checks across files: every locale has the messages it needs (M001), no more than the default
//! locale (M002), and messages named after purposes and links that exist (M003, M005).

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::ftl::FtlFile;
use crate::diagnostics::{Code, Diagnostic};
use crate::ids::LocaleTag;
use crate::notice::NoticeFacts;

/// One locale file with a valid name.
pub(crate) struct Locale {
    pub tag: LocaleTag,
    pub file: FtlFile,
}

/// Runs the cross-file message checks.
pub(crate) fn check_messages(
    facts: &NoticeFacts,
    locales: &[Locale],
    default: Option<&Locale>,
    diags: &mut Vec<Diagnostic>,
) {
    let links: Vec<String> = facts.links.iter().map(|(n, _)| n.clone()).collect();
    let required = crate::notice::required_messages(&facts.purposes, &links, &facts.bases);
    for locale in locales {
        let file = &locale.file;
        let is_default = default.is_some_and(|d| d.tag == locale.tag);
        let mut flagged = BTreeSet::new();

        // M003 / M005: messages named after purposes or links that do not exist.
        for m in &file.messages {
            if let Some(rest) = m.id.strip_prefix("purpose-") {
                if facts.purposes_complete
                    && !facts.purposes.iter().any(|p| {
                        rest.strip_prefix(p.as_str())
                            .is_some_and(|r| r.starts_with('-'))
                    })
                {
                    let named = rest
                        .strip_suffix("-name")
                        .or_else(|| rest.strip_suffix("-description"))
                        .unwrap_or(rest);
                    let known: Vec<&str> = facts.purposes.iter().map(|p| p.as_str()).collect();
                    let d = file.diag(
                        Code::UnknownPurpose,
                        m.span.clone(),
                        format!(
                            "`{}` is for purpose `{named}`, which notice.toml does not define",
                            m.id
                        ),
                    );
                    diags.push(
                        d.with_note(format!("purposes in notice.toml: {}", known.join(", "))),
                    );
                    flagged.insert(m.id.as_str());
                }
            } else if let Some(name) = m.id.strip_prefix("link-")
                && facts.links_complete
                && !links.iter().any(|l| l == name)
            {
                let d = file.diag(
                    Code::UnknownLink,
                    m.span.clone(),
                    format!(
                        "`{}` labels the link `{name}`, which notice.toml does not define",
                        m.id
                    ),
                );
                diags.push(d.with_note(format!(
                    "add {name} = \"https://…\" under [links] in notice.toml, or remove the message"
                )));
                flagged.insert(m.id.as_str());
            }
        }

        // M001: required messages, and (for other locales) everything the default locale has.
        let mut expected: Vec<(&str, String)> = Vec::new();
        for (id, why) in &required {
            let note = match default.and_then(|d| d.file.message(id).map(|m| (d, m))) {
                Some((d, m)) if !is_default => format!("defined in {}", d.file.place(m.span.start)),
                _ => format!("required because {why}"),
            };
            expected.push((id.as_str(), note));
        }
        if let (Some(d), false) = (default, is_default) {
            for m in &d.file.messages {
                if !required.iter().any(|(id, _)| *id == m.id) {
                    expected.push((
                        m.id.as_str(),
                        format!("defined in {}", d.file.place(m.span.start)),
                    ));
                }
            }
        }
        for (id, note) in expected {
            if file.message(id).is_some() {
                continue;
            }
            let at = insertion_point(file, default.map(|d| &d.file), id);
            let d = file.diag(
                Code::MissingMessage,
                at..at,
                format!("message `{id}` is missing from {}", locale.tag),
            );
            diags.push(d.with_note(note));
        }

        // M002: messages the default locale does not have.
        let Some(d) = default else { continue };
        if is_default {
            continue;
        }
        for m in &file.messages {
            if flagged.contains(m.id.as_str())
                || d.file.message(&m.id).is_some()
                || required.iter().any(|(id, _)| *id == m.id)
            {
                continue;
            }
            let diag = file.diag(
                Code::ExtraMessage,
                m.span.clone(),
                format!(
                    "message `{}` is not in the default locale ({})",
                    m.id, d.tag
                ),
            );
            diags.push(diag.with_note(format!("add it to {}, or remove it here", d.file.path)));
        }
    }
}

/// Where a missing message `id` belongs in `file`: just before the message that follows it in
/// the default locale's order (so the caret shows where to add it), else at the end.
fn insertion_point(file: &FtlFile, default: Option<&FtlFile>, id: &str) -> usize {
    let end = file.text.len();
    let Some(order) = default else { return end };
    let Some(pos) = order.messages.iter().position(|m| m.id == id) else {
        return end;
    };
    // The nearest earlier message (in the default's order) that this file has.
    let anchor = order.messages[..pos]
        .iter()
        .rev()
        .find_map(|m| file.messages.iter().position(|x| x.id == m.id));
    let next = match anchor {
        Some(i) => file
            .messages
            .iter()
            .filter(|m| m.span.start > file.messages[i].span.start)
            .map(|m| m.span.start)
            .min(),
        None => file.messages.iter().map(|m| m.span.start).min(),
    };
    next.unwrap_or(end)
}
