//! Deterministic fixtures for tests of receipt handling (feature `testing`; never in a release
//! build of anything that faces users).
//!
//! [`TestSigner`] holds a fixed P-256 key derived from a public label and signs exactly as the
//! widget does: the device protected header from [`jws::device_protected_header`], ECDSA over
//! `protected.payload` with SHA-256, signature as raw `r‖s` (what WebCrypto returns), envelope
//! written by [`Jws::to_json`]. Signing is RFC 6979 deterministic, so the same receipt always
//! gives the same bytes. [`sample_bundle`] is a complete compiled notice for a telecom
//! support site, and [`sample_receipt`] a receipt for it.
//!
//! The private keys here are public knowledge: anything they sign proves nothing.

use alloc::string::String;
use alloc::vec::Vec;

use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};

use crate::bundle::{
    BundlePurpose, Controller, Direction, LocaleBundle, Rich, Span, Transfer, UI_MESSAGES,
};
use crate::encoding::{Sha256Digest, b64url};
use crate::ids::{LocaleTag, NoticeId, PurposeId, ReceiptId, RegionCode};
use crate::receipt::jws::{self, Jws, JwsSignature, PublicJwk};
use crate::receipt::{Jurisdiction, Receipt, ReceiptContext};
use crate::regime::{Regime, RegionSource};
use crate::session::{DecisionRecord, Method, Phase};
use crate::time::Timestamp;

/// A device signer with a fixed, publicly known P-256 key.
#[derive(Clone, Debug)]
pub struct TestSigner {
    key: SigningKey,
    jwk: PublicJwk,
}

impl TestSigner {
    /// The default test device.
    pub fn device() -> Self {
        Self::from_label("consentry test device key 1")
    }

    /// A second device, for "signed by someone else" tests.
    pub fn other() -> Self {
        Self::from_label("consentry test device key 2")
    }

    /// A signer whose private scalar is derived from `label` (SHA-256, re-hashed in the
    /// negligible case that a digest is not a valid scalar).
    pub fn from_label(label: &str) -> Self {
        let mut seed = Sha256Digest::of(label.as_bytes());
        let key = loop {
            match SigningKey::from_slice(&seed.0) {
                Ok(k) => break k,
                Err(_) => seed = Sha256Digest::of(&seed.0),
            }
        };
        let point = key.verifying_key().to_sec1_point(false);
        let bytes = point.as_bytes();
        let jwk = PublicJwk {
            x: b64url(&bytes[1..33]),
            y: b64url(&bytes[33..65]),
        };
        Self { key, jwk }
    }

    /// The public key as a JWK.
    pub fn jwk(&self) -> &PublicJwk {
        &self.jwk
    }

    /// The key's RFC 7638 thumbprint: the device `kid` and the receipt subject.
    pub fn kid(&self) -> String {
        self.jwk.thumbprint()
    }

    /// The device protected header for this key (base64url of canonical JSON).
    pub fn protected_header(&self) -> String {
        jws::device_protected_header(&self.jwk)
    }

    /// Signs arbitrary bytes; returns base64url of the 64-byte `r‖s`.
    pub fn sign_input(&self, input: &[u8]) -> String {
        let sig: Signature = self.key.sign(input);
        b64url(&sig.to_bytes())
    }

    /// An envelope over `payload` (used as is, canonical or not) with the given protected
    /// header (used as is, whatever it says), signed by this key.
    pub fn sign_with_header(&self, protected_b64: &str, payload: &[u8]) -> Jws {
        let payload_b64 = b64url(payload);
        let signature = self.sign_input(jws::signing_input(protected_b64, &payload_b64).as_bytes());
        Jws {
            payload: payload_b64,
            signatures: alloc::vec![JwsSignature {
                protected: protected_b64.into(),
                signature,
            }],
        }
    }

    /// An envelope over `payload` with this device's header.
    pub fn sign_payload(&self, payload: &[u8]) -> Jws {
        self.sign_with_header(&self.protected_header(), payload)
    }

    /// The envelope bytes for `receipt`, exactly as the widget would send them.
    pub fn sign_receipt(&self, receipt: &Receipt) -> Vec<u8> {
        self.sign_payload(&receipt.payload_bytes())
            .to_json()
            .into_bytes()
    }
}

fn pid(s: &str) -> PurposeId {
    PurposeId::parse(s).unwrap_or_else(|e| unreachable!("fixture purpose id: {e}"))
}

fn purpose(
    id: &str,
    required: bool,
    basis: &str,
    retention: &str,
    recipients: &[&str],
    name: &str,
    description: &str,
) -> BundlePurpose {
    BundlePurpose {
        retention: retention.into(),
        recipients: recipients.iter().map(|r| String::from(*r)).collect(),
        ..BundlePurpose::new(
            pid(id),
            required,
            basis,
            Rich::plain(name),
            Rich::plain(description),
        )
    }
}

/// A complete compiled English notice of a telecom vendor's support site: one required
/// contract purpose (`support-service`) and two consent purposes (`chat-transcript`, with a
/// transfer to Singapore, and `marketing`), every interface message defined.
pub fn sample_bundle() -> LocaleBundle {
    let mut transcript = purpose(
        "chat-transcript",
        false,
        "consent",
        "P90D",
        &["ChatVendor Ltd"],
        "Chat transcript analysis",
        "We review chat transcripts to improve our answers.",
    );
    // Named recipient and contact, as compiled bundles carry them (receipts do not).
    transcript.transfers.push(Transfer {
        destination: "SG".into(),
        safeguard: "eu-scc".into(),
        recipient: Some("ChatVendor Asia Pte. Ltd.".into()),
        contact: Some("privacy-policy".into()),
    });
    let purposes = alloc::vec![
        purpose(
            "support-service",
            true,
            "contract",
            "P2Y",
            &[],
            "Handling your support request",
            "We use your contact details and device data to answer your request.",
        ),
        transcript,
        purpose(
            "marketing",
            false,
            "consent",
            "P1Y",
            &["Mailer Ltd"],
            "Product news",
            "We send you news about our products by e-mail.",
        ),
    ];
    let mut messages: Vec<(String, Rich)> = UI_MESSAGES
        .iter()
        .map(|id| (String::from(*id), Rich::plain(ui_text(id))))
        .collect();
    messages.push(("link-privacy-policy".into(), Rich::plain("Privacy policy")));
    for p in &purposes {
        let id = p.id.as_str();
        messages.push((alloc::format!("purpose-{id}-name"), p.name.clone()));
        messages.push((
            alloc::format!("purpose-{id}-description"),
            p.description.clone(),
        ));
    }
    messages.retain(|(k, _)| k != "banner-body");
    messages.push((
        "banner-body".into(),
        Rich(alloc::vec![
            Span::Text("We use your data to answer your support request. See our ".into()),
            Span::Link {
                href: "https://support.example.com/privacy".into(),
                text: "Privacy policy".into(),
            },
            Span::Text(".".into()),
        ]),
    ));
    messages.sort_by(|a, b| a.0.cmp(&b.0));
    LocaleBundle {
        controller: Controller {
            name: "Example Telecom Ltd".into(),
            address: "1 Example Road, Dublin, Ireland".into(),
            email: "privacy@example.com".into(),
            phone: Some("+353 1 555 0100".into()),
            dpo_name: Some("Data Protection Officer".into()),
            dpo_email: Some("dpo@example.com".into()),
            ..Controller::default()
        },
        purposes,
        messages,
        ..LocaleBundle::new(
            NoticeId::parse("support-privacy")
                .unwrap_or_else(|e| unreachable!("fixture notice id: {e}")),
            "2026.11.1",
            LocaleTag::parse("en").unwrap_or_else(|e| unreachable!("fixture locale: {e}")),
            Direction::Ltr,
        )
    }
}

/// [`sample_bundle`] with channels: the support service and the chat transcript (sent to
/// Singapore, so PIPL asks it separately) are offered on the hotline, marketing on the web only.
pub fn sample_hotline_bundle() -> LocaleBundle {
    let mut b = sample_bundle();
    for p in &mut b.purposes {
        p.channels = match p.id.as_str() {
            "support-service" => alloc::vec!["hotline".into(), "web".into()],
            "chat-transcript" => alloc::vec!["hotline".into(), "chat".into()],
            _ => alloc::vec!["web".into()],
        };
    }
    b
}

fn ui_text(id: &str) -> &'static str {
    match id {
        "language-name" => "English",
        "banner-title" => "Your privacy",
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
        "controller-heading" => "Who is responsible",
        "dpo-heading" => "Data protection officer",
        "legal-basis-label" => "Legal basis",
        "retention-label" => "Kept for",
        "recipients-label" => "Recipients",
        "transfers-label" => "Transfers abroad",
        "legal-basis-consent" => "Your consent",
        "legal-basis-contract" => "Our contract with you",
        "legal-basis-legal-obligation" => "A legal obligation",
        "legal-basis-legitimate-interests" => "Our legitimate interests",
        _ => "Text",
    }
}

/// The exact bytes of [`sample_bundle`] as `consentry build` would publish them.
pub fn sample_bundle_bytes() -> Vec<u8> {
    sample_bundle().to_json().into_bytes()
}

/// A receipt for [`sample_bundle`] signed-to-be by `signer`: a first decision on the banner
/// in Germany under the GDPR, all consent purposes given (`accept`) or refused. `seed` makes
/// the receipt id (and so the receipt) distinct.
pub fn sample_receipt(signer: &TestSigner, seed: u8, accept: bool) -> Receipt {
    let bundle = sample_bundle();
    let bytes = bundle.to_json().into_bytes();
    let record = DecisionRecord {
        method: if accept {
            Method::AcceptAll
        } else {
            Method::RejectAll
        },
        choices: bundle
            .purposes
            .iter()
            .map(|p| (p.id.clone(), accept || p.required))
            .collect(),
        previous: None,
        prior_phase: Phase::Undecided,
        separately: Vec::new(),
    };
    let ctx = ReceiptContext {
        receipt_id: ReceiptId::from_random_bytes([seed; 16]),
        now: Timestamp(1_795_807_800_123 + i64::from(seed) * 1000),
        subject: signer.kid(),
        jurisdiction: Jurisdiction::single(
            Regime::Gdpr,
            Some(RegionCode::parse("DE").unwrap_or_else(|e| unreachable!("{e}"))),
            RegionSource::SiteOption,
        ),
        bundle: &bundle,
        bundle_sha256: Sha256Digest::of(&bytes),
        on_banner: true,
        gpc: false,
        prev: None,
    };
    Receipt::for_decision(&record, &ctx)
}

/// Envelope bytes of [`sample_receipt`] signed by [`TestSigner::device`].
pub fn sample_envelope(seed: u8, accept: bool) -> Vec<u8> {
    let signer = TestSigner::device();
    signer.sign_receipt(&sample_receipt(&signer, seed, accept))
}

/// A server key for tests: countersigns and signs ledger heads like the receipt server does.
pub fn test_server() -> TestSigner {
    TestSigner::from_label("consentry test server key 1")
}

/// A key set holding `signers`' public keys (all active).
#[cfg(feature = "verify")]
pub fn key_set(signers: &[&TestSigner]) -> crate::receipt::verify::KeySet {
    let mut set = crate::receipt::verify::KeySet::new();
    for s in signers {
        set.add(s.jwk().clone(), crate::receipt::verify::KeyStatus::Active)
            .unwrap_or_else(|e| unreachable!("fixture key: {e}"));
    }
    set
}

/// An in-memory ledger that countersigns with a test server key exactly as the receipt server
/// does (same [`Sequencer`](crate::receipt::ledger::Sequencer), same headers), for tests of
/// export verification and of the server against a reference.
#[derive(Clone, Debug)]
pub struct TestLedger {
    /// The countersigning key.
    pub server: TestSigner,
    /// The sequencer.
    pub seq: crate::receipt::ledger::Sequencer,
    /// The export lines so far.
    pub lines: Vec<String>,
    subjects: Vec<((String, String), crate::receipt::countersign::ChainTip)>,
    /// Flag the subject chain as servers before issue 13 did: by the previous hash alone,
    /// whatever `subject_seq` says.
    pub seq_blind: bool,
}

impl TestLedger {
    /// An empty ledger `log_id` countersigned by `server`.
    pub fn new(server: TestSigner, log_id: &str) -> Self {
        Self {
            server,
            seq: crate::receipt::ledger::Sequencer::new(
                log_id,
                0,
                crate::receipt::countersign::GENESIS,
            ),
            lines: Vec::new(),
            subjects: Vec::new(),
            seq_blind: false,
        }
    }

    /// Appends a device-signed receipt (its envelope must parse and its payload must be a
    /// receipt; signatures are not checked here). Returns the entry and the countersigned
    /// envelope.
    pub fn append(
        &mut self,
        device_envelope: &[u8],
        received_at: Timestamp,
    ) -> (crate::receipt::ledger::LedgerEntry, Jws) {
        use crate::receipt::countersign::device_commitment;
        use crate::receipt::ledger::{Accepted, export_line};
        let jws = Jws::from_json(device_envelope).unwrap_or_else(|e| unreachable!("{e}"));
        let payload =
            crate::encoding::b64url_decode(&jws.payload).unwrap_or_else(|| unreachable!());
        let receipt = Receipt::from_value(
            &crate::json::parse(&payload).unwrap_or_else(|e| unreachable!("{e}")),
        )
        .unwrap_or_else(|e| unreachable!("{e}"));
        let sha = Sha256Digest::of(&payload);
        let key = (
            receipt.subject.clone(),
            String::from(receipt.notice.notice_id.as_str()),
        );
        let last = self
            .subjects
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, t)| t.clone())
            .map(|mut t| {
                if self.seq_blind {
                    t.subject_seq = receipt.chain.subject_seq.wrapping_sub(1);
                }
                t
            });
        let kid = self.server.kid();
        let entry = self.seq.next(&Accepted {
            receipt: &receipt,
            receipt_sha256: sha,
            device_commitment: device_commitment(&jws.signatures[0]),
            received_at,
            kid: &kid,
            subject_tip: last.as_ref(),
        });
        let cs = entry.countersignature();
        let protected = cs.protected_header();
        let signature = self
            .server
            .sign_input(jws::signing_input(&protected, &jws.payload).as_bytes());
        let countersigned = Jws {
            payload: jws.payload.clone(),
            signatures: alloc::vec![
                jws.signatures[0].clone(),
                JwsSignature {
                    protected,
                    signature
                }
            ],
        };
        self.subjects.retain(|(k, _)| *k != key);
        self.subjects.push((
            key,
            crate::receipt::countersign::ChainTip::of(&receipt, sha),
        ));
        self.lines.push(export_line(&entry, &countersigned));
        (entry, countersigned)
    }

    /// The export so far (NDJSON, one line per entry, each ending in a newline).
    pub fn export(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            s.push_str(l);
            s.push('\n');
        }
        s
    }

    /// The signed head now (envelope bytes).
    pub fn signed_head(&self, time: Timestamp) -> Vec<u8> {
        let head = crate::receipt::ledger::LedgerHead {
            log_id: self.seq.log_id.clone(),
            size: self.seq.last_index,
            hash: self.seq.last_hash,
            time,
        };
        let kid = self.server.kid();
        let protected = crate::receipt::ledger::LedgerHead::protected_header(&kid);
        let payload = b64url(&head.payload_bytes());
        let signature = self
            .server
            .sign_input(jws::signing_input(&protected, &payload).as_bytes());
        Jws {
            payload,
            signatures: alloc::vec![JwsSignature {
                protected,
                signature
            }],
        }
        .to_json()
        .into_bytes()
    }
}

/// A receipt that continues `prev` (a receipt of the same signer and notice): next
/// `subject_seq`, `prev_receipt_*` set, all consent purposes as `accept` says.
pub fn next_receipt(signer: &TestSigner, prev: &Receipt, seed: u8, accept: bool) -> Receipt {
    let mut r = sample_receipt(signer, seed, accept);
    r.chain = crate::receipt::Chain {
        subject_seq: prev.chain.subject_seq + 1,
        prev: Some((
            prev.receipt_id.clone(),
            Sha256Digest::of(&prev.payload_bytes()),
        )),
        resumed: false,
    };
    r.event.kind = crate::receipt::EventType::Update;
    r
}

/// A link token signed by `server` as the receipt server issues them (`POST /v1/links`), for
/// a customer's subject reference and ticket `T-1001`.
pub fn link_token(
    server: &TestSigner,
    channel: crate::receipt::Channel,
    iat: Timestamp,
    exp: Timestamp,
) -> String {
    use crate::receipt::link::LinkClaims;
    let claims = LinkClaims {
        sref: "sr1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY".into(),
        ticket: Some("T-1001".into()),
        channel,
        iat,
        exp,
        jti: "j-1".into(),
    };
    let header = alloc::format!(
        r#"{{"alg":"ES256","kid":"{}","typ":"consentry-link+jws"}}"#,
        server.kid()
    );
    let input = alloc::format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(crate::json::to_canonical_string(&claims.to_value()).as_bytes())
    );
    alloc::format!("{input}.{}", server.sign_input(input.as_bytes()))
}
