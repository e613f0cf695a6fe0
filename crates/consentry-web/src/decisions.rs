//! What happens after a decision: keep it, announce it, and prove it.
//!
//! 1. At once (synchronously, in the effect that follows the render): the decision is written
//!    to localStorage (`consentry:<notice_id>`, core `StoredConsent`) and `consentry:change`
//!    is dispatched on the host. Nothing here waits for the network.
//! 2. Then, in one queue per page so the hash chain follows decision order: the receipt is
//!    built by core, signed with the device key, the stored chain (last receipt id, payload
//!    SHA-256, seq) and the latest receipt are updated, and the envelope is written to the
//!    outbox; then the outbox is delivered.
//! 3. Delivery (after each receipt, on every mount, on each retry and when the browser comes
//!    back online): queued envelopes are POSTed oldest first, in chain order per endpoint; a
//!    2xx removes one, any 4xx but 408/429 marks it rejected (kept, never retried), anything
//!    else keeps it queued and stops that endpoint for this pass. A stopped pass schedules a
//!    retry after an exponential backoff with full jitter (`outbox::retry_delay`), capped and
//!    reset by a success; while the browser is offline nothing is sent and the `online` event
//!    resumes. Each outcome is a `consentry:receipt` event (`stored`, `queued` with `attempts`
//!    and `retryInMs`, or `rejected` with the server's `code`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use consentry_core::bundle::LocaleBundle;
use consentry_core::encoding::{Sha256Digest, b64url};
use consentry_core::ids::{PurposeId, ReceiptId};
use consentry_core::json;
use consentry_core::receipt::jws::{Jws, JwsSignature, signing_input, typed_protected_header};
use consentry_core::receipt::{Chain, Jurisdiction, Receipt, ReceiptContext};
use consentry_core::session::{DecisionRecord, StoredConsent};

use crate::config::{ACK_KEY, consent_key, latest_receipt_key};
use crate::error::RuntimeError;
use crate::handoff::{self, IssueJob, method_name};
use crate::outbox::{
    Delivery, EntryStatus, OUTBOX_KEY, OUTBOX_UNREADABLE_KEY, Outbox, OutboxEntry, chain_expected,
    classify, resume_payload, retry_delay,
};
use crate::platform::events::Detail;
use crate::platform::{Host, crypto, env, net, storage, timer};

/// Where a decision was expressed (the receipt's `event.channel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Surface {
    /// The first-layer banner.
    Banner,
    /// The dialog (settings, full notice or a separate consent step), or the page's API.
    Settings,
}

/// A decision the visitor just made.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// 1 for the first decision of this mount, then +1.
    pub seq: u32,
    /// The core record (method, choices, previous choices, prior phase).
    pub record: DecisionRecord,
    /// Where it was made.
    pub surface: Surface,
    /// Made by a parent or guardian for a child (the guardian box was ticked).
    pub guardian: bool,
    /// Purposes granted despite an honoured GPC signal (two-step opt-in), now in force.
    pub signal_opt_ins: Vec<PurposeId>,
}

/// Above this a stored `seq` is impossible: the next receipt could not carry it (2^53 − 2).
const MAX_SEQ: u64 = (1 << 53) - 2;

/// Reports a runtime failure as `consentry:error` (`{code, message}`).
pub fn report(host: &Host, e: &RuntimeError) {
    host.dispatch_always(
        "consentry:error",
        Detail::new()
            .str("code", e.code())
            .str("message", &e.to_string()),
    );
}

/// Everything a decision's side effects need.
pub struct DecisionContext {
    /// The host.
    pub host: Host,
    /// Receipt endpoint.
    pub endpoint: Rc<str>,
    /// The bundle shown.
    pub bundle: Rc<LocaleBundle>,
    /// Its digest, as verified against the manifest.
    pub digest: Sha256Digest,
    /// The first layer's exact bytes (their SHA-256 is `digest`): what a receipt job carries
    /// when it is handed to another module or to the signing frame (`crate::handoff`).
    pub first_layer: Rc<[u8]>,
    /// Regime and region.
    pub jurisdiction: Jurisdiction,
    /// Global Privacy Control signal present.
    pub gpc: bool,
    /// The mount's link token, carried by every receipt (ADR 0017).
    pub link: Option<Rc<str>>,
}

impl DecisionContext {
    /// Whether the GPC signal binds here (present, and a regime applied honours it).
    pub fn gpc_honoured(&self) -> bool {
        let applied = self.jurisdiction.applied();
        self.jurisdiction
            .in_force(&applied, self.gpc, false)
            .gpc_honoured()
    }

    /// The members every event about this notice carries: `noticeId`, `version`, `locale`,
    /// `regime` (the visitor's own law), `regimes` (every law applied, theirs first), `region`
    /// (or `null`), `determinedBy`, `gpc`.
    pub fn notice_detail(&self, d: Detail) -> Detail {
        let b = &self.bundle;
        let j = &self.jurisdiction;
        d.str("noticeId", b.notice_id.as_str())
            .str("version", &b.version)
            .str("locale", b.locale.as_str())
            .str("regime", j.regime.as_str())
            .strs("regimes", j.applied().iter().map(|(g, _)| g.as_str()))
            .opt_str("region", j.region.as_ref().map(|r| r.as_str()))
            .str("determinedBy", j.determined_by.as_str())
            .bool("gpc", self.gpc)
    }
}

/// `{ <purpose>: bool, … }` in notice order.
pub fn decisions_detail(choices: &[(PurposeId, bool)]) -> Detail {
    choices
        .iter()
        .fold(Detail::new(), |d, (id, on)| d.bool(id.as_str(), *on))
}

/// Step 1 (synchronous) for a new decision, then queues step 2. The receipt records whether a
/// parent or guardian made it and the purposes granted despite an honoured GPC signal.
pub fn record_decision(ctx: &DecisionContext, decision: &Decision) {
    if let Some(job) = keep_decision(ctx, decision) {
        if signs_elsewhere() {
            // Frame mode: the job waits in storage until the signing frame has it.
            if let Err(e) = handoff::push(&job, &ctx.first_layer) {
                report(&ctx.host, &e);
            }
            send_elsewhere(&ctx.host, &ctx.endpoint);
        } else {
            issue_receipt(job);
        }
    }
}

/// Frame mode (ADR 0012): from now on no receipt is built, signed or delivered on this page.
/// Each decision's job is handed off through storage (`crate::handoff`) and `send(host,
/// endpoint)` (the loader's signer client) is called, which passes the jobs to the signing
/// frame on the receipt server's origin; [`resend_outbox`] calls it too. The device key, the
/// chain and the outbox then live only in that frame.
pub fn sign_elsewhere(send: js_sys::Function) {
    queue(|q| q.elsewhere = Some(send));
}

fn signs_elsewhere() -> bool {
    queue(|q| q.elsewhere.is_some())
}

fn send_elsewhere(host: &Host, endpoint: &str) {
    let send = queue(|q| q.elsewhere.clone());
    if let Some(f) = send
        && let Err(e) = f.call2(
            &wasm_bindgen::JsValue::UNDEFINED,
            host.element(),
            &wasm_bindgen::JsValue::from_str(endpoint),
        )
    {
        report(
            host,
            &RuntimeError::Receipts(crate::platform::js_error_text(&e)),
        );
    }
}

/// Step 1 alone: the decision stored and `consentry:change` dispatched; returns step 2 (the
/// receipt to issue) for [`issue_receipt`], here or in another module on the page (the first
/// module hands it to the receipts module, `crate::handoff`). `None` when no receipt id could
/// be drawn (reported).
pub fn keep_decision(ctx: &DecisionContext, decision: &Decision) -> Option<IssueJob> {
    let record = &decision.record;
    let now = env::now();
    let receipt_id = match crypto::new_receipt_id() {
        Ok(id) => Some(id),
        Err(e) => {
            report(&ctx.host, &e);
            None
        }
    };
    let key = consent_key(ctx.bundle.notice_id.as_str());
    let previous = storage::get(&key)
        .ok()
        .flatten()
        .and_then(|s| StoredConsent::from_json(&s));
    let stored = StoredConsent {
        version: ctx.bundle.version.clone(),
        decided_at: now,
        choices: record.choices.clone(),
        // The chain moves on when the receipt is built (step 2).
        last_receipt_id: previous.as_ref().and_then(|p| p.last_receipt_id.clone()),
        last_receipt_sha256: previous.as_ref().and_then(|p| p.last_receipt_sha256),
        seq: previous.as_ref().map_or(0, |p| p.seq),
        signal_opt_ins: decision.signal_opt_ins.clone(),
        separately: record.separately.clone(),
        guardian: decision.guardian,
    };
    if let Err(e) = storage::set(&key, &stored.to_json()) {
        report(&ctx.host, &e);
    }
    ctx.host.dispatch_always(
        "consentry:change",
        ctx.notice_detail(
            Detail::new()
                .obj("decisions", decisions_detail(&record.choices))
                .str("method", method_name(record.method))
                .opt_str("receiptId", receipt_id.as_ref().map(ReceiptId::as_str)),
        ),
    );
    receipt_id.map(|receipt_id| IssueJob {
        host: ctx.host.clone(),
        endpoint: ctx.endpoint.clone(),
        receipt_id,
        now,
        record: record.clone(),
        on_banner: decision.surface == Surface::Banner,
        bundle: ctx.bundle.clone(),
        digest: ctx.digest,
        jurisdiction: ctx.jurisdiction.clone(),
        gpc: ctx.gpc,
        gpc_honoured: ctx.gpc_honoured(),
        guardian: decision.guardian,
        signal_opt_ins: decision.signal_opt_ins.clone(),
        link: ctx.link.clone(),
    })
}

/// Step 2 of a decision: queued behind the receipts before it (one queue per page, so the
/// hash chain follows decision order).
pub fn issue_receipt(job: IssueJob) {
    enqueue(Job::Issue(Box::new(job)));
}

/// Delivers the outbox from a new mount on `host`: its events go to `host` from now on, and
/// entries that name no endpoint go to `endpoint`.
pub fn resend_outbox(host: Host, endpoint: Rc<str>) {
    if signs_elsewhere() {
        return send_elsewhere(&host, &endpoint);
    }
    if handed_over() {
        return; // another module has the queue
    }
    queue(|q| q.target = Some((host.clone(), endpoint)));
    timer::on_online(|| {
        // Back online: try at once, from a fresh backoff.
        queue(|q| q.failures.clear());
        enqueue(Job::Deliver(None));
    });
    take_handoff(&host, &endpoint_now());
    enqueue(Job::Deliver(None));
}

/// The endpoint of the latest mount: the only place receipts go. Nothing read from storage
/// (an outbox entry, a handed-off job) decides where a receipt is sent.
fn endpoint_now() -> Rc<str> {
    queue(|q| q.target.as_ref().map(|(_, e)| e.clone())).unwrap_or_else(|| Rc::from(""))
}

/// Queues, once each, the receipts another module handed off (`crate::handoff`), oldest
/// first, to be delivered to `endpoint` (the mount's, whatever the stored job names); a job
/// that cannot be read or is not one this page could have made is reported and left in the
/// list.
fn take_handoff(host: &Host, endpoint: &Rc<str>) {
    let list = match handoff::pending() {
        Ok(l) => l,
        Err(e) => return report(host, &e),
    };
    for p in list {
        if queue(|q| q.taken.contains(&p.receipt_id)) {
            continue;
        }
        match handoff::decode(
            &p.job,
            host.clone(),
            endpoint.clone(),
            p.first_layer.as_bytes(),
            env::now(),
        ) {
            Ok(job) => {
                queue(|q| q.taken.push(p.receipt_id));
                enqueue(Job::Issue(Box::new(job)));
            }
            Err(e) => report(host, &RuntimeError::NotSigned(e)),
        }
    }
}

enum Job {
    /// Build, sign and keep one receipt, then deliver.
    Issue(Box<IssueJob>),
    /// Deliver the outbox; the receipt id named is one just issued, whose outcome the page
    /// hears about even when an older one holds it back.
    Deliver(Option<String>),
}

/// The page's receipt queue (this module's), as one value: everything it knows between jobs.
/// Another module on the page has its own; [`hand_over`] makes sure only one of them works the
/// outbox and the chain at a time.
struct Queue {
    /// Jobs waiting, oldest first.
    jobs: VecDeque<Job>,
    /// A task is working through `jobs`.
    running: bool,
    /// This queue has handed the page over to another module (see [`hand_over`]).
    stopped: bool,
    /// What runs once the queue is idle after [`hand_over`].
    on_idle: Vec<Box<dyn FnOnce()>>,
    /// The host that hears about deliveries, and the endpoint of entries that name none.
    target: Option<(Host, Rc<str>)>,
    /// Per endpoint: consecutive passes in which it failed (the backoff exponent).
    failures: Vec<(String, u32)>,
    /// Receipts issued on this page and not yet settled, with the host that issued them (it
    /// hears about their delivery; receipts from earlier page loads go to the target host).
    issued_by: Vec<(String, Host)>,
    /// The endpoint of the mount that issued each receipt on this page (memory only: what
    /// storage says about endpoints is never used).
    issued_to: Vec<(String, Rc<str>)>,
    /// Receipt ids of handed-off jobs this queue has taken (each is issued once).
    taken: Vec<String>,
    /// Frame mode: the loader's `send(host, endpoint)` that passes jobs to the signing frame.
    elsewhere: Option<js_sys::Function>,
}

thread_local! {
    static QUEUE: RefCell<Queue> = const {
        RefCell::new(Queue {
            jobs: VecDeque::new(),
            running: false,
            stopped: false,
            on_idle: Vec::new(),
            target: None,
            failures: Vec::new(),
            issued_by: Vec::new(),
            issued_to: Vec::new(),
            taken: Vec::new(),
            elsewhere: None,
        })
    };
}

/// Runs `f` on the queue. Never held across page code or an `await`: every caller reads or
/// changes the value and lets go before it dispatches, calls the loader or waits.
fn queue<T>(f: impl FnOnce(&mut Queue) -> T) -> T {
    QUEUE.with(|q| f(&mut q.borrow_mut()))
}

/// The host that hears about `receipt_id`: the one that issued it while it is mounted, else
/// `fallback` (the latest mount). With `settled`, the receipt is forgotten afterwards.
fn host_for(receipt_id: &str, fallback: &Host, settled: bool) -> Host {
    let issuer = queue(|q| {
        let i = &mut q.issued_by;
        match i.iter().position(|(id, _)| id == receipt_id) {
            Some(n) if settled => Some(i.remove(n).1),
            Some(n) => Some(i[n].1.clone()),
            None => None,
        }
    });
    issuer
        .filter(Host::is_alive)
        .unwrap_or_else(|| fallback.clone())
}

/// Hands this module's receipt work over to another module on the page (the full widget,
/// which has its own queue over the same storage): from now on this queue starts no delivery
/// and schedules no retry; receipts already being issued are finished (signed and in the
/// outbox, the chain moved on) and a delivery pass in progress ends after its current POST.
/// Then `then` runs, once, when nothing of this queue runs any more; the other module may start
/// its own queue from there without two queues ever working the outbox or the chain at once.
pub fn hand_over(then: impl FnOnce() + 'static) {
    queue(|q| q.stopped = true);
    timer::cancel_retry();
    let later = queue(|q| {
        if q.running {
            q.on_idle.push(Box::new(then));
            None
        } else {
            Some(then)
        }
    });
    if let Some(then) = later {
        then();
    }
}

fn handed_over() -> bool {
    queue(|q| q.stopped)
}

fn enqueue(job: Job) {
    if handed_over() && matches!(job, Job::Deliver(_)) {
        return;
    }
    let start = queue(|q| {
        q.jobs.push_back(job);
        !std::mem::replace(&mut q.running, true)
    });
    if start {
        wasm_bindgen_futures::spawn_local(async {
            while let Some(job) = queue(|q| q.jobs.pop_front()) {
                match job {
                    Job::Issue(j) => {
                        let id = String::from(j.receipt_id.as_str());
                        queue(|q| {
                            q.target = Some((j.host.clone(), j.endpoint.clone()));
                            q.issued_by.push((id.clone(), j.host.clone()));
                            q.issued_to.push((id.clone(), j.endpoint.clone()));
                        });
                        if issue(*j).await && !handed_over() {
                            deliver_all(Some(&id)).await;
                        }
                    }
                    Job::Deliver(_) if handed_over() => {}
                    Job::Deliver(id) => deliver_all(id.as_deref()).await,
                }
            }
            let idle = queue(|q| {
                q.running = false;
                std::mem::take(&mut q.on_idle)
            });
            for then in idle {
                then();
            }
        });
    }
}

/// One delivery pass over the outbox (see the module docs). `fresh`: a receipt just issued.
async fn deliver_all(fresh: Option<&str>) {
    let Some((host, default_endpoint)) = queue(|q| q.target.clone()) else {
        return;
    };
    timer::cancel_retry();
    let queued = load_outbox(&host).map(|o| o.queued()).unwrap_or_default();
    let online = timer::online();
    // Endpoints that failed in this pass: nothing after the failure goes there (chain order).
    let mut stopped: Vec<Rc<str>> = Vec::new();
    // Receipts that stay queued and that the page hears about: the failures, and a fresh
    // receipt held back behind one (or by being offline).
    let mut report_queued: Vec<&str> = Vec::new();
    for entry in &queued {
        if handed_over() {
            // Handed over: the other module delivers the rest (and reports it).
            return;
        }
        let id = entry.receipt_id.as_str();
        // The endpoint of the mount that issued it on this page, else the latest mount's;
        // never one stored with the entry (storage is the page's to rewrite).
        let endpoint: Rc<str> = queue(|q| {
            q.issued_to
                .iter()
                .find(|(x, _)| x == id)
                .map(|(_, e)| e.clone())
        })
        .unwrap_or_else(|| default_endpoint.clone());
        if !online || stopped.contains(&endpoint) {
            if Some(id) == fresh {
                report_queued.push(id);
            }
            continue;
        }
        let (mut delivery, expected) = post(&host, &endpoint, id, &entry.envelope).await;
        // The server logs only receipts that continue the device's chain; when this one
        // does not (local state lost, tampered with, or ahead of what the server logged),
        // it says where the chain stands: sign the same decision again there, once.
        if let Some(at) = expected {
            match resume(&host, id, &entry.envelope, &at).await {
                Some(envelope) => delivery = post(&host, &endpoint, id, &envelope).await.0,
                None => {
                    if let Some(mut outbox) = load_outbox(&host) {
                        outbox.record(id, &delivery);
                        save_outbox(&host, &outbox);
                    }
                }
            }
        }
        let attempts = entry.attempts.saturating_add(1);
        match delivery {
            Delivery::Queued { .. } => {
                stopped.push(endpoint);
                report_queued.push(id);
            }
            Delivery::Stored { .. } => {
                queue(|q| q.failures.retain(|(e, _)| **e != *endpoint));
                let to = host_for(id, &host, true);
                receipt_event(&to, id, &delivery, attempts, None, false);
            }
            Delivery::Rejected { .. } => {
                let to = host_for(id, &host, true);
                receipt_event(&to, id, &delivery, attempts, None, false);
            }
        }
    }
    if report_queued.is_empty() {
        return;
    }
    // Offline: wait for the `online` event. Else retry after the backoff of the endpoint
    // that is due first (each endpoint backs off on its own).
    let retry = (online && !stopped.is_empty()).then(|| {
        let ms = queue(|q| {
            let f = &mut q.failures;
            let mut soonest = u32::MAX;
            for endpoint in &stopped {
                let n = match f.iter_mut().find(|(e, _)| **e == **endpoint) {
                    Some((_, n)) => {
                        *n = n.saturating_add(1);
                        *n
                    }
                    None => {
                        f.push((String::from(&**endpoint), 1));
                        1
                    }
                };
                soonest = soonest.min(retry_delay(n, js_sys::Math::random()));
            }
            soonest
        });
        timer::retry_after(ms, || enqueue(Job::Deliver(None)));
        ms
    });
    let outbox = load_outbox(&host).unwrap_or_default();
    for id in report_queued {
        if let Some(e) = outbox.get(id) {
            let delivery = Delivery::Queued {
                http_status: e.http_status,
            };
            receipt_event(
                &host_for(id, &host, false),
                id,
                &delivery,
                e.attempts,
                retry,
                !online,
            );
        }
    }
}

/// `consentry:receipt`: `{ receiptId, status, httpStatus, code, attempts, retryInMs, offline }`.
fn receipt_event(
    host: &Host,
    receipt_id: &str,
    delivery: &Delivery,
    attempts: u32,
    retry_in_ms: Option<u32>,
    offline: bool,
) {
    let code = match delivery {
        Delivery::Rejected { code, .. } => Some(code.as_str()),
        _ => None,
    };
    host.dispatch_always(
        "consentry:receipt",
        Detail::new()
            .str("receiptId", receipt_id)
            .str("status", delivery.status())
            .num("httpStatus", delivery.http_status().map(u32::from))
            .opt_str("code", code)
            .num("attempts", Some(attempts))
            .num("retryInMs", retry_in_ms)
            .bool("offline", offline),
    );
}

/// Builds, signs and keeps one receipt; whether it is now in the outbox.
async fn issue(job: IssueJob) -> bool {
    let key = match crypto::device_key().await {
        Ok(k) => k,
        Err(e) => {
            report(&job.host, &e);
            return false;
        }
    };
    let storage_key = consent_key(job.bundle.notice_id.as_str());
    let stored = || {
        storage::get(&storage_key)
            .ok()
            .flatten()
            .and_then(|s| StoredConsent::from_json(&s))
    };
    // Impossible local state (a number no next receipt can carry) starts from nothing; the
    // server then says where the chain stands (`chain_conflict`) and the receipt resumes there.
    let prev = stored()
        .and_then(|s| Some((s.last_receipt_id?, s.last_receipt_sha256?, s.seq)))
        .filter(|(_, _, seq)| *seq < MAX_SEQ);
    let mut receipt = Receipt::for_decision(
        &job.record,
        &ReceiptContext {
            receipt_id: job.receipt_id.clone(),
            now: job.now,
            subject: key.jwk.thumbprint(),
            jurisdiction: job.jurisdiction.clone(),
            bundle: &job.bundle,
            bundle_sha256: job.digest,
            on_banner: job.on_banner,
            gpc: job.gpc,
            prev,
        },
    );
    if job.guardian {
        receipt = receipt.by_guardian();
    }
    if job.gpc_honoured {
        receipt = receipt
            .honouring_gpc()
            .with_gpc_opt_ins(job.signal_opt_ins.clone());
    }
    if let Some(link) = &job.link {
        receipt = match receipt.with_link(link) {
            Ok(r) => r,
            Err(why) => {
                report(
                    &job.host,
                    &RuntimeError::NotSigned(
                        String::from("the link option is not a link token: ") + why,
                    ),
                );
                return false;
            }
        };
    }
    let payload = receipt.payload_bytes();
    let envelope = match sign(&key, &payload).await {
        Ok(signed) => signed,
        Err(e) => {
            report(&job.host, &e);
            return false;
        }
    };

    // The chain moves on now, before any network: the next receipt links to this one.
    let mut st = stored().unwrap_or_else(|| StoredConsent {
        version: job.bundle.version.clone(),
        decided_at: job.now,
        choices: job.record.choices.clone(),
        last_receipt_id: None,
        last_receipt_sha256: None,
        seq: 0,
        signal_opt_ins: job.signal_opt_ins.clone(),
        separately: job.record.separately.clone(),
        guardian: job.guardian,
    });
    st.last_receipt_id = Some(job.receipt_id.clone());
    st.last_receipt_sha256 = Some(Sha256Digest::of(&payload));
    st.seq = receipt.chain.subject_seq;
    let saved = storage::set(&storage_key, &st.to_json()).and_then(|()| {
        let mut latest = String::from(job.receipt_id.as_str());
        latest.push('\n');
        latest.push_str(&envelope);
        storage::set(&latest_receipt_key(job.bundle.notice_id.as_str()), &latest)
    });
    if let Err(e) = saved {
        report(&job.host, &e);
    }

    // Write-ahead: in the outbox before any POST, so an unload mid-request loses nothing.
    let Some(mut outbox) = load_outbox(&job.host) else {
        return false;
    };
    outbox.upsert(OutboxEntry {
        receipt_id: job.receipt_id.as_str().to_owned(),
        envelope,
        status: EntryStatus::Queued,
        queued_at: job.now.0,
        attempts: 0,
        http_status: None,
        code: None,
        endpoint: None,
    });
    let kept = save_outbox(&job.host, &outbox);
    // In the outbox now: a job handed off by another module is done with.
    if kept && let Err(e) = handoff::remove(job.receipt_id.as_str()) {
        report(&job.host, &e);
    }
    kept
}

/// The device-signed envelope of `payload` (canonical receipt bytes).
pub async fn sign(key: &crypto::DeviceKey, payload: &[u8]) -> Result<String, RuntimeError> {
    sign_typed(key, payload, consentry_core::receipt::jws::RECEIPT_TYP).await
}

/// The device-signed envelope of `payload`, a document of type `typ` (a receipt, a
/// data-subject request).
pub async fn sign_typed(
    key: &crypto::DeviceKey,
    payload: &[u8],
    typ: &str,
) -> Result<String, RuntimeError> {
    let payload_b64 = b64url(payload);
    let protected = typed_protected_header(&key.jwk, typ);
    let signature = key
        .sign(signing_input(&protected, &payload_b64).as_bytes())
        .await?;
    Ok(Jws {
        payload: payload_b64,
        signatures: vec![JwsSignature {
            protected,
            signature: b64url(&signature),
        }],
    }
    .to_json())
}

/// After `409 chain_conflict`: signs the receipt in `envelope` again at the chain position
/// `at` (marked `resumed`; the decision, its time and the notice unchanged), puts it in the
/// outbox in place of the old envelope, and moves the stored chain on when it is the last
/// receipt made here. `None` (reported) when that cannot be done: the entry then stays as the
/// server answered.
async fn resume(host: &Host, receipt_id: &str, envelope: &str, at: &Chain) -> Option<String> {
    let fail = |why: &str| {
        let mut m = String::from("receipt ");
        m.push_str(receipt_id);
        m.push_str(" could not continue the chain the server holds: ");
        m.push_str(why);
        report(host, &RuntimeError::NotSigned(m));
        None
    };
    let Some(resumed) = resume_payload(envelope, at) else {
        return fail("its envelope is unreadable");
    };
    if resumed.receipt_id != receipt_id {
        return fail("its envelope holds another receipt");
    }
    let key = match crypto::device_key().await {
        Ok(k) => k,
        Err(e) => {
            report(host, &e);
            return None;
        }
    };
    // Only this device's own receipts are signed again.
    if resumed.subject != key.jwk.thumbprint() {
        return fail("it was signed by another device key");
    }
    let payload = resumed.payload;
    let envelope = match sign(&key, &payload).await {
        Ok(signed) => signed,
        Err(e) => {
            report(host, &e);
            return None;
        }
    };
    let mut outbox = load_outbox(host)?;
    let entry = outbox
        .entries
        .iter_mut()
        .find(|e| e.receipt_id == receipt_id)?;
    entry.envelope.clone_from(&envelope);
    if !save_outbox(host, &outbox) {
        return None;
    }
    let notice = resumed.notice_id.as_str();
    let key_name = consent_key(notice);
    let stored = storage::get(&key_name)
        .ok()
        .flatten()
        .and_then(|t| StoredConsent::from_json(&t));
    if let Some(mut st) = stored.filter(|st| {
        st.last_receipt_id
            .as_ref()
            .is_some_and(|id| id.as_str() == receipt_id)
    }) {
        st.last_receipt_sha256 = Some(Sha256Digest::of(&payload));
        st.seq = at.subject_seq;
        let mut latest = String::from(receipt_id);
        latest.push('\n');
        latest.push_str(&envelope);
        let saved = storage::set(&key_name, &st.to_json())
            .and_then(|()| storage::set(&latest_receipt_key(notice), &latest));
        if let Err(e) = saved {
            report(host, &e);
        }
    }
    Some(envelope)
}

/// POSTs one envelope and records the outcome in the outbox (and, when stored, the
/// server's answer for "download my receipt").
async fn post(
    host: &Host,
    endpoint: &str,
    receipt_id: &str,
    envelope: &str,
) -> (Delivery, Option<Chain>) {
    let mut expected = None;
    let delivery = match net::post_json(endpoint, envelope).await {
        Ok((status, body)) => {
            let d = classify(status, &body);
            expected = chain_expected(status, &body);
            // Keep the server's answer (its countersignature) for "download my receipt".
            // Valid JSON is valid UTF-8 (core's reader checks it).
            let answer = json::parse(&body)
                .ok()
                .and_then(|_| core::str::from_utf8(&body).ok());
            if let (Delivery::Stored { .. }, Some(answer)) = (&d, answer) {
                let mut ack = String::from(receipt_id);
                ack.push('\n');
                ack.push_str(answer);
                if let Err(e) = storage::set(ACK_KEY, &ack) {
                    report(host, &e);
                }
            }
            d
        }
        Err(_) => Delivery::Queued { http_status: None },
    };
    // A chain conflict is recorded by the caller, after it has tried to resume.
    if expected.is_none()
        && let Some(mut outbox) = load_outbox(host)
    {
        outbox.record(receipt_id, &delivery);
        save_outbox(host, &outbox);
    }
    (delivery, expected)
}

/// The outbox, or `None` when storage is unusable (then nothing is written back, so nothing
/// stored is overwritten).
fn load_outbox(host: &Host) -> Option<Outbox> {
    let text = match storage::get(OUTBOX_KEY) {
        Ok(t) => t,
        Err(e) => {
            report(host, &e);
            return None;
        }
    };
    match Outbox::parse(text.as_deref()) {
        Ok(o) => Some(o),
        Err(e) => {
            // Never delete what cannot be read: move it aside (appending to anything already
            // there), then start a fresh outbox.
            let mut kept = storage::get(OUTBOX_UNREADABLE_KEY)
                .ok()
                .flatten()
                .unwrap_or_default();
            if !kept.is_empty() {
                kept.push('\n');
            }
            kept.push_str(text.as_deref().unwrap_or(""));
            report(host, &RuntimeError::OutboxCorrupt(e.to_string()));
            match storage::set(OUTBOX_UNREADABLE_KEY, &kept) {
                Ok(()) => Some(Outbox::default()),
                Err(se) => {
                    report(host, &se);
                    None
                }
            }
        }
    }
}

/// Writes the outbox back; whether that worked (a failure is reported).
fn save_outbox(host: &Host, outbox: &Outbox) -> bool {
    match storage::set(OUTBOX_KEY, &outbox.to_json()) {
        Ok(()) => true,
        Err(e) => {
            report(host, &e);
            false
        }
    }
}

/// The latest signed receipt of `notice_id` as a downloadable JSON document:
/// `{"receipt": <the signed envelope>, "server": <the server's countersigned answer>}`, the
/// answer only when the server has stored that very receipt. `None` when no receipt is kept.
pub fn receipt_download(notice_id: &str) -> Option<(String, String)> {
    let latest = storage::get(&latest_receipt_key(notice_id))
        .ok()
        .flatten()?;
    let (receipt_id, envelope) = latest.split_once('\n')?;
    let ack = storage::get(ACK_KEY).ok().flatten();
    let server = ack
        .as_deref()
        .and_then(|a| a.split_once('\n'))
        .filter(|(id, _)| *id == receipt_id)
        .map(|(_, body)| body);
    let mut doc = String::from("{\"receipt\":");
    doc.push_str(envelope);
    if let Some(body) = server {
        doc.push_str(",\"server\":");
        doc.push_str(body);
    }
    doc.push('}');
    // `urn:uuid:<uuid>` → `consentry-receipt-<uuid>.json`.
    let mut name = String::from("consentry-receipt-");
    name.push_str(receipt_id.rsplit(':').next().unwrap_or("latest"));
    name.push_str(".json");
    Some((name, doc))
}
