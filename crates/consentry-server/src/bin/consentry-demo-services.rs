//! `consentry-demo-services`: the demo support operation's two backend systems that handle
//! personal data, as small real services (issue 15 item 5). Each asks the receipt server
//! `POST /v1/consent/check` before it keeps anything, and keeps the signed answer with what it
//! kept, as evidence that it asked.
//!
//! - **The chat transcript store.** `POST /chat/sessions` opens a chat: a session id, and a link
//!   token for it from the receipt server (`POST /v1/links`, channel `online_chat`, the session
//!   as the ticket), which the chat page mounts the consent widget with. `POST
//!   /chat/sessions/{id}/messages {"text"}` delivers a message and keeps it in the transcript
//!   only when the person allowed `chat-transcript` for this session; `GET
//!   /chat/sessions/{id}/transcript` shows what was kept, with the answers.
//! - **The call recorder.** `POST /calls {"identifier": {"kind","value"}}` asks whether the
//!   caller allowed `hotline-call-recording` (the identifier is the caller's customer number or
//!   phone number) and answers whether to record.
//! - **The mailbox's auto-responder.** `POST /mail/auto-reply {"ticket", "email"}` writes the
//!   auto-reply to a new ticket: with a link, signed by the receipt server for that ticket and
//!   the writer's e-mail address (`support_mailbox`, 7 days), to the page that shows the notice
//!   for it (`--ticket-page`).
//!
//! ```text
//! consentry-demo-services --listen 127.0.0.1:8082 --receipt-server http://127.0.0.1:8081 \
//!     --data data/demo-services --allow-origin http://127.0.0.1:8080
//! ```
//! The services' tokens come from the environment (`CONSENTRY_TRANSCRIPT_STORE_TOKEN`,
//! scoped to `chat-transcript` and links for `online_chat`; `CONSENTRY_CALL_RECORDER_TOKEN`,
//! scoped to `hotline-call-recording`; `CONSENTRY_MAILBOX_TOKEN`, links for
//! `support_mailbox`), as `consentry-server service-token add` printed them.

use std::collections::HashMap;
use std::io::Write as _;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use clap::Parser;
use consentry_core::encoding::b64url;
use consentry_core::json::{self, Value};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The demo's transcript store and call recorder.
#[derive(Debug, Parser)]
#[command(name = "consentry-demo-services", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8082")]
    listen: SocketAddr,
    /// The receipt server (http://host:port) the services ask.
    #[arg(long, value_name = "URL")]
    receipt_server: String,
    /// Where transcripts are kept (one JSON-lines file per chat session).
    #[arg(long, default_value = "data/demo-services", value_name = "DIR")]
    data: PathBuf,
    /// The site origin whose chat page may call the services (CORS; repeatable).
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,
    /// The page a mailbox link opens (`?link=` is appended).
    #[arg(long, value_name = "URL")]
    ticket_page: Option<String>,
}

struct Services {
    client: Client<HttpConnector, Full<Bytes>>,
    receipt_server: String,
    store_token: String,
    recorder_token: String,
    mailbox_token: String,
    ticket_page: Option<String>,
    data: PathBuf,
    /// Open chat sessions (ids made here; a message to another id is refused).
    sessions: Mutex<HashMap<String, ()>>,
}

fn answer(status: StatusCode, v: &Value) -> Response {
    let mut res = (status, json::to_canonical_string(v)).into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

fn error(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    answer(
        status,
        &Value::object([(
            "error",
            Value::object([
                ("code", Value::str(code)),
                ("message", Value::str(message.into())),
            ]),
        )]),
    )
}

impl Services {
    /// POSTs JSON to the receipt server with a service token; its status and JSON answer.
    async fn call(&self, path: &str, token: &str, body: &Value) -> Result<(u16, Value), String> {
        let req = hyper::Request::builder()
            .method(Method::POST)
            .uri(format!("{}{path}", self.receipt_server))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Full::new(Bytes::from(json::to_canonical_string(body))))
            .map_err(|e| e.to_string())?;
        let res = tokio::time::timeout(std::time::Duration::from_secs(5), self.client.request(req))
            .await
            .map_err(|_| "the receipt server did not answer in 5 s".to_string())?
            .map_err(|e| format!("the receipt server could not be reached: {e}"))?;
        let status = res.status().as_u16();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        let v = json::parse(&bytes).map_err(|e| format!("the receipt server's answer: {e}"))?;
        Ok((status, v))
    }

    /// "May I?" for an identifier and a purpose: the signed answer, or why there is none.
    async fn may_i(
        &self,
        token: &str,
        kind: &str,
        value: &str,
        purpose: &str,
    ) -> Result<(bool, Value), String> {
        let (status, v) = self
            .call(
                "/v1/consent/check",
                token,
                &Value::object([
                    (
                        "identifier",
                        Value::object([("kind", Value::str(kind)), ("value", Value::str(value))]),
                    ),
                    ("purpose", Value::str(purpose)),
                ]),
            )
            .await?;
        if status != 200 {
            return Err(format!(
                "the consent check was refused ({status}): {}",
                json::to_canonical_string(&v)
            ));
        }
        let allowed = v
            .get("answer")
            .and_then(|a| a.get("allowed"))
            .and_then(Value::as_bool)
            .ok_or("the consent check's answer has no `allowed`")?;
        Ok((allowed, v))
    }
}

type Shared = Arc<Services>;

async fn open_session(State(s): State<Shared>) -> Response {
    let mut id = [0u8; 12];
    if getrandom::fill(&mut id).is_err() {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "no random source",
        );
    }
    let session = format!("chat-{}", b64url(&id));
    let body = Value::object([
        (
            "identifier",
            Value::object([
                ("kind", Value::str("ticket")),
                ("value", Value::str(session.as_str())),
            ]),
        ),
        ("ticket", Value::str(session.as_str())),
        ("channel", Value::str("online_chat")),
        ("ttl_seconds", Value::Int(3600)),
    ]);
    match s.call("/v1/links", &s.store_token, &body).await {
        Ok((201, v)) => {
            s.sessions
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(session.clone(), ());
            answer(
                StatusCode::CREATED,
                &Value::object([
                    ("session", Value::str(session)),
                    ("link", v.get("token").cloned().unwrap_or(Value::Null)),
                ]),
            )
        }
        Ok((status, v)) => error(
            StatusCode::BAD_GATEWAY,
            "link_refused",
            format!(
                "the receipt server refused a chat link ({status}): {}",
                json::to_canonical_string(&v)
            ),
        ),
        Err(e) => error(StatusCode::BAD_GATEWAY, "receipt_server_unreachable", e),
    }
}

fn transcript_file(s: &Services, session: &str) -> PathBuf {
    s.data.join("transcripts").join(format!("{session}.jsonl"))
}

fn known(s: &Services, session: &str) -> bool {
    s.sessions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .contains_key(session)
}

async fn message(State(s): State<Shared>, Path(session): Path<String>, body: Bytes) -> Response {
    if !known(&s, &session) {
        return error(
            StatusCode::NOT_FOUND,
            "no_session",
            "no chat session with this id",
        );
    }
    let text = match json::parse(&body)
        .ok()
        .and_then(|v| v.get("text").and_then(Value::as_str).map(str::to_owned))
    {
        Some(t) if !t.is_empty() && t.len() <= 4000 => t,
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "invalid_message",
                "send {\"text\": \"…\"} of 1 to 4000 bytes",
            );
        }
    };
    // Asked before anything is kept: the message reaches the agent either way, but only a
    // yes for this session puts it in the transcript.
    let (allowed, check) = match s
        .may_i(&s.store_token, "ticket", &session, "chat-transcript")
        .await
    {
        Ok(a) => a,
        Err(e) => {
            // No answer is no: nothing is kept.
            return answer(
                StatusCode::OK,
                &Value::object([
                    ("delivered", Value::Bool(true)),
                    ("kept", Value::Bool(false)),
                    ("reason", Value::str(format!("no answer: {e}"))),
                ]),
            );
        }
    };
    let reason = check
        .get("answer")
        .and_then(|a| a.get("reason"))
        .cloned()
        .unwrap_or(Value::Null);
    if allowed {
        let line = json::to_canonical_string(&Value::object([
            ("text", Value::str(text)),
            ("check", check.clone()),
        ]));
        let file = transcript_file(&s, &session);
        let kept = std::fs::create_dir_all(file.parent().unwrap_or(&s.data)).and_then(|()| {
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&file)?;
            writeln!(f, "{line}")?;
            f.sync_data()
        });
        if let Err(e) = kept {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "not_kept",
                format!("the transcript could not be written: {e}"),
            );
        }
    }
    answer(
        StatusCode::OK,
        &Value::object([
            ("delivered", Value::Bool(true)),
            ("kept", Value::Bool(allowed)),
            ("reason", reason),
            ("jws", check.get("jws").cloned().unwrap_or(Value::Null)),
        ]),
    )
}

async fn transcript(State(s): State<Shared>, Path(session): Path<String>) -> Response {
    if !known(&s, &session) {
        return error(
            StatusCode::NOT_FOUND,
            "no_session",
            "no chat session with this id",
        );
    }
    let lines = match std::fs::read_to_string(transcript_file(&s, &session)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()),
    };
    let kept: Vec<Value> = lines
        .lines()
        .filter_map(|l| json::parse_str(l).ok())
        .collect();
    answer(
        StatusCode::OK,
        &Value::object([("session", Value::str(session)), ("kept", Value::Arr(kept))]),
    )
}

async fn auto_reply(State(s): State<Shared>, body: Bytes) -> Response {
    let v = json::parse(&body).ok();
    let field = |k: &str| {
        v.as_ref()
            .and_then(|v| v.get(k))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (Some(ticket), Some(email)) = (field("ticket"), field("email")) else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_mail",
            "send {\"ticket\": \"T-1001\", \"email\": \"…\"}",
        );
    };
    let Some(page) = &s.ticket_page else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "no_ticket_page",
            "start with --ticket-page",
        );
    };
    let body = Value::object([
        (
            "identifier",
            Value::object([("kind", Value::str("email")), ("value", Value::str(email))]),
        ),
        ("ticket", Value::str(ticket.as_str())),
        ("channel", Value::str("support_mailbox")),
    ]);
    match s.call("/v1/links", &s.mailbox_token, &body).await {
        Ok((201, v)) => {
            let token = v.get("token").and_then(Value::as_str).unwrap_or_default();
            // In the fragment: browsers never send it, so no server log or proxy keeps it.
            let link = format!("{page}#link={token}");
            answer(
                StatusCode::CREATED,
                &Value::object([
                    (
                        "text",
                        Value::str(format!(
                            "Thank you for writing to Lumenwave Support. Your ticket is {ticket}.\n\
                             Before we keep or share anything about your request, tell us what we may \
                             do with it: {link}\nThe link works for 7 days."
                        )),
                    ),
                    ("link", Value::str(link)),
                ]),
            )
        }
        Ok((status, v)) => error(
            StatusCode::BAD_GATEWAY,
            "link_refused",
            format!(
                "the receipt server refused ({status}): {}",
                json::to_canonical_string(&v)
            ),
        ),
        Err(e) => error(StatusCode::BAD_GATEWAY, "receipt_server_unreachable", e),
    }
}

async fn call(State(s): State<Shared>, body: Bytes) -> Response {
    let id = json::parse(&body).ok().and_then(|v| {
        let id = v.get("identifier")?;
        Some((
            id.get("kind")?.as_str()?.to_owned(),
            id.get("value")?.as_str()?.to_owned(),
        ))
    });
    let Some((kind, value)) = id else {
        return error(
            StatusCode::BAD_REQUEST,
            "invalid_call",
            "send {\"identifier\": {\"kind\": \"customer\"|\"phone\", \"value\": \"…\"}}",
        );
    };
    match s
        .may_i(&s.recorder_token, &kind, &value, "hotline-call-recording")
        .await
    {
        Ok((record, check)) => answer(
            StatusCode::OK,
            &Value::object([
                ("record", Value::Bool(record)),
                (
                    "reason",
                    check
                        .get("answer")
                        .and_then(|a| a.get("reason"))
                        .cloned()
                        .unwrap_or(Value::Null),
                ),
                ("jws", check.get("jws").cloned().unwrap_or(Value::Null)),
            ]),
        ),
        // No answer is no: the call is not recorded.
        Err(e) => answer(
            StatusCode::OK,
            &Value::object([
                ("record", Value::Bool(false)),
                ("reason", Value::str(format!("no answer: {e}"))),
            ]),
        ),
    }
}

fn token(name: &str) -> Result<String, String> {
    std::env::var(name)
        .ok()
        .filter(|t| t.starts_with("cst_"))
        .ok_or_else(|| format!("{name} must hold the service's token (cst_…)"))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::parse();
    let fail = |e: String| {
        eprintln!("consentry-demo-services: {e}");
        ExitCode::from(2)
    };
    let (store_token, recorder_token, mailbox_token) = match (
        token("CONSENTRY_TRANSCRIPT_STORE_TOKEN"),
        token("CONSENTRY_CALL_RECORDER_TOKEN"),
        token("CONSENTRY_MAILBOX_TOKEN"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return fail(e),
    };
    let Some(receipt_server) = args
        .receipt_server
        .strip_suffix('/')
        .or(Some(&args.receipt_server))
        .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
    else {
        return fail("--receipt-server must be an http(s) URL".into());
    };
    let services = Arc::new(Services {
        client: Client::builder(TokioExecutor::new()).build_http(),
        receipt_server: receipt_server.to_owned(),
        store_token,
        recorder_token,
        mailbox_token,
        ticket_page: args.ticket_page.clone(),
        data: args.data.clone(),
        sessions: Mutex::new(HashMap::new()),
    });
    let mut origins = Vec::new();
    for o in &args.allow_origins {
        match HeaderValue::from_str(o) {
            Ok(v) => origins.push(v),
            Err(_) => return fail(format!("--allow-origin {o:?} is not an origin")),
        }
    }
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(origins)
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE]);
    let app = Router::new()
        .route("/chat/sessions", post(open_session))
        .route("/chat/sessions/{id}/messages", post(message))
        .route("/chat/sessions/{id}/transcript", get(transcript))
        .route("/calls", post(call))
        .route("/mail/auto-reply", post(auto_reply))
        .layer(axum::extract::DefaultBodyLimit::max(8 * 1024))
        .layer(cors)
        .with_state(services);
    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
    };
    match listener.local_addr() {
        Ok(a) => {
            println!("consentry-demo-services listening on http://{a}");
            let _ = std::io::stdout().flush();
        }
        Err(e) => return fail(e.to_string()),
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e.to_string()),
    }
}
