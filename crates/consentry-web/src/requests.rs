//! Data-subject requests from the widget's privacy settings (issue 15 item 8, ADR 0019).
//!
//! The visitor picks what they ask for (access, rectification, erasure, portability,
//! objection: what the notice's `[rights]` offers) and may add details; the form hands a
//! [`Draft`] to whoever holds the device key: this page's receipts module (same-origin mode)
//! or the signing frame (frame mode, ADR 0012, its own `request` message). There the request is
//! built by core ([`DataRequest`], channel `web_settings`), names the subject's latest receipt
//! the server logged (the answer kept for "download my receipt", [`logged_receipt`]), is
//! signed with the device key under its own `typ` (`consentry-request+jws`, never a receipt's)
//! and POSTed to the `requests` endpoint beside the receipts one ([`requests_endpoint`]). The
//! form hears an [`Outcome`]: sent (the request id and the deadline the server answered),
//! no logged receipt yet, or failed with a code.
//!
//! Both modules draw the same form (the first module's settings with web-sys, the full
//! widget's with Yew) over one [`Form`]: the kinds it offers ([`offered`]), the rule of "send"
//! ([`Form::send`]: not twice, a kind picked, the details within core's limit), what an
//! [`Outcome`] shows and keeps ([`Form::outcome`]), what the status line says
//! ([`Status::line`], [`Form::shown`]), and the one way a draft reaches the signer
//! ([`ask_with`]: the loader's `request` hook).
//!
//! The draft is the only thing the page gives the signer: it is read strictly
//! ([`Draft::from_json`]: exactly `kind` and an optional `details`, nothing else), so no receipt,
//! job or payload can be passed off as a request; everything else (id, time, subject, the
//! named receipt) the signer fills in itself.

use consentry_core::bundle::LocaleBundle;
use consentry_core::encoding::{Sha256Digest, b64url_decode};
use consentry_core::ids::ReceiptId;
use consentry_core::json::{self, Value};
use consentry_core::receipt::Channel;
use consentry_core::receipt::request::{DataRequest, REQUEST_TYP, RequestKind, details_ok};
use consentry_core::time::Timestamp;

/// A draft's JSON is at most this long (a thousand characters of details, escaped, and the
/// kind): anything longer is not a draft.
pub const MAX_DRAFT_BYTES: usize = 8 * 1024;

/// What the visitor asks, as the form hands it to the signer: `{"details":…,"kind":…}`
/// (canonical JSON, `details` only when there are some).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draft {
    /// What is asked for.
    pub kind: RequestKind,
    /// The visitor's own words (core's [`details_ok`]).
    pub details: Option<String>,
}

/// Why a draft was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftError {
    /// No kind was picked (the form says so).
    NoKind,
    /// The details are longer than core's `MAX_DETAILS` characters.
    Details,
    /// Not a request draft at all (another document, unknown members, a kind core does not
    /// know): refused by the signer, nothing is signed.
    Invalid,
}

impl DraftError {
    /// Stable machine code: `request_kind_missing`, `request_details_invalid`,
    /// `request_invalid`.
    pub fn code(self) -> &'static str {
        match self {
            DraftError::NoKind => "request_kind_missing",
            DraftError::Details => "request_details_invalid",
            DraftError::Invalid => "request_invalid",
        }
    }
}

impl Draft {
    /// From the form: the kind picked (its wire name, if any) and the text typed (surrounding
    /// spaces dropped; nothing typed is no details).
    pub fn from_form(kind: Option<&str>, details: &str) -> Result<Self, DraftError> {
        let kind = match kind.filter(|k| !k.is_empty()) {
            None => return Err(DraftError::NoKind),
            Some(k) => RequestKind::parse(k).ok_or(DraftError::Invalid)?,
        };
        let details = details.trim();
        let details = if details.is_empty() {
            None
        } else if details_ok(details) {
            Some(details.into())
        } else {
            return Err(DraftError::Details);
        };
        Ok(Self { kind, details })
    }

    /// The draft as the signer reads it.
    pub fn to_json(&self) -> String {
        let mut m = vec![("kind", Value::str(self.kind.as_str()))];
        if let Some(d) = &self.details {
            m.push(("details", Value::str(d.clone())));
        }
        json::to_canonical_string(&Value::object(m))
    }

    /// Reads a draft strictly: a JSON object of exactly `kind` (one of core's request kinds)
    /// and optionally `details` (core's [`details_ok`]). A receipt, a receipt job, a payload or
    /// anything with another member is [`DraftError::Invalid`].
    pub fn from_json(text: &str) -> Result<Self, DraftError> {
        if text.len() > MAX_DRAFT_BYTES {
            return Err(DraftError::Invalid);
        }
        let v = json::parse_str(text).map_err(|_| DraftError::Invalid)?;
        let members = v.as_object().ok_or(DraftError::Invalid)?;
        if members.iter().any(|(k, _)| k != "kind" && k != "details") {
            return Err(DraftError::Invalid);
        }
        let kind = v
            .get("kind")
            .and_then(Value::as_str)
            .and_then(RequestKind::parse)
            .ok_or(DraftError::Invalid)?;
        let details = match v.get("details") {
            None => None,
            Some(d) => match d.as_str() {
                Some(d) if details_ok(d) => Some(d.into()),
                _ => return Err(DraftError::Invalid),
            },
        };
        Ok(Self { kind, details })
    }

    /// The request this draft asks for, as the device `subject` makes it at `now` under
    /// `request_id`, naming its logged `receipt`: a web request (`web_settings`, no agent, no
    /// link), built by core.
    pub fn request(
        &self,
        request_id: ReceiptId,
        now: Timestamp,
        subject: String,
        receipt: (ReceiptId, Sha256Digest),
    ) -> DataRequest {
        DataRequest {
            request_id,
            made_at: now,
            kind: self.kind,
            channel: Channel::WebSettings,
            subject,
            receipt,
            details: self.details.clone(),
            agent: None,
            link: None,
        }
    }
}

/// The `typ` a request is signed under (never a receipt's).
pub const TYP: &str = REQUEST_TYP;

/// Where requests go: `requests` beside the receipts `endpoint` (`/v1/receipts` →
/// `/v1/requests`, `https://consent.example.com/v1/receipts` →
/// `https://consent.example.com/v1/requests`); its query and fragment dropped.
pub fn requests_endpoint(endpoint: &str) -> String {
    let path = endpoint.split(['?', '#']).next().unwrap_or_default();
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    let mut s = String::from(dir);
    s.push_str("requests");
    s
}

/// The latest receipt the server logged for `subject`, from the answer kept for "download
/// my receipt" (`<receipt id>\n<the server's answer>`, `config::ACK_KEY`): its id and payload
/// hash as the server answered them, if that receipt is `subject`'s (a receipt this device
/// signed with another key, e.g. before the site turned frame mode on, is not named).
pub fn logged_receipt(ack: &str, subject: &str) -> Option<(ReceiptId, Sha256Digest)> {
    let (id, answer) = ack.split_once('\n')?;
    let v = json::parse_str(answer).ok()?;
    let text = |k: &str| v.get(k).and_then(Value::as_str);
    if text("receipt_id")? != id || text("status")? != "stored" {
        return None;
    }
    let payload = b64url_decode(v.get("receipt")?.get("payload")?.as_str()?)?;
    let receipt = json::parse(&payload).ok()?;
    let signer = receipt.get("subject")?.get("pseudonym")?.as_str()?;
    if signer != subject || receipt.get("receipt_id")?.as_str()? != id {
        return None;
    }
    Some((
        ReceiptId::parse(id).ok()?,
        Sha256Digest::from_hex(text("receipt_sha256")?)?,
    ))
}

/// What became of a request, as the signer tells the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server keeps it: its id and the deadline it answered (RFC 3339).
    Sent {
        /// The request's id.
        request_id: String,
        /// When it must be answered, by the server's reckoning.
        deadline: String,
    },
    /// This device has no receipt the server logged yet: the visitor must decide first.
    NoReceipt,
    /// Not sent, or refused: a stable code (the server's `error.code`, `http_<status>`,
    /// `network_error`, a [`DraftError`] code or the device key's).
    Failed {
        /// Why.
        code: String,
    },
}

impl Outcome {
    /// A failure with `code`.
    pub fn failed(code: &str) -> Self {
        Outcome::Failed { code: code.into() }
    }

    /// The server's answer to the POST: `201`/`200` with the request id and deadline is
    /// [`Outcome::Sent`], anything else [`Outcome::Failed`] with its code.
    pub fn from_answer(status: u16, body: &[u8]) -> Self {
        if (200..300).contains(&status) {
            let v = json::parse(body).ok();
            let text = |k: &str| {
                v.as_ref()
                    .and_then(|v| v.get(k))
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty() && s.len() <= 128)
                    .map(String::from)
            };
            return match (text("request_id"), text("deadline")) {
                (Some(request_id), Some(deadline)) => Outcome::Sent {
                    request_id,
                    deadline,
                },
                _ => Outcome::failed("request_unanswered"),
            };
        }
        Outcome::Failed {
            code: crate::outbox::server_error_code(status, body),
        }
    }

    /// `{"outcome":"sent","request_id":…,"deadline":…}`, `{"outcome":"no_receipt"}` or
    /// `{"outcome":"failed","code":…}`.
    pub fn to_json(&self) -> String {
        let v = match self {
            Outcome::Sent {
                request_id,
                deadline,
            } => Value::object([
                ("outcome", Value::str("sent")),
                ("request_id", Value::str(request_id.clone())),
                ("deadline", Value::str(deadline.clone())),
            ]),
            Outcome::NoReceipt => Value::object([("outcome", Value::str("no_receipt"))]),
            Outcome::Failed { code } => Value::object([
                ("outcome", Value::str("failed")),
                ("code", Value::str(code.clone())),
            ]),
        };
        json::to_canonical_string(&v)
    }

    /// Reads what the signer told; anything unreadable is a failure
    /// (`request_unanswered`).
    pub fn from_json(text: &str) -> Self {
        let Ok(v) = json::parse_str(text) else {
            return Outcome::failed("request_unanswered");
        };
        let text = |k: &str| {
            v.get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty() && s.len() <= 128)
                .map(String::from)
        };
        match text("outcome").as_deref() {
            Some("sent") => match (text("request_id"), text("deadline")) {
                (Some(request_id), Some(deadline)) => Outcome::Sent {
                    request_id,
                    deadline,
                },
                _ => Outcome::failed("request_unanswered"),
            },
            Some("no_receipt") => Outcome::NoReceipt,
            Some("failed") => Outcome::failed(text("code").as_deref().unwrap_or("request_failed")),
            _ => Outcome::failed("request_unanswered"),
        }
    }
}

/// The kinds of request the form offers: those of core's kinds (in core's order) that the
/// notice's `[rights]` offers; their labels are `right-<kind>`. None: no form.
pub fn offered(b: &LocaleBundle) -> Vec<&'static str> {
    RequestKind::ALL
        .iter()
        .map(|k| k.as_str())
        .filter(|k| b.rights.iter().any(|r| r.id == *k))
        .collect()
}

/// What the request form's status line says (a `role="status"`, `aria-live="polite"` region).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Nothing yet.
    #[default]
    Idle,
    /// On its way.
    Sending,
    /// No kind was picked.
    PickKind,
    /// No receipt of this device is on record yet (or no decision is in force): decide first.
    NoReceipt,
    /// Kept by the server: its id, and the deadline.
    Sent {
        /// The request's id.
        request_id: String,
        /// The deadline as the server answered it (RFC 3339, the `<time>`'s `datetime`).
        deadline: String,
        /// The deadline as a date in the notice's language.
        date: String,
    },
    /// Not sent: why (a stable code); what the visitor typed stays.
    Failed(String),
}

impl Status {
    /// The status line's `data-state` and the message it opens with (`request-*`); `None`
    /// while idle (no `data-state`, nothing said). A sent request's line goes on with its
    /// number and deadline, a failure's with its code.
    pub fn line(&self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Status::Idle => return None,
            Status::Sending => ("sending", "request-sending"),
            Status::PickKind => ("invalid", "request-pick-kind"),
            Status::NoReceipt => ("no-receipt", "request-needs-receipt"),
            Status::Sent { .. } => ("sent", "request-sent"),
            Status::Failed(_) => ("failed", "request-failed"),
        })
    }
}

/// The request form: what was picked and typed (kept while the settings are redrawn, closed
/// and opened again) and what became of the last try.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    /// The kind picked (its wire name).
    pub kind: Option<String>,
    /// What was typed.
    pub details: String,
    /// The status line.
    pub status: Status,
}

impl Form {
    /// "Send my request", with what the form shows now in `kind` and `details`: the draft's
    /// JSON to hand the signer ([`ask_with`]), the status then [`Status::Sending`]; or `None`
    /// when a request is already on its way (a send cannot fire twice), or the draft is not
    /// one ([`Draft::from_form`]: no kind is [`Status::PickKind`], anything else
    /// [`Status::Failed`] with its code), what was typed staying.
    pub fn send(&mut self) -> Option<String> {
        if self.status == Status::Sending {
            return None;
        }
        let (status, draft) = match Draft::from_form(self.kind.as_deref(), &self.details) {
            Ok(d) => (Status::Sending, Some(d.to_json())),
            Err(DraftError::NoKind) => (Status::PickKind, None),
            Err(e) => (Status::Failed(e.code().into()), None),
        };
        self.status = status;
        draft
    }

    /// What became of the request: the status line says it (a sent request's deadline as a
    /// date by `date`, e.g. `platform::env::date_text` in the notice's language); a sent
    /// request clears what was picked and typed (so it is not sent again by mistake), a
    /// failure keeps it. Returns whether it was sent (the form's controls are to be cleared).
    pub fn outcome(&mut self, outcome: Outcome, date: impl FnOnce(&str) -> String) -> bool {
        self.status = match outcome {
            Outcome::Sent {
                request_id,
                deadline,
            } => Status::Sent {
                date: date(&deadline),
                request_id,
                deadline,
            },
            Outcome::NoReceipt => Status::NoReceipt,
            Outcome::Failed { code } => Status::Failed(code),
        };
        let sent = matches!(self.status, Status::Sent { .. });
        if sent {
            self.kind = None;
            self.details.clear();
        }
        sent
    }

    /// What the status line shows: without a decision in force, that a choice comes first
    /// (and the form offers nothing to send).
    pub fn shown(&self, decided: bool) -> &Status {
        if decided {
            &self.status
        } else {
            &Status::NoReceipt
        }
    }
}

thread_local! {
    /// The loader's `request` hook, as the full widget was given it ([`set_hook`]).
    static HOOK: std::cell::RefCell<Option<js_sys::Function>> =
        const { std::cell::RefCell::new(None) };
}

/// Keeps the loader's `request(host, endpoint, draft)` hook for this module's forms (the full
/// widget's `request` export; the first module reads it from the receipts object its `mount`
/// is given).
pub fn set_hook(hook: js_sys::Function) {
    HOOK.with(|h| *h.borrow_mut() = Some(hook));
}

/// The hook [`set_hook`] kept, if any (for [`ask_with`]).
pub fn hook() -> Option<js_sys::Function> {
    HOOK.with(|h| h.borrow().clone())
}

/// Hands the request `draft` (a [`Draft`]'s JSON, from [`Form::send`]) to whoever holds the
/// device key, through the loader's `request(host, endpoint, draft)` hook: the receipts module
/// (same-origin mode) or the signing frame (frame mode), which signs and sends it
/// ([`sign_and_send`]); resolves to what became of it. No hook (a module mounted without the
/// loader), a hook that throws or rejects (the receipts module cannot load, the frame does
/// not answer) is [`Outcome::Failed`] `receipts_unavailable`. Both modules' forms send
/// through here.
pub async fn ask_with(
    hook: Option<js_sys::Function>,
    host: &crate::platform::Host,
    endpoint: &str,
    draft: &str,
) -> Outcome {
    use wasm_bindgen::{JsCast, JsValue};
    let unavailable = || Outcome::failed("receipts_unavailable");
    let Some(f) = hook else {
        return unavailable();
    };
    let called = f.call3(
        &JsValue::UNDEFINED,
        host.element(),
        &JsValue::from_str(endpoint),
        &JsValue::from_str(draft),
    );
    let Some(promise) = called
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok())
    else {
        return unavailable();
    };
    match wasm_bindgen_futures::JsFuture::from(promise).await {
        Ok(v) => v.as_string().map_or_else(
            || Outcome::failed("request_unanswered"),
            |t| Outcome::from_json(&t),
        ),
        Err(_) => unavailable(),
    }
}

/// A request signed on this page whose sending has not been answered as sent: when the
/// visitor tries again with the same draft, for the same key, naming the same receipt, to the
/// same endpoint, these bytes go again (same request id), so an answer lost on the way does
/// not queue the request twice: the server answers the same bytes with what it stored
/// (ADR 0019). Anything else changed, and it is a new request with a new id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unsent {
    /// What the form held.
    pub draft: Draft,
    /// The signing key's thumbprint.
    pub subject: String,
    /// The receipt it names.
    pub receipt: (ReceiptId, Sha256Digest),
    /// Where it went.
    pub endpoint: String,
    /// The signed envelope.
    pub envelope: String,
}

impl Unsent {
    /// The envelope to send again for this attempt, if it is the same request.
    pub fn again(
        &self,
        draft: &Draft,
        subject: &str,
        receipt: &(ReceiptId, Sha256Digest),
        endpoint: &str,
    ) -> Option<&str> {
        (self.draft == *draft
            && self.subject == subject
            && self.receipt == *receipt
            && self.endpoint == endpoint)
            .then_some(self.envelope.as_str())
    }
}

thread_local! {
    /// This page's [`Unsent`] request, if any.
    static UNSENT: std::cell::RefCell<Option<Unsent>> = const { std::cell::RefCell::new(None) };
}

/// Signs and sends the request `draft` (its JSON, from the form) with this origin's device
/// key, naming the latest receipt the server logged for it, to `requests` beside the receipts
/// `endpoint`. Tried again after a failure, the same request goes again ([`Unsent`]). Never
/// throws: every failure is an [`Outcome`].
pub async fn sign_and_send(draft: &str, endpoint: &str) -> Outcome {
    use crate::platform::{crypto, env, net, storage};
    let draft = match Draft::from_json(draft) {
        Ok(d) => d,
        Err(e) => return Outcome::failed(e.code()),
    };
    let key = match crypto::device_key().await {
        Ok(k) => k,
        Err(e) => return Outcome::failed(e.code()),
    };
    let subject = key.jwk.thumbprint();
    let ack = storage::get(crate::config::ACK_KEY).ok().flatten();
    let Some(receipt) = ack.and_then(|a| logged_receipt(&a, &subject)) else {
        return Outcome::NoReceipt;
    };
    let again = UNSENT.with_borrow(|u| {
        u.as_ref()
            .and_then(|u| u.again(&draft, &subject, &receipt, endpoint))
            .map(str::to_owned)
    });
    let envelope = match again {
        Some(e) => e,
        None => {
            let id = match crypto::new_receipt_id() {
                Ok(id) => id,
                Err(e) => return Outcome::failed(e.code()),
            };
            let request = draft.request(id, env::now(), subject.clone(), receipt.clone());
            match crate::decisions::sign_typed(&key, &request.payload_bytes(), TYP).await {
                Ok(e) => e,
                Err(e) => return Outcome::failed(e.code()),
            }
        }
    };
    UNSENT.set(Some(Unsent {
        draft,
        subject,
        receipt,
        endpoint: endpoint.to_owned(),
        envelope: envelope.clone(),
    }));
    let outcome = match net::post_json(&requests_endpoint(endpoint), &envelope).await {
        Ok((status, body)) => Outcome::from_answer(status, &body),
        Err(_) => Outcome::failed("network_error"),
    };
    if matches!(outcome, Outcome::Sent { .. }) {
        UNSENT.set(None);
    }
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;
    use consentry_core::receipt::jws::typed_protected_header;
    use consentry_core::receipt::verify::verify_request;
    use consentry_core::testing::TestSigner;

    #[test]
    fn a_draft_from_the_form_is_read_back_the_same_and_signs_as_a_request_core_verifies() {
        let d = Draft::from_form(Some("erasure"), "  Bitte löschen Sie meine Chats.  ").unwrap();
        assert_eq!(d.details.as_deref(), Some("Bitte löschen Sie meine Chats."));
        let text = d.to_json();
        assert_eq!(
            text,
            r#"{"details":"Bitte löschen Sie meine Chats.","kind":"erasure"}"#
        );
        assert_eq!(Draft::from_json(&text), Ok(d.clone()));
        assert_eq!(
            Draft::from_form(Some("access"), "   "),
            Ok(Draft {
                kind: RequestKind::Access,
                details: None
            })
        );

        let signer = TestSigner::device();
        let receipt = (
            ReceiptId::from_random_bytes([1; 16]),
            Sha256Digest::of(b"the logged receipt"),
        );
        let r = d.request(
            ReceiptId::from_random_bytes([2; 16]),
            Timestamp(1_795_807_800_000),
            signer.kid(),
            receipt.clone(),
        );
        let env = signer
            .sign_with_header(
                &typed_protected_header(signer.jwk(), TYP),
                &r.payload_bytes(),
            )
            .to_json();
        let keys = consentry_core::receipt::verify::KeySet::default();
        let (back, _) = verify_request(env.as_bytes(), &keys, Timestamp(1_795_807_900_000))
            .expect("a request core verifies");
        assert_eq!(back.channel, Channel::WebSettings);
        assert_eq!(back.kind, RequestKind::Erasure);
        assert_eq!(back.receipt, receipt);
        assert_eq!(back.subject, signer.kid());
    }

    #[test]
    fn a_request_tried_again_goes_again_only_when_nothing_changed() {
        let draft = Draft::from_form(Some("erasure"), "my chats").unwrap();
        let receipt = (
            ReceiptId::from_random_bytes([1; 16]),
            Sha256Digest::of(b"logged"),
        );
        let u = Unsent {
            draft: draft.clone(),
            subject: "kid-a".into(),
            receipt: receipt.clone(),
            endpoint: "https://c.example/v1/receipts".into(),
            envelope: "{signed}".into(),
        };
        let ep = u.endpoint.clone();
        assert_eq!(u.again(&draft, "kid-a", &receipt, &ep), Some("{signed}"));
        let other = Draft::from_form(Some("erasure"), "my calls").unwrap();
        assert_eq!(u.again(&other, "kid-a", &receipt, &ep), None);
        assert_eq!(u.again(&draft, "kid-b", &receipt, &ep), None);
        let newer = (receipt.0.clone(), Sha256Digest::of(b"newer"));
        assert_eq!(u.again(&draft, "kid-a", &newer, &ep), None);
        assert_eq!(
            u.again(&draft, "kid-a", &receipt, "https://d.example/v1/receipts"),
            None
        );
    }

    #[test]
    fn the_form_says_what_is_missing_and_too_long_details_are_refused() {
        assert_eq!(Draft::from_form(None, "x"), Err(DraftError::NoKind));
        assert_eq!(Draft::from_form(Some(""), "x"), Err(DraftError::NoKind));
        assert_eq!(
            Draft::from_form(Some("restriction"), ""),
            Err(DraftError::Invalid)
        );
        let long = "é".repeat(1001);
        assert_eq!(
            Draft::from_form(Some("erasure"), &long),
            Err(DraftError::Details)
        );
        assert!(Draft::from_form(Some("erasure"), &"é".repeat(1000)).is_ok());
    }

    #[test]
    fn a_receipt_a_job_or_anything_else_is_no_draft() {
        for text in [
            // A receipt payload.
            r#"{"schema_version":"consentry-receipt/1","receipt_id":"urn:uuid:0","decisions":[]}"#,
            // A draft with a receipt's members besides.
            r#"{"kind":"erasure","schema_version":"consentry-receipt/1"}"#,
            r#"{"kind":"erasure","subject":{"pseudonym":"x"}}"#,
            // A request payload (the signer fills these in itself).
            r#"{"channel":"web_settings","kind":"erasure","request_id":"urn:uuid:1"}"#,
            // A hand-off job (an array), and odd values.
            r#"["urn:uuid:1","/v1/receipts","{}","{}"]"#,
            r#"{"kind":"restriction"}"#,
            r#"{"kind":"erasure","details":"   "}"#,
            r#"{"kind":"erasure","details":7}"#,
            r#"{"details":"x"}"#,
            "not json",
            "",
        ] {
            assert_eq!(Draft::from_json(text), Err(DraftError::Invalid), "{text}");
        }
        assert_eq!(
            Draft::from_json(&" ".repeat(MAX_DRAFT_BYTES + 1)),
            Err(DraftError::Invalid)
        );
    }

    #[test]
    fn the_form_sends_once_says_what_is_missing_and_keeps_what_was_typed_until_sent() {
        let mut f = Form::default();
        assert_eq!(f.status.line(), None);
        assert_eq!(
            f.shown(false),
            &Status::NoReceipt,
            "no decision: a choice comes first"
        );
        f.details = "Bitte löschen.".into();
        assert_eq!(f.send(), None);
        assert_eq!(f.status, Status::PickKind);
        assert_eq!(f.status.line(), Some(("invalid", "request-pick-kind")));
        f.kind = Some("erasure".into());
        let draft = f.send().expect("a draft");
        assert_eq!(
            Draft::from_json(&draft).map(|d| d.kind),
            Ok(RequestKind::Erasure)
        );
        assert_eq!(f.status, Status::Sending);
        assert_eq!(f.send(), None, "not twice while it is on its way");
        assert!(!f.outcome(Outcome::failed("overloaded"), |_| unreachable!()));
        assert_eq!(f.status, Status::Failed("overloaded".into()));
        assert_eq!(f.status.line(), Some(("failed", "request-failed")));
        assert_eq!(
            (f.kind.as_deref(), f.details.as_str()),
            (Some("erasure"), "Bitte löschen.")
        );
        assert!(f.send().is_some(), "sent again after a failure");
        let sent = Outcome::Sent {
            request_id: "urn:uuid:1".into(),
            deadline: "2027-01-06T10:00:00Z".into(),
        };
        assert!(f.outcome(sent, |d| format!("date of {d}")));
        assert_eq!(
            f.status,
            Status::Sent {
                request_id: "urn:uuid:1".into(),
                deadline: "2027-01-06T10:00:00Z".into(),
                date: "date of 2027-01-06T10:00:00Z".into(),
            }
        );
        assert_eq!(
            (f.kind, f.details.as_str()),
            (None, ""),
            "cleared once sent"
        );
        let mut f = Form {
            kind: Some("erasure".into()),
            details: "é".repeat(1001),
            status: Status::Idle,
        };
        assert_eq!(f.send(), None);
        assert_eq!(f.status, Status::Failed("request_details_invalid".into()));
        assert!(!f.outcome(Outcome::NoReceipt, |_| String::new()));
        assert_eq!(
            f.status.line(),
            Some(("no-receipt", "request-needs-receipt"))
        );
    }

    #[test]
    fn requests_go_beside_the_receipts_endpoint() {
        assert_eq!(requests_endpoint("/v1/receipts"), "/v1/requests");
        assert_eq!(
            requests_endpoint("https://consent.example.com/v1/receipts?x=1"),
            "https://consent.example.com/v1/requests"
        );
        assert_eq!(requests_endpoint("receipts"), "requests");
    }

    /// The server's answer to a stored receipt, as `receive::stored_body` writes it.
    fn ack(signer: &TestSigner, id: &str, status: &str) -> String {
        let payload = json::to_canonical_string(&Value::object([
            ("receipt_id", Value::str(id)),
            (
                "subject",
                Value::object([("pseudonym", Value::str(signer.kid()))]),
            ),
        ]));
        let env = signer.sign_payload(payload.as_bytes()).to_json();
        let hash = Sha256Digest::of(payload.as_bytes()).to_hex();
        format!(
            "{id}\n{{\"ledger_index\":3,\"receipt\":{env},\"receipt_id\":\"{id}\",\"receipt_sha256\":\"{hash}\",\"status\":\"{status}\"}}"
        )
    }

    #[test]
    fn the_logged_receipt_is_the_servers_answer_for_this_key_only() {
        let me = TestSigner::device();
        let other = TestSigner::other();
        let id = ReceiptId::from_random_bytes([9; 16]);
        let a = ack(&me, id.as_str(), "stored");
        let (got, hash) = logged_receipt(&a, &me.kid()).expect("named");
        assert_eq!(got, id);
        assert_eq!(hash.to_hex().len(), 64);
        assert_eq!(logged_receipt(&a, &other.kid()), None, "another key's");
        assert_eq!(
            logged_receipt(&ack(&me, id.as_str(), "queued"), &me.kid()),
            None
        );
        assert_eq!(logged_receipt("garbage", &me.kid()), None);
        let wrong_id = a.replacen(
            id.as_str(),
            "urn:uuid:00000000-0000-4000-8000-000000000000",
            1,
        );
        assert_eq!(logged_receipt(&wrong_id, &me.kid()), None);
    }

    #[test]
    fn outcomes_travel_as_json_and_answers_become_outcomes() {
        for o in [
            Outcome::Sent {
                request_id: "urn:uuid:1".into(),
                deadline: "2027-01-06T10:00:00Z".into(),
            },
            Outcome::NoReceipt,
            Outcome::failed("request_receipt_unknown"),
        ] {
            assert_eq!(Outcome::from_json(&o.to_json()), o);
        }
        assert_eq!(
            Outcome::from_json("{}"),
            Outcome::failed("request_unanswered")
        );
        assert_eq!(
            Outcome::from_answer(
                201,
                br#"{"deadline":"2027-01-06T10:00:00Z","kind":"erasure","request_id":"urn:uuid:1","status":"received"}"#
            ),
            Outcome::Sent {
                request_id: "urn:uuid:1".into(),
                deadline: "2027-01-06T10:00:00Z".into()
            }
        );
        assert_eq!(
            Outcome::from_answer(
                422,
                br#"{"error":{"code":"request_receipt_unknown","message":"x"}}"#
            ),
            Outcome::failed("request_receipt_unknown")
        );
        assert_eq!(Outcome::from_answer(503, b""), Outcome::failed("http_503"));
        assert_eq!(
            Outcome::from_answer(201, b"{}"),
            Outcome::failed("request_unanswered")
        );
    }
}
