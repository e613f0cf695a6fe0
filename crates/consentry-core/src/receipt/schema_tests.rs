//! The JSON Schema in `docs/schema/receipt.schema.json` and the Rust receipt model agree:
//! every enum lists exactly the Rust wire names, every member the writer emits is in the
//! schema and every schema member is emitted, and the schema accepts exactly the payloads
//! `Receipt::from_value` accepts (a small validator for the keywords the schema uses).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::*;
use crate::encoding::Sha256Digest;
use crate::ids::{LocaleTag, PurposeId, ReceiptId, RegionCode};
use crate::json::{self, Value};
use crate::regime::{Regime, RegionSource};
use crate::testing::{TestSigner, next_receipt, sample_receipt};
use crate::time::Timestamp;

const SCHEMA: &str = include_str!("../../../../docs/schema/receipt.schema.json");

fn schema() -> Value {
    json::parse_str(SCHEMA).expect("the schema file is strict JSON")
}

/// The Rust check behind each `pattern` of the schema. An unknown pattern fails the test, so
/// a new pattern must be given its Rust counterpart here.
fn pattern_ok(pattern: &str, s: &str) -> bool {
    match pattern {
        "^[0-9a-f]{64}$" => Sha256Digest::from_hex(s).is_some(),
        "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$" => {
            Timestamp::parse_rfc3339(s).is_ok_and(|t| t.to_rfc3339() == s)
        }
        "^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$" => {
            ReceiptId::parse(s).is_ok()
        }
        "^[a-z](?:[a-z0-9]|-(?=[a-z0-9])){0,63}$" => PurposeId::parse(s).is_ok(),
        "^[A-Za-z0-9_-]{43}$" => {
            s.len() == 43
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        }
        "^[A-Z]{2}(-[A-Z0-9]{1,3})?$" => RegionCode::parse(s).is_ok_and(|r| r.as_str() == s),
        "^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$" => {
            LocaleTag::parse(s).is_ok_and(|l| l.as_str() == s)
        }
        "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$" => {
            let parts: Vec<&str> = s.split('.').collect();
            parts.len() == 3
                && parts.iter().all(|p| {
                    !p.is_empty()
                        && p.bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
                })
        }
        "^[A-Za-z0-9._:/-]{1,64}$" => agent::valid_ref(s),
        other => panic!("pattern {other:?} has no Rust counterpart in schema_tests.rs"),
    }
}

fn resolve<'a>(root: &'a Value, s: &'a Value) -> &'a Value {
    match s.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r.strip_prefix("#/$defs/").expect("local $ref");
            root.get("$defs")
                .and_then(|d| d.get(name))
                .expect("$ref target")
        }
        None => s,
    }
}

/// Validates `v` against `s`; pushes every violation.
fn validate(root: &Value, s: &Value, v: &Value, at: &str, errs: &mut Vec<String>) {
    let s = resolve(root, s);
    let mut err = |m: &str| errs.push(alloc::format!("{at}: {m}"));
    if let Some(c) = s.get("const")
        && c != v
    {
        err("not the const value");
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        err("not in enum");
    }
    if let Some(t) = s.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.as_object().is_some(),
            "array" => v.as_array().is_some(),
            "string" => v.as_str().is_some(),
            "boolean" => v.as_bool().is_some(),
            "integer" => v.as_i64().is_some(),
            other => panic!("type {other} not supported"),
        };
        if !ok {
            err(&alloc::format!("not of type {t}"));
            return;
        }
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str)
        && let Some(text) = v.as_str()
        && !pattern_ok(p, text)
    {
        err(&alloc::format!("{text:?} does not match {p}"));
    }
    if let Some(n) = s.get("minLength").and_then(Value::as_i64)
        && v.as_str().is_some_and(|t| (t.chars().count() as i64) < n)
    {
        err("too short");
    }
    if let Some(n) = s.get("minimum").and_then(Value::as_i64)
        && v.as_i64().is_some_and(|i| i < n)
    {
        err("below minimum");
    }
    if let Some(n) = s.get("maximum").and_then(Value::as_i64)
        && v.as_i64().is_some_and(|i| i > n)
    {
        err("above maximum");
    }
    if let Some(items) = v.as_array() {
        if let Some(n) = s.get("minItems").and_then(Value::as_i64)
            && (items.len() as i64) < n
        {
            err("too few items");
        }
        if let Some(is) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                validate(root, is, item, &alloc::format!("{at}[{i}]"), errs);
            }
        }
    }
    if let Some(members) = v.as_object() {
        let props = s.get("properties");
        for r in s.get("required").and_then(Value::as_array).unwrap_or(&[]) {
            let name = r.as_str().unwrap();
            if v.get(name).is_none() {
                errs.push(alloc::format!("{at}: missing {name}"));
            }
        }
        if let Some(dep) = s.get("dependentRequired").and_then(Value::as_object) {
            for (k, needs) in dep {
                if v.get(k).is_some() {
                    for n in needs.as_array().unwrap() {
                        if v.get(n.as_str().unwrap()).is_none() {
                            errs.push(alloc::format!("{at}: {k} needs {}", n.as_str().unwrap()));
                        }
                    }
                }
            }
        }
        for (k, mv) in members {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => validate(root, ps, mv, &alloc::format!("{at}.{k}"), errs),
                None => {
                    if s.get("additionalProperties") == Some(&Value::Bool(false)) {
                        errs.push(alloc::format!("{at}: member {k} not allowed"));
                    }
                }
            }
        }
    }
}

fn errors(v: &Value) -> Vec<String> {
    let root = schema();
    let mut errs = Vec::new();
    validate(&root, &root, v, "$", &mut errs);
    errs
}

/// A receipt that uses every optional member.
fn full() -> Receipt {
    let s = TestSigner::device();
    let first = sample_receipt(&s, 1, true);
    next_receipt(&s, &first, 2, false)
}

fn enum_of(path: &[&str]) -> Vec<String> {
    let root = schema();
    let mut s = &root;
    for p in path {
        s = resolve(
            &root,
            s.get(p).unwrap_or_else(|| panic!("schema has no {p}")),
        );
    }
    s.get("enum")
        .and_then(Value::as_array)
        .expect("an enum")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn strings<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<String> {
    all.iter().map(|x| f(*x).to_string()).collect()
}

#[test]
fn schema_enums_are_the_rust_wire_names() {
    assert_eq!(
        enum_of(&["properties", "event", "properties", "type"]),
        strings(&EventType::ALL, EventType::as_str)
    );
    assert_eq!(
        enum_of(&["properties", "event", "properties", "channel"]),
        strings(&Channel::ALL, Channel::as_str)
    );
    assert_eq!(
        enum_of(&["properties", "event", "properties", "interaction"]),
        strings(&Interaction::ALL, Interaction::as_str)
    );
    assert_eq!(
        enum_of(&["$defs", "decision", "properties", "state"]),
        strings(&DecisionState::ALL, DecisionState::as_str)
    );
    assert_eq!(
        enum_of(&["properties", "jurisdiction", "properties", "regime"]),
        strings(Regime::ALL, Regime::as_str)
    );
    assert_eq!(
        enum_of(&["properties", "jurisdiction", "properties", "determined_by"]),
        strings(&RegionSource::ALL, RegionSource::as_str)
    );
    assert_eq!(
        schema()
            .get("properties")
            .unwrap()
            .get("schema_version")
            .unwrap()
            .get("const")
            .unwrap()
            .as_str(),
        Some(RECEIPT_SCHEMA)
    );
}

/// Every (nested) member name of a value, as paths with `[]` for array items.
fn paths(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Obj(m) => {
            for (k, x) in m {
                let p = alloc::format!("{at}.{k}");
                out.push(p.clone());
                paths(x, &p, out);
            }
        }
        Value::Arr(a) => {
            for x in a {
                paths(x, &alloc::format!("{at}[]"), out);
            }
        }
        _ => {}
    }
}

fn schema_paths(root: &Value, s: &Value, at: &str, out: &mut Vec<String>) {
    let s = resolve(root, s);
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (k, ps) in props {
            let p = alloc::format!("{at}.{k}");
            out.push(p.clone());
            schema_paths(root, ps, &p, out);
        }
    }
    if let Some(items) = s.get("items") {
        schema_paths(root, items, &alloc::format!("{at}[]"), out);
    }
}

#[test]
fn the_writer_emits_exactly_the_schema_members_and_validates() {
    let mut r = full();
    r.decisions[1].transfers.push(Transfer {
        destination: "SG".into(),
        safeguard: "eu-scc".into(),
        ..Default::default()
    });
    // Every optional member: made by a guardian, GPC present and honoured, one purpose granted
    // despite it through its own step.
    r.gpc = true;
    r.decisions[1].state = DecisionState::Given;
    let granted = r.decisions[1].purpose_id.clone();
    let mut r = r
        .by_guardian()
        .honouring_gpc()
        .with_gpc_opt_ins(vec![granted]);
    // … and continued from the position a server gave (`chain.resumed`), on a mailbox link.
    r.chain.resumed = true;
    let claims = link::LinkClaims {
        sref: "sr1:QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWY".into(),
        ticket: Some("T-1001".into()),
        channel: Channel::SupportMailbox,
        iat: crate::time::Timestamp(1_796_000_000_000),
        exp: crate::time::Timestamp(1_796_600_000_000),
        jti: "j1".into(),
    };
    let token = alloc::format!(
        "{}.{}.c2ln",
        crate::encoding::b64url(br#"{"alg":"ES256","kid":"k1","typ":"consentry-link+jws"}"#),
        crate::encoding::b64url(json::to_canonical_string(&claims.to_value()).as_bytes())
    );
    let r = r.with_link(&token).unwrap();
    let v = r.to_value();
    assert_eq!(errors(&v), Vec::<String>::new());
    assert_eq!(
        Receipt::from_value(&v).as_ref(),
        Ok(&r),
        "the strict reader reads it back"
    );
    let mut emitted = Vec::new();
    paths(&v, "$", &mut emitted);
    // A hotline agent's receipt carries the members only it has.
    let by_agent = {
        let mut x = r;
        x.gpc_opt_ins.clear();
        x.gpc_honoured = false;
        x.agent = Some(agent::Attestation {
            agent_id: "agent-li".into(),
            call_ref: "CALL-1".into(),
            read_out: vec![x.decisions[0].purpose_id.clone()],
        });
        x.with_collection(Channel::HotlineAgent, Interaction::AgentRecorded)
    };
    let by_agent = by_agent.to_value();
    assert_eq!(errors(&by_agent), Vec::<String>::new());
    paths(&by_agent, "$", &mut emitted);
    emitted.sort();
    emitted.dedup();
    let root = schema();
    let mut declared = Vec::new();
    schema_paths(&root, &root, "$", &mut declared);
    declared.sort();
    declared.dedup();
    assert_eq!(emitted, declared, "writer members vs schema members");
    // The minimal receipt (no region, first in its chain) validates too.
    let mut minimal = sample_receipt(&TestSigner::device(), 3, false);
    minimal.jurisdiction.region = None;
    assert_eq!(errors(&minimal.to_value()), Vec::<String>::new());
    // And every channel, interaction, event type and state the writer can emit.
    for (i, c) in Channel::ALL.iter().enumerate() {
        let mut x = full().with_collection(*c, Interaction::ALL[i % Interaction::ALL.len()]);
        x.event.kind = EventType::ALL[i % EventType::ALL.len()];
        x.decisions[1].state = DecisionState::ALL[i % 4];
        assert_eq!(errors(&x.to_value()), Vec::<String>::new(), "{c:?}");
    }
}

#[test]
fn the_schema_and_the_strict_reader_refuse_the_same_payloads() {
    let good = full().to_value();
    fn set(v: &mut Value, path: &[&str], new: Option<Value>) {
        let Value::Obj(m) = v else { panic!() };
        if path.len() == 1 {
            m.retain(|(k, _)| k != path[0]);
            if let Some(n) = new {
                m.push((path[0].into(), n));
            }
            return;
        }
        let child = &mut m.iter_mut().find(|(k, _)| k == path[0]).unwrap().1;
        let child = match child {
            Value::Arr(a) => &mut a[0],
            other => other,
        };
        set(child, &path[1..], new);
    }
    let cases: Vec<(&str, Value)> = {
        let mut c = Vec::new();
        let mut add = |name, path: &[&str], new: Option<Value>| {
            let mut v = good.clone();
            set(&mut v, path, new);
            c.push((name, v));
        };
        add("unknown top member", &["extra"], Some(Value::Bool(true)));
        add(
            "unknown nested member",
            &["event", "extra"],
            Some(Value::Null),
        );
        add("missing gpc", &["gpc"], None);
        add(
            "unknown channel",
            &["event", "channel"],
            Some(Value::str("fax")),
        );
        add(
            "unknown state",
            &["decisions", "state"],
            Some(Value::str("maybe")),
        );
        add(
            "bad receipt id",
            &["receipt_id"],
            Some(Value::str("urn:uuid:nope")),
        );
        add("bad digest", &["notice", "sha256"], Some(Value::str("ABC")));
        add(
            "prev id without hash",
            &["chain", "prev_receipt_sha256"],
            None,
        );
        add(
            "negative seq",
            &["chain", "subject_seq"],
            Some(Value::Int(-1)),
        );
        add(
            "string seq",
            &["chain", "subject_seq"],
            Some(Value::str("1")),
        );
        add(
            "wrong schema",
            &["schema_version"],
            Some(Value::str("consentry-receipt/2")),
        );
        add(
            "bad pseudonym type",
            &["subject", "pseudonym_type"],
            Some(Value::str("email")),
        );
        add(
            "unknown decision member",
            &["decisions", "note"],
            Some(Value::str("x")),
        );
        add(
            "bad region",
            &["jurisdiction", "region"],
            Some(Value::str("Germany")),
        );
        add("bad time", &["collected_at"], Some(Value::str("yesterday")));
        c
    };
    for (name, v) in &cases {
        assert!(!errors(v).is_empty(), "schema accepts: {name}");
        assert!(Receipt::from_value(v).is_err(), "reader accepts: {name}");
    }
    let empty = {
        let mut v = good.clone();
        set(&mut v, &["decisions"], Some(Value::Arr(Vec::new())));
        v
    };
    assert!(!errors(&empty).is_empty());
    assert!(Receipt::from_value(&empty).is_err());
    // And the reader accepts what the schema accepts.
    assert!(Receipt::from_value(&good).is_ok());
}
