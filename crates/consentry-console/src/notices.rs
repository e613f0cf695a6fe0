//! The notice versions page (issue 15, item 6): every published version of each notice,
//! newest first, what changed from the version before and what the lint found when it was
//! built; and one version's changes message by message, the old and the new text side by side
//! in the locale's own language and direction. The server reads and checks the archive and
//! makes the comparison (core `compile::versions`, the one `consentry diff` prints); this page
//! only shows it.

use consentry_core::json::Value;
use yew::prelude::*;

use crate::api::{list, n, q, s};
use crate::load::{Load, loading_or_failed, use_load};

/// `#/notices/<id>/<version>` with both parts percent-encoded.
pub(crate) fn version_href(id: &str, version: &str) -> String {
    format!("#/notices/{}/{}", q(id), q(version))
}

/// Reverses [`crate::api::q`]: `None` for a broken escape or bytes that are not UTF-8.
pub(crate) fn unq(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn lint_cell(l: &Value) -> Html {
    if l.get("recorded").and_then(Value::as_bool) != Some(true) {
        let problem = s(l, "problem");
        return if problem.is_empty() {
            html! { <span>{ "not recorded" }</span> }
        } else {
            html! { <span class="bad">{ format!("unreadable: {problem}") }</span> }
        };
    }
    let (e, w) = (n(l, "errors"), n(l, "warnings"));
    if e == 0 && w == 0 {
        return html! { <span class="ok">{ "no findings" }</span> };
    }
    let plural = |k: i64, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
    let text = match (e, w) {
        (0, w) => plural(w, "warning", "warnings"),
        (e, 0) => plural(e, "error", "errors"),
        (e, w) => format!(
            "{}, {}",
            plural(e, "error", "errors"),
            plural(w, "warning", "warnings")
        ),
    };
    html! { <span class={if e > 0 { "bad" } else { "" }}>{ text }</span> }
}

fn changes_cell(r: &Value) -> Html {
    if r.get("previous").is_none_or(|p| *p == Value::Null) {
        return html! { <span>{ "first version published" }</span> };
    }
    let mut parts: Vec<String> = Vec::new();
    let changes = s(r, "changes");
    if !changes.is_empty() {
        parts.push(changes.to_owned());
    }
    let added: Vec<&str> = list(r, "added_locales")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    if !added.is_empty() {
        parts.push(format!("locales added: {}", added.join(", ")));
    }
    if parts.is_empty() {
        return html! { <span>{ "no change in what the notice says" }</span> };
    }
    html! { <span>{ parts.join("; ") }</span> }
}

/// The page's properties.
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// Called when the session has ended.
    pub on_signed_out: Callback<()>,
}

/// Every published version of each notice.
#[function_component(Notices)]
pub fn notices(props: &NoticesProps) -> Html {
    let data = use_load("/console/api/notices".into(), props.on_signed_out.clone());
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let problems = list(v, "problems");
        html! {
            <>
                if !problems.is_empty() {
                    <div class="bad" role="alert">
                        <p>{ "These directories of the archive do not hold a version that checks out, so none of them is shown as published:" }</p>
                        <ul>
                            { for problems.iter().map(|p| html! { <li><code>{ s(p, "dir") }</code>{ ": " }{ s(p, "problem") }</li> }) }
                        </ul>
                    </div>
                }
                { for list(v, "notices").iter().map(|nv| {
                    let id = s(nv, "notice_id").to_owned();
                    let label = format!("Versions of {id}");
                    html! {
                        <section>
                            <h2>{ format!("Notice {id}") }</h2>
                            <div class="scroll" tabindex="0" role="region" aria-label={label}>
                            <table>
                                <thead><tr>
                                    { for ["Version", "Built", "Serving", "Locales", "Changes from the version before", "Lint at build"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                                </tr></thead>
                                <tbody>
                                    { for list(nv, "versions").iter().map(|r| {
                                        let version = s(r, "version");
                                        html! {
                                            <tr>
                                                <th scope="row"><a href={version_href(&id, version)}>{ version }</a></th>
                                                <td>{ match s(r, "build_time") { "" => "–", t => t } }</td>
                                                <td>{ if r.get("current").and_then(Value::as_bool) == Some(true) { "current" } else { "" } }</td>
                                                <td>{ list(r, "locales").iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ") }</td>
                                                <td>{ changes_cell(r) }</td>
                                                <td>{ lint_cell(r.get("lint").unwrap_or(&Value::Null)) }</td>
                                            </tr>
                                        }
                                    }) }
                                </tbody>
                            </table>
                            </div>
                        </section>
                    }
                }) }
            </>
        }
    });
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Notice versions" }</h1>
            <p>{ "Every version published in the archive the server accepts receipts for. A new version asks people again; text that changes under the same version is refused when it is built." }</p>
            { body }
        </>
    }
}

/// One version's properties.
#[derive(Properties, PartialEq)]
pub struct NoticeVersionProps {
    /// The notice id.
    pub id: String,
    /// The version.
    pub version: String,
    /// Called when the session has ended.
    pub on_signed_out: Callback<()>,
}

fn text_cell(t: Option<&Value>, lang: &str, dir: &str) -> Html {
    match t.and_then(Value::as_str) {
        Some(t) => html! { <td lang={lang.to_owned()} dir={dir.to_owned()}>{ t }</td> },
        None => html! { <td>{ "–" }</td> },
    }
}

/// One version: what changed from the version before, message by message, and its findings.
#[function_component(NoticeVersion)]
pub fn notice_version(props: &NoticeVersionProps) -> Html {
    let url = format!(
        "/console/api/notices/{}/{}",
        q(&props.id),
        q(&props.version)
    );
    let data = use_load(url, props.on_signed_out.clone());
    let body = loading_or_failed(&data).unwrap_or_else(|| {
        let Load::Done(v) = &*data else {
            return html! {};
        };
        let previous = s(v, "previous");
        let lint = v.get("lint").cloned().unwrap_or(Value::Null);
        let findings = list(&lint, "findings");
        let structure = list(v, "structure");
        let locales = list(v, "locales");
        let names = |k: &str| list(v, k).iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ");
        html! {
            <>
                <h2>{ "Changes" }</h2>
                if previous.is_empty() {
                    <p>{ "The first version published: nothing to compare with." }</p>
                } else {
                    <p>{ format!("Compared with version {previous}, the version before it.") }</p>
                    if structure.is_empty() && locales.is_empty() && list(v, "removed_locales").is_empty() {
                        <p>{ "What the notice says did not change." }</p>
                    }
                    if !structure.is_empty() {
                        <h3>{ "Purposes, legal bases, retention, recipients, transfers, rights" }</h3>
                        <ul>{ for structure.iter().filter_map(Value::as_str).map(|t| html! { <li>{ t }</li> }) }</ul>
                    }
                    if !list(v, "added_locales").is_empty() {
                        <p>{ format!("Locales added: {}", names("added_locales")) }</p>
                    }
                    if !list(v, "removed_locales").is_empty() {
                        <p class="bad">{ format!("Locales removed: {}", names("removed_locales")) }</p>
                    }
                    { for locales.iter().map(|l| {
                        let (tag, dir) = (s(l, "locale").to_owned(), s(l, "dir").to_owned());
                        let label = format!("Messages changed in {tag}");
                        html! {
                            <section>
                                <h3>{ format!("Locale {tag}") }</h3>
                                <div class="scroll" tabindex="0" role="region" aria-label={label}>
                                <table>
                                    <thead><tr>
                                        { for ["Message", "Change", "Before", "After"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                                    </tr></thead>
                                    <tbody>
                                        { for list(l, "messages").iter().map(|m| html! {
                                            <tr>
                                                <th scope="row"><code>{ s(m, "id") }</code></th>
                                                <td>{ s(m, "change") }</td>
                                                { text_cell(m.get("old"), &tag, &dir) }
                                                { text_cell(m.get("new"), &tag, &dir) }
                                            </tr>
                                        }) }
                                    </tbody>
                                </table>
                                </div>
                            </section>
                        }
                    }) }
                }
                <h2>{ "Lint at build" }</h2>
                if lint.get("recorded").and_then(Value::as_bool) != Some(true) {
                    <p>{ match s(&lint, "problem") { "" => "This version was published without a lint record.".to_owned(), p => format!("The lint record cannot be read: {p}") } }</p>
                } else if findings.is_empty() {
                    <p class="ok">{ "The lint found nothing when this version was built." }</p>
                } else {
                    <div class="scroll" tabindex="0" role="region" aria-label="Lint findings at build">
                    <table>
                        <thead><tr>
                            { for ["Code", "Severity", "Where", "Finding"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                        </tr></thead>
                        <tbody>
                            { for findings.iter().map(|f| html! {
                                <tr>
                                    <th scope="row"><code>{ s(f, "code") }</code></th>
                                    <td>{ s(f, "severity") }</td>
                                    <td><code>{ match n(f, "line") { 0 => s(f, "file").to_owned(), l => format!("{}:{l}", s(f, "file")) } }</code></td>
                                    <td>{ s(f, "message") }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    </div>
                }
            </>
        }
    });
    html! {
        <>
            <p><a href="#/notices">{ "← All notice versions" }</a></p>
            <h1 id="page-title" tabindex="-1">{ format!("Notice {} version {}", props.id, props.version) }</h1>
            { body }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::{unq, version_href};

    #[test]
    fn hrefs_name_any_version_and_read_back() {
        for v in ["2026.12.7", "v 2/β", "100%"] {
            let h = version_href("support-privacy", v);
            let last = h.rsplit('/').next().unwrap();
            assert_eq!(unq(last).as_deref(), Some(v), "{h}");
        }
        assert_eq!(unq("%4"), None);
        assert_eq!(unq("%FF"), None);
    }
}
