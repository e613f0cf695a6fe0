//! The receipt outbox: signed envelopes that have not (yet) been stored by the server.
//!
//! Kept in localStorage under [`OUTBOX_KEY`] as a JSON array, oldest first. An envelope goes
//! in *before* it is POSTed (so a page unload mid-request loses nothing), leaves on a 2xx,
//! stays `queued` on a network error, a 5xx, 408 or 429, and stays marked `rejected` with the
//! server's error code on any other 4xx (retrying cannot fix it): never dropped silently. The
//! envelope is kept as the exact JSON text that was signed; resends are idempotent by receipt
//! id on the server.
//!
//! Delivery is in order: entries go to their endpoint oldest first, and once one stays queued
//! nothing after it goes to that endpoint in the same pass, so receipts reach the server in the
//! order of their hash chain. While the page stays open, a queued entry is retried after an
//! exponential backoff with full jitter ([`retry_delay`]), capped, reset by a success, and
//! paused while the browser is offline; every mount tries again at once.

use core::fmt;

use consentry_core::encoding::{Sha256Digest, b64url_decode};
use consentry_core::ids::ReceiptId;
use consentry_core::json::{self, Value};
use consentry_core::receipt::Chain;

/// localStorage key of the outbox.
pub const OUTBOX_KEY: &str = "consentry:outbox";
/// Where an unreadable outbox text is moved (never deleted) before a fresh outbox starts.
pub const OUTBOX_UNREADABLE_KEY: &str = "consentry:outbox:unreadable";

/// State of an outbox entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryStatus {
    /// Waiting to be (re)sent.
    Queued,
    /// The server refused it with a 4xx; kept for inspection, not resent.
    Rejected,
}

impl EntryStatus {
    /// `queued` or `rejected`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntryStatus::Queued => "queued",
            EntryStatus::Rejected => "rejected",
        }
    }
}

/// One envelope in the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxEntry {
    /// The receipt id (`urn:uuid:…`).
    pub receipt_id: String,
    /// The envelope, exactly as sent.
    pub envelope: String,
    /// Queued or rejected.
    pub status: EntryStatus,
    /// When it was first queued (ms since the epoch, client clock).
    pub queued_at: i64,
    /// How many POSTs were made.
    pub attempts: u32,
    /// HTTP status of the last answer, if there was one.
    pub http_status: Option<u16>,
    /// The server's error code of a rejection.
    pub code: Option<String>,
    /// Where it is to be POSTed (the mount's `endpoint` when it was signed); entries written
    /// before this was kept go to the current mount's endpoint.
    pub endpoint: Option<String>,
}

/// Why the stored outbox text could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxParseError(pub String);

impl fmt::Display for OutboxParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl core::error::Error for OutboxParseError {}

/// The outbox, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outbox {
    /// Entries, oldest first.
    pub entries: Vec<OutboxEntry>,
}

impl Outbox {
    /// Reads the stored text (`None`: no outbox yet).
    pub fn parse(text: Option<&str>) -> Result<Self, OutboxParseError> {
        let Some(text) = text else {
            return Ok(Self::default());
        };
        let v = json::parse_str(text).map_err(|e| OutboxParseError(e.to_string()))?;
        let items = v
            .as_array()
            .ok_or_else(|| OutboxParseError("the outbox is not a JSON array".into()))?;
        let bad = |what: &str| {
            let mut m = String::from("outbox entry: ");
            m.push_str(what);
            OutboxParseError(m)
        };
        let mut entries = Vec::with_capacity(items.len());
        for item in items {
            let s = |k: &str| item.get(k).and_then(Value::as_str);
            let status = match s("status") {
                Some("queued") => EntryStatus::Queued,
                Some("rejected") => EntryStatus::Rejected,
                _ => return Err(bad("status must be \"queued\" or \"rejected\"")),
            };
            entries.push(OutboxEntry {
                receipt_id: s("id").ok_or_else(|| bad("id missing"))?.into(),
                envelope: s("envelope").ok_or_else(|| bad("envelope missing"))?.into(),
                status,
                queued_at: item
                    .get("queued_at")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("queued_at missing"))?,
                attempts: item
                    .get("attempts")
                    .and_then(Value::as_i64)
                    .and_then(|n| u32::try_from(n).ok())
                    .ok_or_else(|| bad("attempts missing"))?,
                http_status: item
                    .get("http_status")
                    .and_then(Value::as_i64)
                    .and_then(|n| u16::try_from(n).ok()),
                code: s("code").map(String::from),
                endpoint: s("endpoint").map(String::from),
            });
        }
        Ok(Self { entries })
    }

    /// The stored text (canonical JSON).
    pub fn to_json(&self) -> String {
        let arr = self
            .entries
            .iter()
            .map(|e| {
                let mut m = vec![
                    ("id", Value::str(e.receipt_id.clone())),
                    ("envelope", Value::str(e.envelope.clone())),
                    ("status", Value::str(e.status.as_str())),
                    ("queued_at", Value::Int(e.queued_at)),
                    ("attempts", Value::Int(i64::from(e.attempts))),
                ];
                if let Some(s) = e.http_status {
                    m.push(("http_status", Value::Int(i64::from(s))));
                }
                if let Some(c) = &e.code {
                    m.push(("code", Value::str(c.clone())));
                }
                if let Some(u) = &e.endpoint {
                    m.push(("endpoint", Value::str(u.clone())));
                }
                Value::object(m)
            })
            .collect();
        json::to_canonical_string(&Value::Arr(arr))
    }

    /// Adds `entry`, or replaces the entry with the same receipt id.
    pub fn upsert(&mut self, entry: OutboxEntry) {
        match self
            .entries
            .iter_mut()
            .find(|e| e.receipt_id == entry.receipt_id)
        {
            Some(e) => *e = entry,
            None => self.entries.push(entry),
        }
    }

    /// The entry with `receipt_id`.
    pub fn get(&self, receipt_id: &str) -> Option<&OutboxEntry> {
        self.entries.iter().find(|e| e.receipt_id == receipt_id)
    }

    /// Removes the entry with `receipt_id`; whether there was one.
    pub fn remove(&mut self, receipt_id: &str) -> bool {
        let before = self.entries.len();
        self.entries.retain(|e| e.receipt_id != receipt_id);
        self.entries.len() != before
    }

    /// Records the outcome of one POST of `receipt_id`: a stored receipt leaves the outbox,
    /// the others stay with their status and HTTP status updated.
    pub fn record(&mut self, receipt_id: &str, delivery: &Delivery) {
        if let Delivery::Stored { .. } = delivery {
            self.remove(receipt_id);
            return;
        }
        if let Some(e) = self.entries.iter_mut().find(|e| e.receipt_id == receipt_id) {
            e.attempts = e.attempts.saturating_add(1);
            match delivery {
                Delivery::Stored { .. } => {}
                Delivery::Queued { http_status } => {
                    e.status = EntryStatus::Queued;
                    e.http_status = *http_status;
                }
                Delivery::Rejected { http_status, code } => {
                    e.status = EntryStatus::Rejected;
                    e.http_status = Some(*http_status);
                    e.code = Some(code.clone());
                }
            }
        }
    }

    /// The entries waiting to be (re)sent, oldest first.
    pub fn queued(&self) -> Vec<OutboxEntry> {
        self.entries
            .iter()
            .filter(|e| e.status == EntryStatus::Queued)
            .cloned()
            .collect()
    }
}

/// The first retry window, in milliseconds.
pub const RETRY_BASE_MS: u32 = 1_000;
/// The largest retry window, in milliseconds.
pub const RETRY_CAP_MS: u32 = 60_000;

/// How long to wait before retrying after `failures` consecutive failed passes (at least 1):
/// exponential backoff with full jitter, `random × min(cap, base × 2^(failures − 1))`, where
/// `random` is uniform in `[0, 1)` (`Math.random()`, passed in so the rule is testable).
pub fn retry_delay(failures: u32, random: f64) -> u32 {
    let window = u64::from(RETRY_BASE_MS)
        .saturating_mul(1u64 << failures.saturating_sub(1).min(30))
        .min(u64::from(RETRY_CAP_MS));
    let r = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    // `window` ≤ 60 000: exact in f64, and the product fits in u32.
    ((window as f64) * r).floor().min(window as f64) as u32
}

/// What one POST of an envelope came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// 2xx: the server stored it (or already had it: idempotent resend).
    Stored {
        /// The HTTP status.
        http_status: u16,
    },
    /// No answer, a 5xx, 408 or 429: keep it and retry (backoff; and on every mount).
    Queued {
        /// The HTTP status, if there was an answer.
        http_status: Option<u16>,
    },
    /// Any other 4xx: the server refused this envelope; keep it marked rejected.
    Rejected {
        /// The HTTP status.
        http_status: u16,
        /// The server's error code (`{"error":{"code":…}}`), or `http_<status>`.
        code: String,
    },
}

impl Delivery {
    /// `stored`, `queued` or `rejected` (the `status` of the `consentry:receipt` event).
    pub fn status(&self) -> &'static str {
        match self {
            Delivery::Stored { .. } => "stored",
            Delivery::Queued { .. } => "queued",
            Delivery::Rejected { .. } => "rejected",
        }
    }

    /// The HTTP status, if the server answered.
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Delivery::Stored { http_status } | Delivery::Rejected { http_status, .. } => {
                Some(*http_status)
            }
            Delivery::Queued { http_status } => *http_status,
        }
    }
}

/// Classifies the server's answer to a POST.
pub fn classify(status: u16, body: &[u8]) -> Delivery {
    match status {
        200..=299 => Delivery::Stored {
            http_status: status,
        },
        408 | 429 => Delivery::Queued {
            http_status: Some(status),
        },
        400..=499 => Delivery::Rejected {
            http_status: status,
            code: server_error_code(status, body),
        },
        _ => Delivery::Queued {
            http_status: Some(status),
        },
    }
}

/// The `error.code` of a `{"error":{"code":"…","message":"…"}}` body when it is a sane
/// snake_case code (at most 64 of `a-z`, `0-9`, `_`); otherwise `http_<status>`.
pub fn server_error_code(status: u16, body: &[u8]) -> String {
    let code = json::parse(body).ok().and_then(|v| {
        v.get("error")
            .and_then(|e| e.get("code"))
            .and_then(Value::as_str)
            .map(String::from)
    });
    match code {
        Some(c)
            if !c.is_empty()
                && c.len() <= 64
                && c.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') =>
        {
            c
        }
        _ => {
            let mut s = String::from("http_");
            json::push_int(&mut s, i64::from(status));
            s
        }
    }
}

/// The chain position a `409 chain_conflict` answer says the next receipt must take
/// (`error.expected`): `subject_seq`, and the previous receipt unless it is the first.
pub fn chain_expected(status: u16, body: &[u8]) -> Option<Chain> {
    if status != 409 {
        return None;
    }
    let v = json::parse(body).ok()?;
    let e = v.get("error")?;
    if e.get("code")?.as_str()? != "chain_conflict" {
        return None;
    }
    let x = e.get("expected")?;
    let seq = u64::try_from(x.get("subject_seq")?.as_i64()?).ok()?;
    let prev = match (x.get("prev_receipt_id"), x.get("prev_receipt_sha256")) {
        (None, None) if seq == 0 => None,
        (Some(id), Some(h)) if seq > 0 => Some((
            ReceiptId::parse(id.as_str()?).ok()?,
            Sha256Digest::from_hex(h.as_str()?)?,
        )),
        _ => return None,
    };
    Some(Chain {
        subject_seq: seq,
        prev,
        resumed: true,
    })
}

/// A receipt payload moved to another chain position (see [`resume_payload`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resumed {
    /// The new canonical payload bytes, to be signed.
    pub payload: Vec<u8>,
    /// Its receipt id (unchanged).
    pub receipt_id: String,
    /// Its subject pseudonym (unchanged).
    pub subject: String,
    /// Its notice id (unchanged).
    pub notice_id: String,
}

/// The payload of a device-signed `envelope` with its `chain` replaced by `at` (marked
/// `resumed`): everything else (the decision, its time, the notice) stays byte for byte as
/// the visitor made it. `None` when the envelope holds no payload object with a chain. Works
/// on the JSON value, not the receipt type, so the receipts module does not carry the
/// receipt reader (about 7 KB).
pub fn resume_payload(envelope: &str, at: &Chain) -> Option<Resumed> {
    let env = json::parse_str(envelope).ok()?;
    let payload = b64url_decode(env.get("payload")?.as_str()?)?;
    let v = json::parse(&payload).ok()?;
    let text = |x: Option<&Value>| x.and_then(Value::as_str).map(String::from);
    let receipt_id = text(v.get("receipt_id"))?;
    let subject = text(v.get("subject").and_then(|s| s.get("pseudonym")))?;
    let notice_id = text(v.get("notice").and_then(|n| n.get("notice_id")))?;
    let Value::Obj(mut members) = v else {
        return None;
    };
    let mut chain = vec![(
        String::from("subject_seq"),
        Value::Int(i64::try_from(at.subject_seq).ok()?),
    )];
    if let Some((id, h)) = &at.prev {
        chain.push((String::from("prev_receipt_id"), Value::str(id.as_str())));
        chain.push((String::from("prev_receipt_sha256"), Value::str(h.to_hex())));
    }
    chain.push((String::from("resumed"), Value::Bool(true)));
    let slot = members.iter_mut().find(|(k, _)| k == "chain")?;
    slot.1 = Value::Obj(chain);
    Some(Resumed {
        payload: json::to_canonical_string(&Value::Obj(members)).into_bytes(),
        receipt_id,
        subject,
        notice_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str) -> OutboxEntry {
        OutboxEntry {
            receipt_id: id.into(),
            envelope: "{\"payload\":\"x\",\"signatures\":[]}".into(),
            status: EntryStatus::Queued,
            queued_at: 1_795_807_800_123,
            attempts: 0,
            http_status: None,
            code: None,
            endpoint: Some("https://example.com/v1/receipts".into()),
        }
    }

    #[test]
    fn classify_by_status() {
        assert_eq!(classify(201, b"{}"), Delivery::Stored { http_status: 201 });
        assert_eq!(classify(200, b""), Delivery::Stored { http_status: 200 });
        assert_eq!(
            classify(503, b"busy"),
            Delivery::Queued {
                http_status: Some(503)
            }
        );
        assert_eq!(
            classify(429, b""),
            Delivery::Queued {
                http_status: Some(429)
            }
        );
        assert_eq!(
            classify(
                422,
                br#"{"error":{"code":"signature_invalid","message":"bad"}}"#
            ),
            Delivery::Rejected {
                http_status: 422,
                code: "signature_invalid".into()
            }
        );
        // No usable code in the body: the status stands in for it.
        assert_eq!(
            classify(400, b"<html>Bad Request</html>"),
            Delivery::Rejected {
                http_status: 400,
                code: "http_400".into()
            }
        );
        assert_eq!(
            server_error_code(409, br#"{"error":{"code":"<script>"}}"#),
            "http_409"
        );
    }

    #[test]
    fn outbox_round_trips_and_records_outcomes() {
        let mut o = Outbox::parse(None).unwrap();
        o.upsert(entry("urn:uuid:a"));
        o.upsert(entry("urn:uuid:b"));
        o.upsert(entry("urn:uuid:a"));
        assert_eq!(o.entries.len(), 2);
        o.record("urn:uuid:a", &Delivery::Queued { http_status: None });
        o.record(
            "urn:uuid:b",
            &Delivery::Rejected {
                http_status: 422,
                code: "notice_unknown".into(),
            },
        );
        let back = Outbox::parse(Some(&o.to_json())).unwrap();
        assert_eq!(back, o);
        assert_eq!(back.get("urn:uuid:a").unwrap().attempts, 1);
        let b = back.get("urn:uuid:b").unwrap();
        assert_eq!(b.status, EntryStatus::Rejected);
        assert_eq!(b.code.as_deref(), Some("notice_unknown"));
        // Only queued entries are resent; rejected ones stay but are not retried.
        assert_eq!(back.queued().len(), 1);
        assert_eq!(
            back.queued()[0].endpoint.as_deref(),
            Some("https://example.com/v1/receipts")
        );
        o.record("urn:uuid:a", &Delivery::Stored { http_status: 201 });
        assert!(o.get("urn:uuid:a").is_none());
        assert!(o.get("urn:uuid:b").is_some(), "rejected entries are kept");
    }

    #[test]
    fn retries_back_off_exponentially_with_full_jitter_up_to_the_cap() {
        // The window doubles per consecutive failure: 1 s, 2 s, 4 s, … up to 60 s.
        let top = |n| retry_delay(n, 0.999_999_9);
        assert_eq!(
            [1, 2, 3, 4, 5, 6, 7].map(top),
            [999, 1_999, 3_999, 7_999, 15_999, 31_999, 59_999]
        );
        assert_eq!(top(8), 59_999, "capped");
        assert_eq!(top(u32::MAX), 59_999, "no overflow however long it fails");
        // Full jitter: anywhere from 0 to the window.
        for n in 1..10 {
            assert_eq!(retry_delay(n, 0.0), 0);
            let mid = retry_delay(n, 0.5);
            assert!(mid > 0 && mid < top(n), "{n}: {mid}");
        }
        // Nonsense randomness cannot make it wait forever or underflow.
        assert_eq!(retry_delay(3, f64::NAN), 0);
        assert_eq!(retry_delay(3, 7.0), 4_000);
        assert_eq!(retry_delay(3, -1.0), 0);
        // "Failure 0" (a reset counter) is treated as the first.
        assert_eq!(retry_delay(0, 0.999_999_9), 999);
    }

    #[test]
    fn entries_without_an_endpoint_still_read() {
        let o = Outbox::parse(Some(
            r#"[{"attempts":1,"envelope":"{}","id":"urn:uuid:a","queued_at":1,"status":"queued"}]"#,
        ))
        .unwrap();
        assert_eq!(o.entries[0].endpoint, None);
    }

    #[test]
    fn unreadable_outbox_is_an_error_not_an_empty_outbox() {
        for bad in ["", "{}", "[{\"id\":\"x\"}]", "[1]", "nope"] {
            assert!(Outbox::parse(Some(bad)).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_chain_conflict_answer_gives_the_position_to_resume_at() {
        let id = "urn:uuid:0b6f4a4e-3c5b-4d5e-8f9a-1b2c3d4e5f60";
        let h = "ab".repeat(32);
        let body = format!(
            r#"{{"error":{{"code":"chain_conflict","expected":{{"prev_receipt_id":"{id}","prev_receipt_sha256":"{h}","subject_seq":4}},"message":"m"}}}}"#
        );
        let c = chain_expected(409, body.as_bytes()).unwrap();
        assert_eq!(c.subject_seq, 4);
        assert_eq!(c.prev.as_ref().unwrap().0.as_str(), id);
        assert!(c.resumed);
        let first =
            br#"{"error":{"code":"chain_conflict","expected":{"subject_seq":0},"message":"m"}}"#;
        assert_eq!(chain_expected(409, first).unwrap().prev, None);
        // Anything else is not a position: another code or status, a seq 0 with a previous
        // receipt, a later seq without one, a negative seq, a bad digest.
        for bad in [
            body.replace("chain_conflict", "receipt_conflict"),
            body.replace("\"subject_seq\":4", "\"subject_seq\":0"),
            first
                .iter()
                .map(|b| *b as char)
                .collect::<String>()
                .replace(":0}", ":3}"),
            body.replace("\"subject_seq\":4", "\"subject_seq\":-1"),
            body.replace(&h, "zz"),
            String::from("not json"),
        ] {
            assert_eq!(chain_expected(409, bad.as_bytes()), None, "{bad}");
        }
        assert_eq!(chain_expected(422, body.as_bytes()), None);
    }

    #[test]
    fn a_resumed_payload_changes_the_chain_and_nothing_else() {
        use consentry_core::receipt::Receipt;
        use consentry_core::testing::{TestSigner, sample_receipt};
        let dev = TestSigner::device();
        let r = sample_receipt(&dev, 3, true);
        let env = String::from_utf8(dev.sign_receipt(&r)).unwrap();
        let prev = sample_receipt(&dev, 2, false);
        let at = Chain {
            subject_seq: 7,
            prev: Some((prev.receipt_id, Sha256Digest::of(b"x"))),
            resumed: true,
        };
        let got = resume_payload(&env, &at).unwrap();
        assert_eq!(got.receipt_id, r.receipt_id.as_str());
        assert_eq!(got.subject, dev.kid());
        assert_eq!(got.notice_id, r.notice.notice_id.as_str());
        // The same bytes core writes for that receipt at that position: one writer.
        let mut expect = r;
        expect.chain = at.clone();
        assert_eq!(got.payload, expect.payload_bytes());
        let back = Receipt::from_value(&json::parse(&got.payload).unwrap()).unwrap();
        assert_eq!(back, expect);
        assert_eq!(resume_payload("{}", &at), None);
        assert_eq!(resume_payload("not json", &at), None);
    }
}
