//! The hotline view (issue 15, item 2; ADR 0018): the agent picks the caller's language and
//! region, reads the oral script of the published notice in that language, records each
//! answer, and the console signs the receipt with the agent's console key. The caller gets a
//! short code to look the receipt up on the web.
//!
//! Nothing is decided here either: which purpose is a statement, a question or a separate
//! question is core's `receipt::agent::script` (the rule the verifier checks), the receipt is
//! core's `Receipt::for_call`, the notice files are checked against the manifest with core's
//! `read_published_locale` before a word is read out, and the server checks the key, the
//! session, the link and the chain before it logs anything.

use std::rc::Rc;

use consentry_core::bundle::{LocaleBundle, Manifest, read_published_locale};
use consentry_core::encoding::Sha256Digest;
use consentry_core::ids::{LocaleTag, PurposeId, ReceiptId, RegionCode};
use consentry_core::json::{self, Value};
use consentry_core::messages::{HOTLINE_CLOSING, HOTLINE_OPENING, HOTLINE_PURPOSE};
use consentry_core::receipt::agent::{Call, Step, script};
use consentry_core::receipt::request::{DataRequest, REQUEST_TYP, RequestKind};
use consentry_core::receipt::{Channel, Jurisdiction, Receipt};
use consentry_core::regime::RegionSource;
use consentry_core::time::Timestamp;
use consentry_web::platform::crypto::DeviceKey;
use yew::prelude::*;

use crate::api::{Failure, Me, list, s};
use crate::platform;

/// Where the published notice is (the site the server serves).
const NOTICE_DIR: &str = "/notice/";

/// What the view holds once the workstation is ready.
struct Desk {
    manifest: Manifest,
    key: DeviceKey,
    kid: String,
}

/// One call in progress.
#[derive(Clone)]
struct CallState {
    bundle: Rc<LocaleBundle>,
    sha: Sha256Digest,
    jurisdiction: Jurisdiction,
    call_ref: String,
    start: Value,
    steps: Vec<(PurposeId, Step)>,
    answers: Vec<(PurposeId, bool)>,
    /// 0: the statements and ordinary questions; k ≥ 1: the k-th separate question.
    page: usize,
}

impl CallState {
    fn separate(&self) -> Vec<PurposeId> {
        self.steps
            .iter()
            .filter(|(_, s)| *s == Step::Separate)
            .map(|(p, _)| p.clone())
            .collect()
    }
    fn answer(&self, p: &PurposeId) -> Option<bool> {
        self.answers.iter().find(|(q, _)| q == p).map(|(_, a)| *a)
    }
    fn set(&mut self, p: &PurposeId, yes: bool) {
        self.answers.retain(|(q, _)| q != p);
        self.answers.push((p.clone(), yes));
    }
}

#[derive(Clone)]
enum Stage {
    Setup,
    Ready,
    Call(Box<CallState>),
    Done {
        closing: String,
        recorded: Recorded,
        call: Box<CallState>,
    },
}

/// What the server gave back for a recorded call.
#[derive(Clone, PartialEq)]
struct Recorded {
    code: String,
    receipt_id: String,
    receipt_sha256: String,
}

/// The text of message `id` in the caller's language, its variables filled in.
fn line(b: &LocaleBundle, id: &str, vars: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    b.message(id).map(|m| m.with_vars(vars).to_plain())
}

fn purpose_line(b: &LocaleBundle, p: &PurposeId, separate: bool) -> String {
    let id = if separate {
        format!("{HOTLINE_PURPOSE}{p}-separate")
    } else {
        format!("{HOTLINE_PURPOSE}{p}")
    };
    let retention = b
        .purpose(p.as_str())
        .map(|q| platform::duration_text(b.locale.as_str(), &q.retention));
    line(b, &id, &|v| {
        (v == "retention").then(|| retention.clone()).flatten()
    })
    .unwrap_or_else(|| format!("[the notice has no {id}]"))
}

async fn setup(me: &Me) -> Result<Desk, String> {
    let (status, bytes) = platform::get_bytes(&format!("{NOTICE_DIR}manifest.json")).await?;
    if status != 200 {
        return Err(format!(
            "the published notice could not be loaded ({status})"
        ));
    }
    let manifest = Manifest::from_json(&bytes).map_err(|e| format!("the manifest: {e}"))?;
    let key = platform::agent_key().await?;
    let body = json::to_canonical_string(&Value::object([("jwk", key.jwk.to_value())]));
    let a = platform::post("/console/api/agent-keys", body, &me.csrf).await?;
    let v = json::parse_str(&a.text).unwrap_or(Value::Null);
    if a.status != 200 {
        let why = v
            .get("error")
            .and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("refused");
        return Err(format!("this workstation's key was not registered: {why}"));
    }
    Ok(Desk {
        manifest,
        kid: key.jwk.thumbprint(),
        key,
    })
}

/// The caller's locale file, checked against the manifest (and its details file against the
/// first layer) before anything is read out.
async fn load_locale(
    m: &Manifest,
    tag: &LocaleTag,
) -> Result<(LocaleBundle, Sha256Digest), String> {
    let entry = m
        .entry(tag)
        .ok_or_else(|| format!("the notice has no {tag}"))?;
    let (_, first) = platform::get_bytes(&format!("{NOTICE_DIR}{}", entry.path)).await?;
    let details = consentry_core::bundle::FirstLayer::from_json(&first)
        .ok()
        .and_then(|f| f.details.map(|d| d.path));
    let mut files = vec![(entry.path.clone(), first)];
    if let Some(d) = &details {
        let (_, bytes) = platform::get_bytes(&format!("{NOTICE_DIR}{d}")).await?;
        files.push((d.clone(), bytes));
    }
    let mut read = |name: &str| {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
            .ok_or_else(|| format!("{name} was not fetched"))
    };
    let bundle = read_published_locale(entry, details.as_deref(), &mut read)
        .map_err(|e| format!("the {tag} notice could not be verified: {e}"))?;
    if bundle.notice_id != m.notice_id || bundle.version != m.version || bundle.locale != *tag {
        return Err("the locale file is not the manifest's".into());
    }
    Ok((bundle, entry.sha256))
}

#[derive(Properties, PartialEq)]
pub struct HotlineProps {
    pub who: Me,
    pub on_signed_out: Callback<()>,
}

/// The regions an agent can pick: every home region of the built-in table, sorted.
fn regions() -> Vec<&'static str> {
    let mut r: Vec<&'static str> = consentry_core::law::homes().map(|(c, _)| c).collect();
    r.sort_unstable();
    r.dedup();
    r
}

#[function_component(Hotline)]
pub fn hotline(props: &HotlineProps) -> Html {
    let desk = use_state(|| None::<Rc<Desk>>);
    let stage = use_state(|| Stage::Setup);
    let error = use_state(|| None::<String>);
    let busy = use_state(|| false);
    let (locale_ref, region_ref, kind_ref, value_ref, call_ref) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    {
        let (desk, stage, error, me) = (
            desk.clone(),
            stage.clone(),
            error.clone(),
            props.who.clone(),
        );
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                match setup(&me).await {
                    Ok(d) => {
                        desk.set(Some(Rc::new(d)));
                        stage.set(Stage::Ready);
                    }
                    Err(e) => error.set(Some(e)),
                }
            });
        });
    }
    let fail = {
        let (error, busy) = (error.clone(), busy.clone());
        move |m: String| {
            error.set(Some(m));
            busy.set(false);
            platform::focus("hotline-error");
        }
    };

    let start = {
        let (desk, stage, busy, error, me, out) = (
            desk.clone(),
            stage.clone(),
            busy.clone(),
            error.clone(),
            props.who.clone(),
            props.on_signed_out.clone(),
        );
        let refs = (
            locale_ref.clone(),
            region_ref.clone(),
            kind_ref.clone(),
            value_ref.clone(),
            call_ref.clone(),
        );
        let fail = fail.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(d) = (*desk).clone() else { return };
            let locale = platform::value(&refs.0);
            let region = platform::value(&refs.1);
            let kind = platform::value(&refs.2);
            let value = platform::value(&refs.3);
            let call_ref = platform::value(&refs.4).trim().to_owned();
            let (stage, busy, error, me, out, fail) = (
                stage.clone(),
                busy.clone(),
                error.clone(),
                me.clone(),
                out.clone(),
                fail.clone(),
            );
            if value.trim().is_empty() || call_ref.is_empty() {
                fail("Enter the caller's number and the call reference.".into());
                return;
            }
            busy.set(true);
            error.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(tag) = LocaleTag::parse(&locale) else {
                    return fail("Pick the caller's language.".into());
                };
                let Ok(region) = RegionCode::parse(&region) else {
                    return fail("Pick the caller's region.".into());
                };
                let (bundle, sha) = match load_locale(&d.manifest, &tag).await {
                    Ok(x) => x,
                    Err(e) => return fail(e),
                };
                let body = json::to_canonical_string(&Value::object([
                    (
                        "identifier",
                        Value::object([("kind", Value::str(kind)), ("value", Value::str(value))]),
                    ),
                    ("call_ref", Value::str(call_ref.clone())),
                    ("kid", Value::str(d.kid.clone())),
                    ("notice_id", Value::str(bundle.notice_id.as_str())),
                ]));
                let a = match platform::post("/console/api/hotline/start", body, &me.csrf).await {
                    Ok(a) => a,
                    Err(e) => return fail(e),
                };
                let v = json::parse_str(&a.text).unwrap_or(Value::Null);
                match a.status {
                    200 => {}
                    401 => return out.emit(()),
                    st => {
                        let why = v
                            .get("error")
                            .and_then(|e| e.get("message"))
                            .and_then(Value::as_str)
                            .unwrap_or("refused")
                            .to_owned();
                        return fail(format!("The call could not be started ({st}): {why}"));
                    }
                }
                let jurisdiction = Jurisdiction::new(
                    Some(region.clone()),
                    RegionSource::UserSelection,
                    bundle.regions.regimes_for(Some(&region)),
                );
                let applied = jurisdiction.applied();
                let f = jurisdiction.in_force(&applied, false, false);
                let steps = script(&bundle, &f)
                    .into_iter()
                    .map(|(p, s)| (p.id.clone(), s))
                    .collect();
                busy.set(false);
                stage.set(Stage::Call(Box::new(CallState {
                    bundle: Rc::new(bundle),
                    sha,
                    jurisdiction,
                    call_ref,
                    start: v,
                    steps,
                    answers: Vec::new(),
                    page: 0,
                })));
                platform::focus("script-title");
            });
        })
    };

    let body = match &*stage {
        Stage::Setup => html! {
            if error.is_none() {
                <p role="status">{ "Preparing this workstation's key…" }</p>
            }
        },
        Stage::Ready => {
            let Some(d) = (*desk).clone() else {
                return html! {};
            };
            html! {
                <form class="hotline-start" onsubmit={start} novalidate=true>
                    <p>{ format!("Notice {} version {}. This workstation's key: {}…", d.manifest.notice_id, d.manifest.version, &d.kid[..12]) }</p>
                    <label for="call-locale">{ "Caller's language" }</label>
                    <select id="call-locale" ref={locale_ref}>
                        { for d.manifest.locales.iter().map(|e| html! {
                            <option value={e.locale.as_str().to_owned()}>{ format!("{} ({})", e.name, e.locale) }</option>
                        }) }
                    </select>
                    <label for="call-region">{ "Caller's region" }</label>
                    <select id="call-region" ref={region_ref}>
                        { for regions().into_iter().map(|r| html! { <option value={r}>{ r }</option> }) }
                    </select>
                    <label for="caller-kind">{ "The caller is known by" }</label>
                    <select id="caller-kind" ref={kind_ref}>
                        <option value="phone">{ "Phone number" }</option>
                        <option value="customer">{ "Customer number" }</option>
                    </select>
                    <label for="caller-value">{ "Number (international form for a phone, e.g. +86 138 0013 8000)" }</label>
                    <input id="caller-value" ref={value_ref} autocomplete="off" required=true />
                    <label for="call-ref">{ "Call reference (from the telephone system)" }</label>
                    <input id="call-ref" ref={call_ref} autocomplete="off" required=true />
                    <button type="submit" disabled={*busy}>{ if *busy { "Starting…" } else { "Start the script" } }</button>
                </form>
            }
        }
        Stage::Call(c) => call_view(c, &stage, &busy, &fail, &desk, &props.who),
        Stage::Done {
            closing,
            recorded,
            call,
        } => {
            let next = stage.clone();
            html! {
                <>
                    <section aria-labelledby="script-title">
                        <h2 id="script-title" tabindex="-1">{ "Read to the caller" }</h2>
                        <p class="script-line" lang={call.bundle.locale.as_str().to_owned()}
                            dir={call.bundle.dir.as_str()} data-testid="script-closing">{ closing }</p>
                        <p>{ "Receipt code: " }<strong class="code" data-testid="receipt-code">{ recorded.code.clone() }</strong></p>
                    </section>
                    <CallerRequest call={(**call).clone()} recorded={recorded.clone()} who={props.who.clone()} desk={(*desk).clone()} />
                    <button type="button" onclick={Callback::from(move |_| next.set(Stage::Ready))}>{ "Next call" }</button>
                </>
            }
        }
    };
    html! {
        <>
            <h1 id="page-title" tabindex="-1">{ "Hotline call" }</h1>
            if let Some(m) = &*error {
                <p id="hotline-error" class="error" role="alert" tabindex="-1">{ m }</p>
            }
            { body }
        </>
    }
}

fn radio(
    name: &str,
    yes: bool,
    current: Option<bool>,
    label: String,
    onchange: Callback<Event>,
) -> Html {
    let id = format!("{name}-{}", if yes { "yes" } else { "no" });
    html! {
        <div class="choice">
            <input type="radio" id={id.clone()} name={name.to_owned()} checked={current == Some(yes)} onchange={onchange} />
            <label for={id}>{ label }</label>
        </div>
    }
}

fn question(c: &CallState, p: &PurposeId, separate: bool, stage: &UseStateHandle<Stage>) -> Html {
    let b = &c.bundle;
    let text = purpose_line(b, p, separate);
    let name = format!("answer-{p}");
    let current = c.answer(p);
    let pick = |yes: bool| {
        let (stage, c, p) = (stage.clone(), c.clone(), p.clone());
        Callback::from(move |_: Event| {
            let mut c = c.clone();
            c.set(&p, yes);
            stage.set(Stage::Call(Box::new(c)));
        })
    };
    let word = |id: &str, fallback: &str| {
        b.message(id)
            .map_or_else(|| fallback.to_owned(), |m| m.to_plain())
    };
    html! {
        <fieldset class="question" data-testid={format!("{}-{p}", if separate { "separate" } else { "question" })}>
            <legend class="script-line">{ text }</legend>
            { radio(&name, true, current, word("agree", "Yes"), pick(true)) }
            { radio(&name, false, current, word("disagree", "No"), pick(false)) }
        </fieldset>
    }
}

fn call_view(
    c: &CallState,
    stage: &UseStateHandle<Stage>,
    busy: &UseStateHandle<bool>,
    fail: &(impl Fn(String) + Clone + 'static),
    desk: &UseStateHandle<Option<Rc<Desk>>>,
    me: &Me,
) -> Html {
    let b = &c.bundle;
    let separate = c.separate();
    let lang = b.locale.as_str().to_owned();
    let dir = b.dir.as_str();
    // The last page records; the others move on once each question on them has an answer.
    let last = c.page == separate.len();
    let on_page: Vec<PurposeId> = if c.page == 0 {
        c.steps
            .iter()
            .filter(|(_, s)| *s == Step::Question)
            .map(|(p, _)| p.clone())
            .collect()
    } else {
        vec![separate[c.page - 1].clone()]
    };
    let next = {
        let (stage, busy, fail, desk, me, c) = (
            stage.clone(),
            busy.clone(),
            fail.clone(),
            desk.clone(),
            me.clone(),
            c.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if on_page.iter().any(|p| c.answer(p).is_none()) {
                fail("Record the caller's answer to every question on this page.".into());
                return;
            }
            if !last {
                let mut c = c.clone();
                c.page += 1;
                stage.set(Stage::Call(Box::new(c)));
                platform::focus("script-title");
                return;
            }
            let Some(d) = (*desk).clone() else { return };
            let (stage, busy, fail, me, c) = (
                stage.clone(),
                busy.clone(),
                fail.clone(),
                me.clone(),
                c.clone(),
            );
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                match record(&d, &me, &c).await {
                    Ok(recorded) => {
                        let closing = line(&c.bundle, HOTLINE_CLOSING, &|v| {
                            (v == "code").then(|| recorded.code.clone())
                        })
                        .unwrap_or_default();
                        busy.set(false);
                        stage.set(Stage::Done {
                            closing,
                            recorded,
                            call: Box::new(c),
                        });
                        platform::focus("script-title");
                    }
                    Err(e) => fail(e),
                }
            });
        })
    };
    let title = if c.page == 0 {
        "Read to the caller".to_owned()
    } else {
        format!(
            "Separate consent: question {} of {} (ask it on its own)",
            c.page,
            separate.len()
        )
    };
    html! {
        <form class="script" onsubmit={next} novalidate=true>
            <h2 id="script-title" tabindex="-1">{ title }</h2>
            <div lang={lang} dir={dir}>
                if c.page == 0 {
                    <p class="script-line" data-testid="script-opening">
                        { line(b, HOTLINE_OPENING, &|_| None).unwrap_or_default() }
                    </p>
                    { for c.steps.iter().map(|(p, s)| match s {
                        Step::Statement => html! {
                            <p class="script-line" data-testid={format!("statement-{p}")}>{ purpose_line(b, p, false) }</p>
                        },
                        Step::Question => question(c, p, false, stage),
                        Step::Separate => html! {},
                    }) }
                } else {
                    { question(c, &separate[c.page - 1], true, stage) }
                }
            </div>
            <button type="submit" disabled={**busy}>{
                if **busy { "Recording…" } else if last { "Record the answers" } else { "Next question" }
            }</button>
        </form>
    }
}

/// Signs the call's receipt with the agent's key and hands it to the server; the caller's
/// code.
async fn record(d: &Desk, me: &Me, c: &CallState) -> Result<Recorded, String> {
    let start = &c.start;
    let expected = start.get("expected").cloned().unwrap_or(Value::Null);
    let prev = match (
        expected.get("prev_receipt_id").and_then(Value::as_str),
        expected.get("prev_receipt_sha256").and_then(Value::as_str),
        expected.get("subject_seq").and_then(Value::as_i64),
    ) {
        (Some(id), Some(h), Some(seq)) if seq >= 1 => Some((
            ReceiptId::parse(id).map_err(|e| e.to_string())?,
            Sha256Digest::from_hex(h).ok_or("the server's chain position is unreadable")?,
            (seq - 1) as u64,
        )),
        _ => None,
    };
    let receipt = Receipt::for_call(&Call {
        bundle: &c.bundle,
        bundle_sha256: c.sha,
        jurisdiction: c.jurisdiction.clone(),
        receipt_id: platform::new_receipt_id()?,
        now: Timestamp(platform::now_ms()),
        agent_key: d.kid.clone(),
        agent_id: s(start, "agent_id").to_owned(),
        call_ref: c.call_ref.clone(),
        link: s(start, "link").to_owned(),
        answers: c.answers.clone(),
        granted_before: list(start, "granted_before")
            .iter()
            .filter_map(|p| PurposeId::parse(p.as_str()?).ok())
            .collect(),
        known_caller: start.get("known_caller") == Some(&Value::Bool(true)),
        prev,
    })
    .map_err(|e| e.to_string())?;
    let envelope = platform::sign(&d.key, &receipt.payload_bytes()).await?;
    let a = platform::post("/console/api/hotline/receipts", envelope, &me.csrf).await?;
    let v = json::parse_str(&a.text).unwrap_or(Value::Null);
    match a.status {
        200 | 201 => Ok(Recorded {
            code: s(&v, "code").to_owned(),
            receipt_id: s(&v, "receipt_id").to_owned(),
            receipt_sha256: s(&v, "receipt_sha256").to_owned(),
        }),
        st => Err(format!(
            "The receipt was not recorded ({st}): {}",
            Failure::Refused(
                st,
                s(v.get("error").unwrap_or(&Value::Null), "message").to_owned()
            )
            .message()
        )),
    }
}

#[derive(Properties, Clone)]
struct CallerRequestProps {
    call: CallState,
    recorded: Recorded,
    who: Me,
    desk: Option<Rc<Desk>>,
}

impl PartialEq for CallerRequestProps {
    fn eq(&self, other: &Self) -> bool {
        self.recorded == other.recorded && self.who == other.who
    }
}

/// The caller asks about their data (issue 15 item 8): the agent records the request, signed
/// with the agent's key, naming the receipt of this call and the caller's link.
#[function_component(CallerRequest)]
fn caller_request(props: &CallerRequestProps) -> Html {
    let kind_ref = use_node_ref();
    let details_ref = use_node_ref();
    let outcome = use_state(|| None::<Result<String, String>>);
    let busy = use_state(|| false);
    let submit = {
        let (kind_ref, details_ref, outcome, busy, p) = (
            kind_ref.clone(),
            details_ref.clone(),
            outcome.clone(),
            busy.clone(),
            props.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(desk) = p.desk.clone() else { return };
            let kind = platform::value(&kind_ref);
            let details = platform::value(&details_ref);
            let (outcome, busy, p) = (outcome.clone(), busy.clone(), p.clone());
            busy.set(true);
            wasm_bindgen_futures::spawn_local(async move {
                let r = send_request(&desk, &p, &kind, details.trim()).await;
                outcome.set(Some(r));
                busy.set(false);
                platform::focus("request-outcome");
            });
        })
    };
    html! {
        <section aria-labelledby="request-title">
            <h2 id="request-title">{ "The caller asks about their data" }</h2>
            <form class="caller-request" onsubmit={submit} novalidate=true>
                <label for="request-kind">{ "The caller asks for" }</label>
                <select id="request-kind" ref={kind_ref}>
                    { for RequestKind::ALL.iter().map(|k| html! {
                        <option value={k.as_str()}>{ kind_label(*k) }</option>
                    }) }
                </select>
                <label for="request-details">{ "In the caller's words (optional, at most 1,000 characters)" }</label>
                <textarea id="request-details" ref={details_ref} maxlength="1000" rows="3" />
                <button type="submit" disabled={*busy}>{ "Record the request" }</button>
            </form>
            { match &*outcome {
                Some(Ok(m)) => html! { <p id="request-outcome" role="status" tabindex="-1">{ m }</p> },
                Some(Err(m)) => html! { <p id="request-outcome" class="error" role="alert" tabindex="-1">{ m }</p> },
                None => html! {},
            } }
        </section>
    }
}

/// What the agent's form calls each kind of request.
pub fn kind_label(k: RequestKind) -> &'static str {
    match k {
        RequestKind::Access => "Access: a copy of their data and how we use it",
        RequestKind::Rectification => "Correction of their data",
        RequestKind::Erasure => "Deletion of their data",
        RequestKind::Portability => "Their data in a form to take elsewhere",
        RequestKind::Objection => "Objection to a use of their data",
    }
}

async fn send_request(
    d: &Desk,
    p: &CallerRequestProps,
    kind: &str,
    details: &str,
) -> Result<String, String> {
    let kind = RequestKind::parse(kind).ok_or("Pick what the caller asks for.")?;
    let start = &p.call.start;
    let request = DataRequest {
        request_id: platform::new_receipt_id()?,
        made_at: Timestamp(platform::now_ms()),
        kind,
        channel: Channel::HotlineAgent,
        subject: d.kid.clone(),
        receipt: (
            ReceiptId::parse(&p.recorded.receipt_id).map_err(|e| e.to_string())?,
            Sha256Digest::from_hex(&p.recorded.receipt_sha256)
                .ok_or("the recorded receipt's digest is unreadable")?,
        ),
        details: (!details.is_empty()).then(|| details.to_owned()),
        agent: Some((s(start, "agent_id").to_owned(), p.call.call_ref.clone())),
        link: Some(s(start, "link").to_owned()),
    };
    let envelope = platform::sign_typed(&d.key, &request.payload_bytes(), REQUEST_TYP).await?;
    let a = platform::post("/console/api/hotline/requests", envelope, &p.who.csrf).await?;
    let v = json::parse_str(&a.text).unwrap_or(Value::Null);
    match a.status {
        200 | 201 => Ok(format!(
            "Request recorded: {}. It is answered by {} (the law of the caller's region). Tell the caller.",
            kind_label(kind).to_lowercase(),
            s(&v, "deadline").get(..10).unwrap_or("–")
        )),
        st => Err(format!(
            "The request was not recorded ({st}): {}",
            s(v.get("error").unwrap_or(&Value::Null), "message")
        )),
    }
}
