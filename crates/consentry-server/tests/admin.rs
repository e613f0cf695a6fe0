//! Compliance queries and exports through the router: the bearer token, NDJSON (verifiable
//! ledger export), CSV, Kantara CR v1.1, filters, and a subject's current consent state.

mod common;

use axum::http::{Method, StatusCode, header};
use common::*;
use consentry_core::json::{self, Value};
use consentry_core::receipt::verify::{VerifyPolicy, verify_ledger_export, verify_ledger_head};
use consentry_core::testing::{TestSigner, next_receipt, sample_receipt};
use consentry_core::time::Timestamp;

/// A fixture with the sample notice loaded and six receipts: device A's chain of three
/// (accept, reject, accept), device B's first, and two more of B's chain on a new notice
/// version.
async fn populated() -> Fixture {
    let f = fixture(registry_policy(), None);
    let a = TestSigner::device();
    let b = TestSigner::other();
    let a1 = sample_receipt(&a, 1, true);
    let a2 = next_receipt(&a, &a1, 2, false);
    let a3 = next_receipt(&a, &a2, 3, true);
    let b1 = sample_receipt(&b, 4, false);
    for (s, r) in [(&a, &a1), (&a, &a2), (&b, &b1), (&a, &a3)] {
        let ans = post(&f.router, &s.sign_receipt(r)).await;
        assert_eq!(ans.status, StatusCode::CREATED, "{}", ans.text());
    }
    f
}

#[tokio::test]
async fn admin_endpoints_need_the_bearer_token() {
    let f = populated().await;
    for uri in [
        "/v1/admin/receipts",
        "/v1/admin/subjects/x/state",
        "/v1/admin/receipts?format=csv",
    ] {
        let a = get(&f.router, uri).await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{uri}");
        assert_eq!(a.error_code(), "unauthorized");
        assert_eq!(a.headers.get(header::WWW_AUTHENTICATE).unwrap(), "Bearer");
        let a = Req::new(Method::GET, uri)
            .header(header::AUTHORIZATION, "Bearer wrong-token-wrong-token")
            .send(&f.router)
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{uri}");
    }
    // Without a configured token the admin API is off.
    let tmp = tempfile::tempdir().unwrap();
    let store = std::sync::Arc::new(
        consentry_server::SqliteStore::open(&tmp.path().join("x.sqlite"), ledger_config()).unwrap(),
    );
    let off = consentry_server::app(consentry_server::AppState::new(
        store,
        VerifyPolicy::default(),
        &ledger_config(),
    ));
    let a = admin_get(&off, "/v1/admin/receipts").await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.error_code(), "admin_disabled");
}

#[tokio::test]
async fn ndjson_export_is_the_verifiable_ledger() {
    let f = populated().await;
    let e = admin_get(&f.router, "/v1/admin/receipts").await;
    assert_eq!(e.status, StatusCode::OK);
    assert_eq!(e.content_type(), "application/x-ndjson");
    let head = get(&f.router, "/v1/ledger/head").await;
    let (head, _) = verify_ledger_head(&head.body, &keys()).unwrap();
    let check = verify_ledger_export(&e.body, &registry_policy(), &keys(), Some(&head)).unwrap();
    assert_eq!(check.entries, 4);
    assert!(check.flagged.is_empty());
    // The same with format=ndjson, explicitly.
    let e2 = admin_get(&f.router, "/v1/admin/receipts?format=ndjson").await;
    assert_eq!(e2.body, e.body);
}

#[tokio::test]
async fn filters_select_by_subject_notice_version_and_time() {
    let f = populated().await;
    let lines = |a: &Answer| -> Vec<Value> {
        a.body
            .split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| json::parse(l).unwrap())
            .collect()
    };
    let idx = |v: &[Value]| -> Vec<i64> {
        v.iter()
            .map(|l| {
                l.get("entry")
                    .unwrap()
                    .get("index")
                    .unwrap()
                    .as_i64()
                    .unwrap()
            })
            .collect()
    };
    let b = TestSigner::other().kid();
    let a = admin_get(&f.router, &format!("/v1/admin/receipts?subject={b}")).await;
    assert_eq!(idx(&lines(&a)), [3]);
    let a = admin_get(
        &f.router,
        "/v1/admin/receipts?notice_id=support-privacy&notice_version=2026.11.1",
    )
    .await;
    assert_eq!(idx(&lines(&a)), [1, 2, 3, 4]);
    let a = admin_get(
        &f.router,
        "/v1/admin/receipts?notice_id=support-privacy&notice_version=1999.1",
    )
    .await;
    assert!(lines(&a).is_empty());
    // The ticking clock gives receipt n the time T0 + (n-1) s.
    let from = Timestamp(T0 + 1000).to_rfc3339();
    let to = Timestamp(T0 + 3000).to_rfc3339();
    let a = admin_get(
        &f.router,
        &format!("/v1/admin/receipts?from={from}&to={to}"),
    )
    .await;
    assert_eq!(idx(&lines(&a)), [2, 3]);
    for bad in [
        "/v1/admin/receipts?from=yesterday",
        "/v1/admin/receipts?format=xml",
        "/v1/admin/receipts?colour=blue",
        "/v1/admin/receipts?notice_version=1",
    ] {
        let a = admin_get(&f.router, bad).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert_eq!(a.error_code(), "invalid_query");
    }
}

#[tokio::test]
async fn csv_export_has_a_header_and_one_row_per_receipt() {
    let f = populated().await;
    let a = admin_get(&f.router, "/v1/admin/receipts?format=csv").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.content_type().starts_with("text/csv"));
    let text = a.text();
    let rows: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), 5);
    let header: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(header[0], "ledger_index");
    assert_eq!(*header.last().unwrap(), "decisions");
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let second: Vec<&str> = rows[2].split(',').collect();
    assert_eq!(second.len(), header.len());
    assert_eq!(second[col("ledger_index")], "2");
    assert_eq!(second[col("subject_chain")], "linked");
    assert_eq!(second[col("event_type")], "update");
    assert_eq!(second[col("regime")], "eu-gdpr");
    assert_eq!(
        second[col("decisions")],
        "support-service=not_applicable;chat-transcript=refused;marketing=refused"
    );
}

#[tokio::test]
async fn kantara_export_is_a_json_array_of_v1_1_receipts() {
    let f = populated().await;
    let a = admin_get(&f.router, "/v1/admin/receipts?format=kantara").await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.content_type(), "application/json");
    let v = a.json();
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 4);
    for k in items {
        assert_eq!(k.get("version").unwrap().as_str(), Some("KI-CR-v1.1.0"));
        assert_eq!(
            k.get("publicKey").unwrap().as_str(),
            Some(signer().kid()),
            "the countersigning key"
        );
        let c = &k.get("piiControllers").unwrap().as_array().unwrap()[0];
        assert_eq!(
            c.get("piiController").unwrap().as_str(),
            Some("Example Telecom Ltd")
        );
    }
    assert_eq!(
        items[0].get("consentTimestamp").unwrap().as_i64(),
        Some(T0 / 1000),
        "server time"
    );
    // Empty result: an empty array.
    let a = admin_get(
        &f.router,
        "/v1/admin/receipts?format=kantara&subject=nobody",
    )
    .await;
    assert_eq!(a.json(), Value::Arr(Vec::new()));
}

#[tokio::test]
async fn subject_state_is_computed_from_the_chain() {
    let f = populated().await;
    let a = TestSigner::device().kid();
    let s = admin_get(&f.router, &format!("/v1/admin/subjects/{a}/state")).await;
    assert_eq!(s.status, StatusCode::OK);
    let v = s.json();
    assert_eq!(v.get("subject").unwrap().as_str(), Some(a.as_str()));
    let notices = v.get("notices").unwrap().as_array().unwrap();
    assert_eq!(notices.len(), 1);
    let n = &notices[0];
    assert_eq!(n.get("receipts").unwrap().as_i64(), Some(3));
    assert_eq!(n.get("subject_seq").unwrap().as_i64(), Some(2));
    assert_eq!(n.get("index").unwrap().as_i64(), Some(4));
    assert_eq!(n.get("chain_intact"), Some(&Value::Bool(true)));
    assert_eq!(
        n.get("purposes")
            .unwrap()
            .get("marketing")
            .unwrap()
            .as_str(),
        Some("given")
    );
    let unknown = admin_get(&f.router, "/v1/admin/subjects/nobody/state").await;
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(
        unknown
            .json()
            .get("notices")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        0
    );
}
