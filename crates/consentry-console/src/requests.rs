//! The data-subject requests page (issue 15, item 8): the queue of what people asked for,
//! the most urgent first, with the deadline of the law that applies; the DPO records each
//! step (in progress, completed, refused with the reason the person is told). The server
//! computes every deadline and day count and checks the role; this page only shows them.

use consentry_core::json::{self, Value};
use consentry_core::law::Regime;
use yew::prelude::*;

use crate::api::{self, Failure, Me, list, n, s};
use crate::platform;

/// The page's properties.
#[derive(Properties, PartialEq)]
pub struct RequestsProps {
    /// Who is signed in (the DPO gets the forms).
    pub who: Me,
    /// Called when the session has ended.
    pub on_signed_out: Callback<()>,
}

/// What the queue's request gave.
#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Done(Value),
    Failed(Failure),
}

const QUEUE: &str = "/console/api/requests";

/// What each kind of request is called here.
fn kind_text(kind: &str) -> &str {
    match kind {
        "access" => "Access",
        "rectification" => "Correction",
        "erasure" => "Deletion",
        "portability" => "Portability",
        "objection" => "Objection",
        other => other,
    }
}

fn channel_text(channel: &str) -> &str {
    match channel {
        "web_settings" => "Web (privacy settings)",
        "hotline_agent" => "Hotline",
        other => other,
    }
}

fn status_text(status: &str) -> &str {
    match status {
        "received" => "Received",
        "in_progress" => "In progress",
        "completed" => "Completed",
        "refused" => "Refused",
        other => other,
    }
}

/// `DE / GDPR`: the region and the law whose deadline applies.
fn region_law(r: &Value) -> String {
    let region = match s(r, "region") {
        "" => "unknown region",
        x => x,
    };
    let regime = s(r, "regime");
    let law =
        Regime::from_wire(regime).map_or_else(|| regime.to_owned(), |g| g.short().to_uppercase());
    format!("{region} / {law}")
}

fn is_open(r: &Value) -> bool {
    !matches!(s(r, "status"), "completed" | "refused")
}

fn plural(k: i64) -> &'static str {
    if k == 1 { "day" } else { "days" }
}

/// The days left in words, and whether the request is (or was answered) late: "overdue"
/// and "late" are always written, never shown by colour alone.
fn days_words(r: &Value) -> (String, bool) {
    let days = n(r, "days_left");
    let overdue = r.get("overdue").and_then(Value::as_bool) == Some(true);
    let text = match (is_open(r), overdue) {
        (true, true) => format!("overdue by {} {}", -days, plural(-days)),
        (true, false) if days == 0 => "due today".to_owned(),
        (true, false) => format!("{days} {} left", plural(days)),
        (false, true) => format!("closed {} {} late", -days, plural(-days)),
        (false, false) => "closed in time".to_owned(),
    };
    (text, overdue)
}

fn days_text(r: &Value) -> Html {
    let (text, late) = days_words(r);
    html! { <span class={late.then_some("bad")}>{ text }</span> }
}

fn day(t: &str) -> &str {
    t.get(..10).unwrap_or(t)
}

/// The queue.
#[function_component(Requests)]
pub fn requests(props: &RequestsProps) -> Html {
    let data = use_state(|| Load::Loading);
    let reload = use_state(|| 0u32);
    {
        let (data, out) = (data.clone(), props.on_signed_out.clone());
        use_effect_with(*reload, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match api::get(QUEUE).await {
                    Ok(v) => data.set(Load::Done(v)),
                    Err(Failure::SignedOut) => out.emit(()),
                    Err(f) => data.set(Load::Failed(f)),
                }
            });
        });
    }
    let changed = Callback::from(move |()| reload.set(*reload + 1));
    let dpo = props.who.role == "dpo";
    let body = match &*data {
        Load::Loading => html! { <p role="status">{ "Loading…" }</p> },
        Load::Failed(f) => html! { <p class="error" role="alert">{ f.message() }</p> },
        Load::Done(v) => {
            let rows = list(v, "requests");
            let open = rows.iter().filter(|r| is_open(r)).count();
            html! {
                <>
                    <p>{ format!("{open} open, {} closed.", rows.len() - open) }</p>
                    if rows.is_empty() {
                        <p>{ "No request has arrived." }</p>
                    } else {
                        <div class="scroll" tabindex="0" role="region" aria-label="Requests">
                        <table>
                            <thead><tr>
                                { for ["Received (UTC)", "Kind", "Channel", "Region / law", "Deadline (UTC)", "Days left", "Status", "Handled by"].iter().map(|h| html! { <th scope="col">{ *h }</th> }) }
                            </tr></thead>
                            <tbody>
                                { for rows.iter().map(|r| html! {
                                    <tr>
                                        <td>{ day(s(r, "received_at")) }</td>
                                        <td>{ kind_text(s(r, "kind")) }</td>
                                        <td>{ channel_text(s(r, "channel")) }</td>
                                        <td>{ region_law(r) }</td>
                                        <td>{ day(s(r, "deadline")) }</td>
                                        <td>{ days_text(r) }</td>
                                        <td>{ status_text(s(r, "status")) }</td>
                                        <td>{ if s(r, "handled_by").is_empty() { "–" } else { s(r, "handled_by") } }</td>
                                    </tr>
                                }) }
                            </tbody>
                        </table>
                        </div>
                        <h2>{ "Each request" }</h2>
                        { for rows.iter().enumerate().map(|(i, r)| html! {
                            <RequestDetail index={i} request={r.clone()} who={props.who.clone()}
                                editable={dpo && is_open(r)}
                                unlinks={dpo && s(r, "kind") == "erasure" && s(r, "status") != "refused"}
                                on_changed={changed.clone()}
                                on_signed_out={props.on_signed_out.clone()} />
                        }) }
                    }
                </>
            }
        }
    };
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Data-subject requests" }</h1>
            <p>{ "What people asked about their data, the most urgent first. The deadline is the shortest the laws of the person's receipt give (a month is the calendar month), or the notice's own if shorter; without one, 30 days." }</p>
            { body }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DetailProps {
    index: usize,
    request: Value,
    who: Me,
    editable: bool,
    /// The DPO may unlink the person's identifiers (an erasure not refused).
    unlinks: bool,
    on_changed: Callback<()>,
    on_signed_out: Callback<()>,
}

/// One request: the person's words, the receipt it names, its history and, for the DPO while
/// it is open, the form that records the next step.
#[function_component(RequestDetail)]
fn request_detail(props: &DetailProps) -> Html {
    let r = &props.request;
    let id = format!("request-{}", props.index);
    let title = format!(
        "{}, received {} ({})",
        kind_text(s(r, "kind")),
        day(s(r, "received_at")),
        channel_text(s(r, "channel"))
    );
    html! {
        <section aria-labelledby={format!("{id}-title")}>
            <h3 id={format!("{id}-title")}>
                { title.clone() }
            </h3>
            <dl class="facts">
                <dt>{ "Request" }</dt><dd><code>{ s(r, "request_id") }</code></dd>
                <dt>{ "Status" }</dt><dd>{ status_text(s(r, "status")) }{ " — " }{ days_text(r) }</dd>
                <dt>{ "Due (UTC)" }</dt><dd>{ s(r, "deadline") }</dd>
                <dt>{ "In the person's words" }</dt>
                <dd>{ if s(r, "details").is_empty() { "–" } else { s(r, "details") } }</dd>
                <dt>{ "Receipt named" }</dt>
                <dd><a href={format!("#/receipts/{}", n(r, "ledger_index"))}>{ format!("ledger entry {}", n(r, "ledger_index")) }</a></dd>
                <dt>{ "Subject" }</dt><dd><code>{ s(r, "subject") }</code></dd>
                if !s(r, "sref").is_empty() {
                    <dt>{ "Subject reference" }</dt><dd><code>{ s(r, "sref") }</code></dd>
                }
            </dl>
            <ol>
                { for list(r, "events").iter().map(|e| html! {
                    <li>
                        { format!("{} — {} by {}", s(e, "at"), status_text(s(e, "status")),
                            if s(e, "actor") == "-" { "the person, online" } else { s(e, "actor") }) }
                        if !s(e, "note").is_empty() { { ": " }{ s(e, "note") } }
                    </li>
                }) }
            </ol>
            if props.editable {
                <StatusForm id={id.clone()} title={title.clone()} request={r.clone()} csrf={props.who.csrf.clone()}
                    on_changed={props.on_changed.clone()} on_signed_out={props.on_signed_out.clone()} />
            }
            if props.unlinks {
                <UnlinkForm id={id} title={title} request={r.clone()} csrf={props.who.csrf.clone()}
                    on_changed={props.on_changed.clone()} on_signed_out={props.on_signed_out.clone()} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FormProps {
    id: String,
    title: String,
    request: Value,
    csrf: String,
    on_changed: Callback<()>,
    on_signed_out: Callback<()>,
}

/// The next step of an open request: a status, and a note (required for a refusal: the
/// reason the person is told, GDPR Art. 12(4)).
#[function_component(StatusForm)]
fn status_form(props: &FormProps) -> Html {
    let status_ref = use_node_ref();
    let note_ref = use_node_ref();
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let error_id = format!("{}-error", props.id);
    let submit = {
        let (status_ref, note_ref, error, busy) = (
            status_ref.clone(),
            note_ref.clone(),
            error.clone(),
            busy.clone(),
        );
        let (r, csrf, done, out, error_id) = (
            props.request.clone(),
            props.csrf.clone(),
            props.on_changed.clone(),
            props.on_signed_out.clone(),
            error_id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let status = platform::value(&status_ref);
            let note = platform::value(&note_ref).trim().to_owned();
            if status == "refused" && note.is_empty() {
                error.set(Some(
                    "A refusal needs a note: the reason the person is told.".into(),
                ));
                platform::focus(&error_id);
                return;
            }
            let mut members = vec![
                ("request_id", Value::str(s(&r, "request_id"))),
                ("subject", Value::str(s(&r, "subject"))),
                ("status", Value::str(status)),
            ];
            if !note.is_empty() {
                members.push(("note", Value::str(note)));
            }
            let body = json::to_canonical_string(&Value::object(members));
            let (error, busy, done, out, csrf, error_id) = (
                error.clone(),
                busy.clone(),
                done.clone(),
                out.clone(),
                csrf.clone(),
                error_id.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let a = platform::post("/console/api/requests/status", body, &csrf).await;
                busy.set(false);
                match a {
                    Ok(a) if a.status == 200 => {
                        error.set(None);
                        done.emit(());
                        platform::focus("page-title");
                    }
                    Ok(a) if a.status == 401 => out.emit(()),
                    Ok(a) => {
                        let v = json::parse_str(&a.text).unwrap_or(Value::Null);
                        let why = s(v.get("error").unwrap_or(&Value::Null), "message").to_owned();
                        error.set(Some(format!("Not recorded ({}): {why}", a.status)));
                        platform::focus(&error_id);
                    }
                    Err(m) => {
                        error.set(Some(m));
                        platform::focus(&error_id);
                    }
                }
            });
        })
    };
    let (status_id, note_id) = (format!("{}-status", props.id), format!("{}-note", props.id));
    html! {
        <form class="range" onsubmit={submit} novalidate=true aria-label={format!("Next step: {}", props.title)}>
            if let Some(m) = &*error {
                <p id={error_id.clone()} class="error" role="alert" tabindex="-1">{ m }</p>
            }
            <div>
                <label for={status_id.clone()}>{ "Next step" }</label>
                <select id={status_id} ref={status_ref}>
                    <option value="in_progress">{ "In progress" }</option>
                    <option value="completed">{ "Completed" }</option>
                    <option value="refused">{ "Refused" }</option>
                </select>
            </div>
            <div>
                <label for={note_id.clone()}>{ "Note (for a refusal: the reason the person is told)" }</label>
                <input id={note_id} ref={note_ref} maxlength="2000" />
            </div>
            <button type="submit" disabled={*busy}>{ if *busy { "Recording…" } else { "Record" } }</button>
        </form>
    }
}

/// What the server said of a preview or an unlinking, in words.
fn unlink_words(v: &Value) -> String {
    let receipts = n(v, "receipts");
    let whose = if v.get("matches_request").and_then(Value::as_bool) == Some(true) {
        " It is the identifier this request's receipt is linked to."
    } else {
        " It is NOT the identifier this request's receipt is linked to: say why it is the person's before unlinking it."
    };
    if v.get("preview").and_then(Value::as_bool) == Some(true) {
        let key = if v.get("has_key").and_then(Value::as_bool) == Some(true) {
            "It has a key of its own here"
        } else {
            "It has no key of its own here"
        };
        let carry = if receipts == 1 {
            "receipt carries"
        } else {
            "receipts carry"
        };
        return format!("{key}, and {receipts} {carry} it.{whose} Unlinking cannot be undone.");
    }
    let key = if v.get("key_destroyed").and_then(Value::as_bool) == Some(true) {
        "Unlinked: its key is destroyed, and no receipt can be traced to it any more."
    } else {
        "Unlinked: it had no key of its own left; its older references are no longer linked to it."
    };
    let disk = if v.get("disk_clean").and_then(Value::as_bool) == Some(true) {
        ""
    } else {
        " The database removes the key's bytes from its files at its next checkpoint."
    };
    format!("{key}{disk}")
}

/// The identifier a preview was made for, and whether it is the request's own.
#[derive(Clone, PartialEq)]
struct Previewed {
    kind: String,
    value: String,
    matches: bool,
}

/// Carrying out an erasure: unlinking one of the person's identifiers (ADR 0019), in two steps
/// because it cannot be undone: "Check" asks the server what the identifier is here (a key,
/// how many receipts, whether it is the request's own); "Unlink it" then destroys its key,
/// with a reason when it is not the request's own. The value is not kept on the page once
/// unlinked.
#[function_component(UnlinkForm)]
fn unlink_form(props: &FormProps) -> Html {
    let kind_ref = use_node_ref();
    let value_ref = use_node_ref();
    let reason_ref = use_node_ref();
    let outcome = use_state(|| None::<(bool, String)>);
    let previewed = use_state(|| None::<Previewed>);
    let busy = use_state(|| false);
    let result_id = format!("{}-unlink-result", props.id);
    let submit = {
        let (kind_ref, value_ref, reason_ref, outcome, previewed, busy) = (
            kind_ref.clone(),
            value_ref.clone(),
            reason_ref.clone(),
            outcome.clone(),
            previewed.clone(),
            busy.clone(),
        );
        let (r, csrf, out, result_id) = (
            props.request.clone(),
            props.csrf.clone(),
            props.on_signed_out.clone(),
            result_id.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let kind = platform::value(&kind_ref);
            let value = platform::value(&value_ref).trim().to_owned();
            if value.is_empty() {
                outcome.set(Some((false, "Type the identifier to unlink.".into())));
                platform::focus(&result_id);
                return;
            }
            // "Unlink it" only for the identifier just checked; anything else is checked first.
            let confirm = (*previewed)
                .as_ref()
                .filter(|p| p.kind == kind && p.value == value);
            let reason = platform::value(&reason_ref).trim().to_owned();
            if let Some(p) = confirm
                && !p.matches
                && reason.is_empty()
            {
                outcome.set(Some((
                    false,
                    "Say why this identifier is the person's: it is not the one the request's receipt is linked to.".into(),
                )));
                platform::focus(&result_id);
                return;
            }
            let mut members = vec![
                ("request_id", Value::str(s(&r, "request_id"))),
                ("subject", Value::str(s(&r, "subject"))),
                (
                    "identifier",
                    Value::object([
                        ("kind", Value::str(kind.clone())),
                        ("value", Value::str(value.clone())),
                    ]),
                ),
                ("confirm", Value::Bool(confirm.is_some())),
            ];
            if confirm.is_some() && !reason.is_empty() {
                members.push(("reason", Value::str(reason)));
            }
            let body = json::to_canonical_string(&Value::object(members));
            let (outcome, previewed, busy, out, csrf, result_id, value_ref, reason_ref) = (
                outcome.clone(),
                previewed.clone(),
                busy.clone(),
                out.clone(),
                csrf.clone(),
                result_id.clone(),
                value_ref.clone(),
                reason_ref.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let a = platform::post("/console/api/requests/unlink", body, &csrf).await;
                busy.set(false);
                match a {
                    Ok(a) if a.status == 200 => {
                        let v = json::parse_str(&a.text).unwrap_or(Value::Null);
                        if v.get("preview").and_then(Value::as_bool) == Some(true) {
                            previewed.set(Some(Previewed {
                                kind,
                                value,
                                matches: v.get("matches_request").and_then(Value::as_bool)
                                    == Some(true),
                            }));
                        } else {
                            previewed.set(None);
                            platform::clear(&value_ref);
                            platform::clear(&reason_ref);
                        }
                        outcome.set(Some((true, unlink_words(&v))));
                    }
                    Ok(a) if a.status == 401 => out.emit(()),
                    Ok(a) => {
                        let v = json::parse_str(&a.text).unwrap_or(Value::Null);
                        let why = s(v.get("error").unwrap_or(&Value::Null), "message").to_owned();
                        outcome.set(Some((false, format!("Not unlinked ({}): {why}", a.status))));
                    }
                    Err(m) => outcome.set(Some((false, m))),
                }
                platform::focus(&result_id);
            });
        })
    };
    let cancel = {
        let (previewed, outcome) = (previewed.clone(), outcome.clone());
        Callback::from(move |_| {
            previewed.set(None);
            outcome.set(None);
        })
    };
    let (kind_id, value_id, reason_id) = (
        format!("{}-unlink-kind", props.id),
        format!("{}-unlink-value", props.id),
        format!("{}-unlink-reason", props.id),
    );
    let staged = (*previewed).clone();
    html! {
        <form class="range" onsubmit={submit} novalidate=true aria-label={format!("Unlink an identifier: {}", props.title)}>
            <p>{ "To carry out the deletion, unlink each identifier of the person (checked by you, outside this console): their receipts stay as proof, but can no longer be traced to them; systems that ask may no longer use their data until they consent again." }</p>
            if let Some((ok, m)) = &*outcome {
                <p id={result_id.clone()} class={if *ok { "ok" } else { "error" }} role={if *ok { "status" } else { "alert" }} tabindex="-1">{ m }</p>
            }
            <div>
                <label for={kind_id.clone()}>{ "Identifier" }</label>
                <select id={kind_id} ref={kind_ref}>
                    <option value="phone">{ "Phone number" }</option>
                    <option value="email">{ "E-mail address" }</option>
                    <option value="customer">{ "Customer number" }</option>
                    <option value="ticket">{ "Ticket" }</option>
                </select>
            </div>
            <div>
                <label for={value_id.clone()}>{ "Its value" }</label>
                <input id={value_id} ref={value_ref} autocomplete="off" spellcheck="false" maxlength="320" />
            </div>
            if staged.as_ref().is_some_and(|p| !p.matches) {
                <div>
                    <label for={reason_id.clone()}>{ "Why it is the person's (for the audit trail)" }</label>
                    <input id={reason_id} ref={reason_ref} maxlength="500" />
                </div>
            }
            <button type="submit" disabled={*busy}>{
                match (*busy, staged.is_some()) {
                    (true, _) => "Working…",
                    (false, false) => "Check",
                    (false, true) => "Unlink it",
                }
            }</button>
            if staged.is_some() {
                <button type="button" onclick={cancel}>{ "Cancel" }</button>
            }
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(status: &str, days: i64, overdue: bool) -> Value {
        Value::object([
            ("status", Value::str(status)),
            ("days_left", Value::Int(days)),
            ("overdue", Value::Bool(overdue)),
            ("region", Value::str("BR")),
            ("regime", Value::str("br-lgpd")),
        ])
    }

    #[test]
    fn overdue_is_said_in_words() {
        let words = |status, days, overdue| days_words(&row(status, days, overdue));
        assert_eq!(
            words("received", -3, true),
            ("overdue by 3 days".into(), true)
        );
        assert_eq!(words("in_progress", 1, false), ("1 day left".into(), false));
        assert_eq!(words("received", 0, false), ("due today".into(), false));
        assert_eq!(
            words("refused", -2, true),
            ("closed 2 days late".into(), true)
        );
        assert_eq!(
            words("completed", 9, false),
            ("closed in time".into(), false)
        );
        assert_eq!(region_law(&row("received", 0, false)), "BR / LGPD");
        assert_eq!(kind_text("erasure"), "Deletion");
    }
}
