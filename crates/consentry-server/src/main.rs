//! `consentry-server`: the reference receipt service.
//!
//! Prints exactly one line to stdout once it listens —
//! `consentry-server listening on http://<ip>:<port>` — and logs to stderr. Stops gracefully
//! on SIGTERM or Ctrl-C: it stops accepting connections, answers the requests in flight and
//! commits every accepted receipt before it exits. Exit 2 when it cannot start (bad flags,
//! no --notices (without --dev-any-notice), no complete notice version in it, unreadable
//! key directory, database or address unavailable).
//!
//! `consentry-server keys rotate --key-dir DIR` creates a new signing key and retires the
//! current one (still published, so what it signed stays verifiable); `keys list` shows them.

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderValue;
/// mimalloc: the server allocates per request on several threads, and glibc's malloc took
/// about a fifth of its CPU in the ingest profile.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand, ValueEnum};
use consentry_core::receipt::verify::VerifyPolicy;
use consentry_server::notices::{self, NoticeArchive, SharedPolicy};
use consentry_server::store::DEFAULT_WRITE_QUEUE;
use consentry_server::{
    AppState, IngestLimits, KeyRing, LedgerConfig, PgStore, RateLimiter, ReceiptStore,
    ServeOptions, SqliteStore, TrustedProxies, app, serve, system_now,
};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
    /// Human-readable lines with key=value fields.
    Text,
    /// One JSON object per line.
    Json,
}

/// Consentry receipt server: verifies, countersigns and stores signed consent receipts in a
/// hash-chained ledger.
#[derive(Debug, Parser)]
#[command(
    name = "consentry-server",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file (created with its directory if missing). Ignored with --postgres.
    #[arg(long, default_value = "./data/receipts.sqlite")]
    db: PathBuf,
    /// Use PostgreSQL instead of SQLite: a libpq connection string
    /// (`host=… port=… user=… dbname=…`) or a postgresql:// URL. Several servers may share one
    /// database.
    #[arg(long, value_name = "CONNINFO")]
    postgres: Option<String>,
    /// Directory of the server's signing keys (created with a first key if missing).
    #[arg(long, default_value = "./data/keys", value_name = "DIR")]
    key_dir: PathBuf,
    /// Name of this ledger, stated in every entry (fixed when the database is created).
    #[arg(long, default_value = "consentry")]
    log_id: String,
    /// The published notices (repeatable): a `consentry build` output directory, whose
    /// `archive/` holds every version ever published, or a single build (`manifest.json` + the
    /// files it lists). Receipts must name one of their versions; versions published while the
    /// server runs are loaded within --notices-poll. Required unless --dev-any-notice.
    #[arg(long = "notices", value_name = "DIR")]
    notices: Vec<PathBuf>,
    /// Development only: start without --notices and accept receipts for ANY notice text
    /// (signatures and receipt consistency are still verified, notice digests are not).
    #[arg(long, conflicts_with = "notices")]
    dev_any_notice: bool,
    /// Seconds between two looks for newly published notice versions in --notices.
    #[arg(long, default_value = "1", value_parser = seconds, value_name = "SECONDS")]
    notices_poll: Duration,
    /// Directory of static files served at `/`.
    #[arg(long, value_name = "DIR")]
    site: Option<PathBuf>,
    /// File holding the bearer token of the admin API (queries, exports). The environment
    /// variable CONSENTRY_ADMIN_TOKEN is used when this is absent. Without either, the admin
    /// API is disabled.
    #[arg(long, value_name = "FILE")]
    admin_token_file: Option<PathBuf>,
    /// File of the backend services that may ask `POST /v1/consent/check`, each with the
    /// SHA-256 of its token and the purposes it may ask about (written by `consentry-server
    /// service-token add`). Without it, consent checks are disabled.
    #[arg(long, value_name = "FILE")]
    service_tokens: Option<PathBuf>,
    /// The console's SQLite file: accounts (made with `consentry-server account add`),
    /// sessions and the audit trail. Without it, `/console/api/…` answers 404.
    #[arg(long, value_name = "FILE")]
    console_db: Option<PathBuf>,
    /// A browser origin allowed to call the public API cross-origin (repeatable), e.g.
    /// https://support.example.com.
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    cors_origins: Vec<String>,
    /// An origin allowed to frame this server's pages (repeatable), e.g.
    /// https://support.example.com. By default no page may frame them (`frame-ancestors
    /// 'none'`, `X-Frame-Options: DENY`): a framing page could have "Accept all" clicked.
    #[arg(long = "frame-ancestor", value_name = "ORIGIN")]
    frame_ancestors: Vec<String>,
    /// An origin whose pages may use this server's signing frame (repeatable), e.g.
    /// https://support.example.com: the frame at /signer/ (from --site, built by `cargo xtask
    /// site`) holds the device key and signs receipts for pages that mount the widget with
    /// `signer: "<this server>/signer/"`; only these origins may frame it, and it ignores
    /// messages from any other (docs/adr/0012-device-key-in-a-signing-frame.md).
    #[arg(long = "signer-origin", value_name = "ORIGIN")]
    signer_origins: Vec<String>,
    /// Send `Strict-Transport-Security` (set when a TLS front end serves this server).
    #[arg(long)]
    hsts: bool,
    /// Receipts per second accepted from one client IP on average (0: no limit).
    #[arg(long, default_value_t = 50.0)]
    rate_limit: f64,
    /// Burst size of the per-IP rate limit.
    #[arg(long, default_value_t = 200.0)]
    rate_burst: f64,
    /// Log format on stderr (filter with RUST_LOG, default `info`).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
    /// Seconds a client has to send a whole request head (also the idle timeout of a
    /// keep-alive connection); a slower client is disconnected.
    #[arg(long, default_value = "10", value_parser = seconds, value_name = "SECONDS")]
    header_timeout: Duration,
    /// Seconds a client has to send a whole request body once its head is in; a slower client
    /// gets `408 body_timeout` and is disconnected.
    #[arg(long, default_value = "10", value_parser = seconds, value_name = "SECONDS")]
    body_timeout: Duration,
    /// Most connections open at once; more clients wait in the listen backlog.
    #[arg(long, default_value_t = ServeOptions::default().max_connections, value_name = "N")]
    max_connections: usize,
    /// Most of those connections from one client IP address; more are closed at once (0: no
    /// per-client cap). A --trusted-proxy is not capped.
    #[arg(long, default_value_t = ServeOptions::default().max_connections_per_client, value_name = "N")]
    max_connections_per_client: usize,
    /// A reverse proxy (an address, or a network such as 10.0.0.0/8; repeat for several)
    /// whose `X-Forwarded-For` names the client: rate limits, log-in throttling, the hotline
    /// look-up limit and the audit trail then count and name the visitor, not the proxy, and
    /// the proxy's connections are not capped per client. Without it the header is ignored
    /// (any client could write it). List only proxies that overwrite or append to the header.
    #[arg(long = "trusted-proxy", value_name = "ADDRESS|NETWORK")]
    trusted_proxies: Vec<String>,
    /// Most receipts admitted at once (being verified or waiting for the ledger commit);
    /// beyond it `POST /v1/receipts` answers `503 overloaded` with `Retry-After`.
    #[arg(long, default_value_t = IngestLimits::default().max_inflight, value_name = "N")]
    max_inflight: usize,
    /// Threads verifying receipts (default: one per core).
    #[arg(long, value_name = "N")]
    verify_threads: Option<usize>,
    /// Most receipts waiting for the ledger writer; beyond it `503 overloaded`.
    #[arg(long, default_value_t = DEFAULT_WRITE_QUEUE, value_name = "N")]
    write_queue: usize,
    /// Origin of the transparency log (its checkpoints' first line and its key's name;
    /// default: --log-id). Its Ed25519 key is `log.key` in --key-dir, created when missing.
    #[arg(long, value_name = "ORIGIN")]
    log_origin: Option<String>,
    /// A C2SP tlog-witness `add-checkpoint` URL (http://; repeatable). Each new checkpoint is
    /// submitted to every witness; receipts are accepted while a witness is down.
    #[arg(long = "witness", value_name = "URL")]
    witness: Vec<String>,
    /// The cosignature/v1 verifier key of the witness at the same position in --witness.
    #[arg(long = "witness-key", value_name = "VERIFIER")]
    witness_key: Vec<String>,
    /// How often the latest checkpoint is submitted to the witnesses.
    #[arg(long, default_value = "0.5", value_parser = seconds, value_name = "SECONDS")]
    witness_period: Duration,
}

/// A positive number of seconds (decimals allowed).
fn seconds(s: &str) -> Result<Duration, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("{s:?} is not a number of seconds"))?;
    if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
        return Err(format!(
            "{s:?}: give a number of seconds above 0 and at most 86400"
        ));
    }
    Ok(Duration::from_secs_f64(v))
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Manage the server's signing keys.
    Keys {
        #[command(subcommand)]
        action: KeysAction,
    },
    /// Manage the console's accounts (the file of --console-db).
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
    /// Manage the service tokens of `POST /v1/consent/check` (the file of --service-tokens).
    ServiceToken {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Debug, Subcommand)]
enum AccountAction {
    /// Create an account. The password is read from standard input (one line); with
    /// --generate-password a random one is made and printed once.
    Add {
        /// The console database (created if missing).
        #[arg(long, default_value = "./data/console.sqlite", value_name = "FILE")]
        console_db: PathBuf,
        /// The name to sign in with: 3 to 64 characters of a-z, 0-9, '.', '_', '-'.
        #[arg(long)]
        username: String,
        /// agent, auditor, dpo or admin.
        #[arg(long)]
        role: String,
        /// Make a random password and print it, instead of reading one.
        #[arg(long)]
        generate_password: bool,
    },
}

fn account_command(action: &AccountAction) -> Result<String, String> {
    use consentry_server::console::{ConsoleStore, Role};
    match action {
        AccountAction::Add {
            console_db,
            username,
            role,
            generate_password,
        } => {
            let role = Role::parse(role)
                .ok_or_else(|| format!("--role {role:?}: agent, auditor, dpo or admin"))?;
            let password = if *generate_password {
                let mut b = [0u8; 18];
                getrandom::fill(&mut b).map_err(|e| format!("no random source: {e}"))?;
                consentry_core::encoding::b64url(&b)
            } else {
                let mut line = String::new();
                std::io::stdin()
                    .read_line(&mut line)
                    .map_err(|e| format!("reading the password from standard input: {e}"))?;
                line.trim_end_matches(['\r', '\n']).to_owned()
            };
            let store = ConsoleStore::open(console_db).map_err(|e| e.to_string())?;
            store
                .add_account(username, role, &password, system_now())
                .map_err(|e| e.to_string())?;
            Ok(if *generate_password {
                format!(
                    "account {username} ({}) created; password: {password}",
                    role.as_str()
                )
            } else {
                format!("account {username} ({}) created", role.as_str())
            })
        }
    }
}

/// The tokens file of `service-token` (created by `add` if missing).
#[derive(Debug, clap::Args)]
struct TokensFile {
    /// The tokens file.
    #[arg(
        long = "file",
        default_value = "./data/service-tokens.json",
        value_name = "FILE"
    )]
    path: PathBuf,
}

#[derive(Debug, Subcommand)]
enum TokenAction {
    /// Create a token for a backend service, scoped to purposes; prints the token once (the
    /// file keeps its SHA-256 only). Restart the server(s) to accept it.
    Add {
        #[command(flatten)]
        file: TokensFile,
        /// The service's name, e.g. transcript-store.
        #[arg(long)]
        name: String,
        /// A purpose it may ask about (repeatable).
        #[arg(long = "purpose", required_unless_present = "links")]
        purposes: Vec<String>,
        /// A channel it may issue link tokens for with `POST /v1/links` (repeatable), e.g.
        /// support_mailbox for the mailbox's auto-responder.
        #[arg(long = "link", requires = "link_kinds")]
        links: Vec<String>,
        /// A kind of identifier it may issue link tokens for (repeatable, with --link):
        /// ticket, email, phone or customer.
        #[arg(long = "link-kind", requires = "links")]
        link_kinds: Vec<String>,
    },
    /// List the services and their purposes.
    List {
        #[command(flatten)]
        file: TokensFile,
    },
    /// Revoke a service's token. Restart the server(s) to refuse it.
    Revoke {
        #[command(flatten)]
        file: TokensFile,
        /// The service's name.
        #[arg(long)]
        name: String,
    },
}

/// What a command said: its output on stdout (exit 0), or its error on stderr (exit 2).
fn said(result: Result<String, String>) -> ExitCode {
    match result {
        Ok(out) => {
            if !out.is_empty() {
                println!("{out}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn token_command(action: &TokenAction) -> Result<String, String> {
    use consentry_server::check::{Service, ServiceTokens, new_token};
    let read = |file: &std::path::Path| -> Result<ServiceTokens, String> {
        if file.exists() {
            ServiceTokens::load(file)
        } else {
            Ok(ServiceTokens::default())
        }
    };
    let write = |file: &std::path::Path, t: &ServiceTokens| -> Result<(), String> {
        if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let tmp = file.with_extension("json.tmp");
        std::fs::write(&tmp, t.to_json() + "\n").map_err(|e| format!("{}: {e}", tmp.display()))?;
        // Whoever may write the file may add a token: the server refuses it open to others.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&tmp, std::fs::Permissions::from_mode(0o600))
                .map_err(|e| format!("{}: {e}", tmp.display()))?;
        }
        std::fs::rename(&tmp, file).map_err(|e| format!("{}: {e}", file.display()))
    };
    match action {
        TokenAction::Add {
            file: TokensFile { path: file },
            name,
            purposes,
            links,
            link_kinds,
        } => {
            let mut t = read(file)?;
            for k in link_kinds {
                if !consentry_server::links::KINDS.contains(&k.as_str()) {
                    return Err(format!(
                        "--link-kind {k:?}: one of {}",
                        consentry_server::links::KINDS.join(", ")
                    ));
                }
            }
            for c in links {
                if consentry_core::receipt::Channel::parse(c).is_none() {
                    return Err(format!(
                        "--link {c:?}: a channel such as support_mailbox, online_chat or hotline_agent"
                    ));
                }
            }
            let (token, token_sha256) = new_token()?;
            let mut ids = Vec::new();
            for p in purposes {
                let id = consentry_core::ids::PurposeId::parse(p)
                    .map_err(|e| format!("--purpose {p:?}: {e}"))?;
                ids.push(id.as_str().to_owned());
            }
            t.add(Service {
                name: name.clone(),
                purposes: ids,
                links: links.clone(),
                link_kinds: link_kinds.clone(),
                token_sha256,
            })?;
            write(file, &t)?;
            Ok(token)
        }
        TokenAction::List {
            file: TokensFile { path: file },
        } => Ok(read(file)?
            .services()
            .iter()
            .map(|s| format!("{}  {}", s.name, s.purposes.join(" ")))
            .collect::<Vec<_>>()
            .join("\n")),
        TokenAction::Revoke {
            file: TokensFile { path: file },
            name,
        } => {
            let mut t = read(file)?;
            if !t.remove(name) {
                return Err(format!("no service named {name:?} in {}", file.display()));
            }
            write(file, &t)?;
            Ok(format!(
                "revoked {name}; restart the server(s) to refuse its token"
            ))
        }
    }
}

#[derive(Debug, Subcommand)]
enum KeysAction {
    /// Create a new active key; the current one is retired but stays published.
    Rotate {
        /// The key directory.
        #[arg(long, default_value = "./data/keys", value_name = "DIR")]
        key_dir: PathBuf,
    },
    /// List the keys (kid, created, retired, active).
    List {
        /// The key directory.
        #[arg(long, default_value = "./data/keys", value_name = "DIR")]
        key_dir: PathBuf,
    },
}

fn keys_command(action: &KeysAction) -> ExitCode {
    match action {
        KeysAction::Rotate { key_dir } => match KeyRing::rotate(key_dir, system_now()) {
            Ok(kid) => {
                println!("new active key {kid}; restart the server(s) to sign with it");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
        KeysAction::List { key_dir } => match KeyRing::open(key_dir) {
            Ok(ring) => {
                for (kid, created, retired, active) in ring.list() {
                    println!(
                        "{kid}  created {}  {}",
                        created.to_rfc3339(),
                        match (active, retired) {
                            (true, _) => "active".to_owned(),
                            (false, Some(r)) => format!("retired {}", r.to_rfc3339()),
                            (false, None) => "retired".to_owned(),
                        }
                    );
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        },
    }
}

enum Store {
    Sqlite(Arc<SqliteStore>),
    Postgres(Arc<PgStore>),
}

impl Store {
    fn dyn_store(&self) -> Arc<dyn ReceiptStore> {
        match self {
            Store::Sqlite(s) => s.clone(),
            Store::Postgres(s) => s.clone(),
        }
    }
    async fn shutdown(&self) {
        match self {
            Store::Sqlite(s) => {
                let s = s.clone();
                let _ = tokio::task::spawn_blocking(move || s.shutdown()).await;
            }
            Store::Postgres(s) => s.shutdown().await,
        }
    }
}

fn admin_token(args: &Args) -> Result<Option<String>, String> {
    let token = match &args.admin_token_file {
        Some(path) => {
            private_file(path)?;
            Some(
                std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                    .trim()
                    .to_owned(),
            )
        }
        None => std::env::var("CONSENTRY_ADMIN_TOKEN")
            .ok()
            .map(|t| t.trim().to_owned()),
    };
    match token {
        Some(t) if t.len() < 16 => {
            Err("the admin token must be at least 16 characters long".to_owned())
        }
        t => Ok(t),
    }
}

/// Refuses a secret file other users can read or write (like ssh with a private key): whoever
/// reads the admin token reads every receipt.
fn private_file(path: &std::path::Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let meta =
            std::fs::metadata(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} is open to other users (mode {mode:04o}): run chmod 600 on it",
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// `o` as a header value when it is an http(s) origin with nothing that could break out of
/// a policy or an HTML attribute (no path, spaces, quotes, separators or wildcards).
fn http_origin(o: &str) -> Option<HeaderValue> {
    let o = o.trim_end_matches('/');
    let rest = o
        .strip_prefix("https://")
        .or_else(|| o.strip_prefix("http://"))?;
    let ok = !rest.is_empty()
        && rest
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'));
    if ok {
        HeaderValue::from_str(o).ok()
    } else {
        None
    }
}

/// Refuses a static site directory that holds the server's secrets or its database: it would
/// serve them to anyone.
fn site_apart_from_data(args: &Args) -> Result<(), String> {
    let Some(site) = &args.site else {
        return Ok(());
    };
    let site =
        std::fs::canonicalize(site).map_err(|e| format!("--site {}: {e}", site.display()))?;
    // Checked before anything is created: the real path of the nearest existing ancestor,
    // with the rest of the path after it.
    fn real(path: &std::path::Path) -> Option<PathBuf> {
        if let Ok(r) = std::fs::canonicalize(path) {
            return Some(r);
        }
        let abs = std::path::absolute(path).ok()?;
        let name = abs.file_name()?;
        Some(real(abs.parent()?)?.join(name))
    }
    let mut secrets: Vec<(&str, &std::path::Path)> = vec![("--key-dir", args.key_dir.as_path())];
    if args.postgres.is_none() {
        secrets.push(("--db", args.db.as_path()));
    }
    if let Some(t) = &args.admin_token_file {
        secrets.push(("--admin-token-file", t.as_path()));
    }
    if let Some(t) = &args.service_tokens {
        secrets.push(("--service-tokens", t.as_path()));
    }
    if let Some(t) = &args.console_db {
        secrets.push(("--console-db", t.as_path()));
    }
    for (flag, path) in secrets {
        if let Some(real) = real(path)
            && real.starts_with(&site)
        {
            return Err(format!(
                "--site {} contains {flag} {}: static files would serve it; keep the data directory outside the site",
                site.display(),
                path.display()
            ));
        }
    }
    Ok(())
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stderr().is_terminal())
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

/// The shutdown signal (SIGTERM or Ctrl-C). The handlers are installed here, at once, not when
/// the future is first polled: the server announces that it listens only after this, so a
/// SIGTERM sent right after that line stops it gracefully instead of killing it.
fn shutdown_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let streams = {
        use tokio::signal::unix::{SignalKind, signal};
        let open = |kind: SignalKind, name: &str| {
            signal(kind)
                .inspect_err(|e| tracing::error!(error = %e, "cannot listen for {name}"))
                .ok()
        };
        (
            open(SignalKind::terminate(), "SIGTERM"),
            open(SignalKind::interrupt(), "Ctrl-C"),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let (term, int) = streams;
            tokio::select! {
                () = wait_for(term) => {}
                () = wait_for(int) => {}
            }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        tracing::info!("shutting down");
    }
}

/// The next delivery of a signal; forever when it could not be listened for.
#[cfg(unix)]
async fn wait_for(signal: Option<tokio::signal::unix::Signal>) {
    match signal {
        Some(mut s) => {
            s.recv().await;
        }
        None => std::future::pending::<()>().await,
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    tracing::error!(error = %msg, "cannot start");
    eprintln!("error: {msg}");
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match &args.command {
        Some(Command::Keys { action }) => return keys_command(action),
        Some(Command::Account { action }) => return said(account_command(action)),
        Some(Command::ServiceToken { action }) => return said(token_command(action)),
        None => {}
    }
    init_tracing(args.log_format);

    // The archive is watched once the server is up (a version published from now on is
    // accepted without a restart).
    let (policy, archive) = if args.notices.is_empty() {
        if !args.dev_any_notice {
            return fail(
                "no --notices given: pass the published notices (the `consentry build` output \
                 directory) so receipts are checked against the notice text actually shown, \
                 or --dev-any-notice to accept any notice text while developing",
            );
        }
        tracing::warn!(
            "--dev-any-notice: receipt signatures and consistency are verified, notice digests \
             are NOT checked against published notices; never run a deployment like this"
        );
        (VerifyPolicy::default(), None)
    } else {
        match NoticeArchive::open(args.notices.clone()) {
            Ok((archive, scan)) => {
                notices::log_opened(&archive, &scan);
                let policy = VerifyPolicy {
                    notices: Some(archive.registry().clone()),
                };
                (policy, Some(archive))
            }
            Err(e) => return fail(format!("cannot load --notices: {e}")),
        }
    };
    let token = match admin_token(&args) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };
    let mut origins = Vec::new();
    for o in &args.cors_origins {
        match HeaderValue::from_str(o.trim_end_matches('/')) {
            Ok(v) => origins.push(v),
            Err(_) => return fail(format!("--cors-origin {o:?} is not a valid origin")),
        }
    }

    let trusted_proxies = match TrustedProxies::parse(&args.trusted_proxies) {
        Ok(t) => t,
        Err(e) => return fail(e),
    };

    if let Err(e) = site_apart_from_data(&args) {
        return fail(e);
    }
    let mut ancestors = Vec::new();
    for o in &args.frame_ancestors {
        let o = o.trim_end_matches('/');
        let ok = (o.starts_with("https://") || o.starts_with("http://"))
            && !o.contains([' ', ';', ',', '\'', '*']);
        match HeaderValue::from_str(o) {
            Ok(v) if ok => ancestors.push(v),
            _ => return fail(format!("--frame-ancestor {o:?} is not an http(s) origin")),
        }
    }

    let mut signer_origins = Vec::new();
    for o in &args.signer_origins {
        match http_origin(o) {
            Some(v) => signer_origins.push(v),
            None => return fail(format!("--signer-origin {o:?} is not an http(s) origin")),
        }
    }
    if !signer_origins.is_empty()
        && !args
            .site
            .as_ref()
            .is_some_and(|s| s.join("signer/index.html").is_file())
    {
        return fail(String::from(
            "--signer-origin needs --site holding signer/index.html (`cargo xtask site` builds \
             it into dist/site/signer)",
        ));
    }

    let ring = match KeyRing::open_or_create(&args.key_dir, system_now()) {
        Ok(r) => r,
        Err(e) => return fail(format!("key directory {}: {e}", args.key_dir.display())),
    };
    let origin = args
        .log_origin
        .clone()
        .unwrap_or_else(|| args.log_id.clone());
    let log_key = match consentry_server::tlog::open_log_key(&args.key_dir, &origin) {
        Ok(k) => Arc::new(consentry_server::tlog::Log::new(k)),
        Err(e) => return fail(format!("log key: {e}")),
    };
    let witnesses =
        match consentry_server::tlog_http::witness_clients(&args.witness, &args.witness_key) {
            Ok(w) => w,
            Err(e) => return fail(e),
        };
    tracing::info!(origin = %origin, verifier_key = log_key.signer.verifier_key(), witnesses = witnesses.len(), "transparency log key loaded");
    let cfg = LedgerConfig {
        log_id: args.log_id.clone(),
        signer: ring.signer(),
        log: Some(log_key.clone()),
    };
    tracing::info!(kid = cfg.signer.kid(), log_id = %cfg.log_id, "countersigning key loaded");

    let store = match &args.postgres {
        Some(conninfo) => {
            match PgStore::connect_with_queue(conninfo, cfg.clone(), args.write_queue).await {
                Ok(s) => {
                    tracing::info!("ledger store open (PostgreSQL)");
                    Store::Postgres(Arc::new(s))
                }
                Err(e) => return fail(format!("cannot open the PostgreSQL ledger: {e}")),
            }
        }
        None => match SqliteStore::open_with_queue(&args.db, cfg.clone(), args.write_queue) {
            Ok(s) => {
                tracing::info!(
                    db = %args.db.display(),
                    "ledger store open (SQLite, WAL, synchronous=FULL, group commit)"
                );
                Store::Sqlite(Arc::new(s))
            }
            Err(e) => return fail(format!("{}: {e}", args.db.display())),
        },
    };

    let mut limits = IngestLimits {
        max_inflight: args.max_inflight,
        ..IngestLimits::default()
    };
    if let Some(n) = args.verify_threads {
        limits.verify_threads = n;
    }
    let shared = Arc::new(SharedPolicy::new(policy));
    if let Some(archive) = archive {
        tokio::spawn(notices::watch(archive, shared.clone(), args.notices_poll));
    }
    let mut state = AppState::new(store.dyn_store(), VerifyPolicy::default(), &cfg)
        .with_shared_policy(shared)
        .with_jwks(ring.jwks())
        .with_cors_origins(origins)
        .with_frame_ancestors(&ancestors)
        .with_signer_origins(&signer_origins)
        .with_hsts(args.hsts)
        .with_ingest_limits(limits)
        .with_witness_keys(args.witness_key.clone())
        .with_notice_dirs(args.notices.clone());
    match consentry_server::links::SrefKey::open(&args.key_dir) {
        Ok(k) => state = state.with_sref_key(k),
        Err(e) => return fail(format!("subject-reference key: {e}")),
    }
    if let Some(file) = &args.console_db {
        match consentry_server::console::ConsoleStore::open(file) {
            Ok(c) => {
                tracing::info!(db = %file.display(), "console API enabled");
                state = state.with_console(c);
            }
            Err(e) => return fail(format!("--console-db {}: {e}", file.display())),
        }
    }
    if let Some(file) = &args.service_tokens {
        if let Err(e) = private_file(file) {
            return fail(format!("--service-tokens: {e}"));
        }
        match consentry_server::check::ServiceTokens::load(file) {
            Ok(t) => {
                tracing::info!(services = t.services().len(), "consent checks enabled");
                state = state.with_service_tokens(t);
            }
            Err(e) => return fail(format!("--service-tokens {e}")),
        }
    }
    if !witnesses.is_empty() {
        match consentry_tlog::log_verifier(log_key.signer.verifier_key()) {
            Ok(v) => {
                tokio::spawn(consentry_server::tlog_http::run_witnesses(
                    store.dyn_store(),
                    v,
                    witnesses,
                    args.witness_period,
                ));
            }
            Err(e) => return fail(e),
        }
    }
    if let Some(t) = token {
        state = state.with_admin_token(t);
        tracing::info!("admin API enabled (bearer token)");
    } else {
        tracing::info!("admin API disabled (no --admin-token-file / CONSENTRY_ADMIN_TOKEN)");
    }
    if args.rate_limit > 0.0 {
        state = state.with_rate_limit(RateLimiter::new(args.rate_limit, args.rate_burst));
    }
    if let Some(site) = &args.site {
        tracing::info!(site = %site.display(), "serving static files");
        state = state.with_site(site.clone());
    }

    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => return fail(format!("cannot listen on {}: {e}", args.listen)),
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => return fail(e),
    };
    let shutdown = shutdown_signal();
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "consentry-server listening on http://{local}");
        let _ = out.flush();
    }
    let opts = ServeOptions {
        header_timeout: args.header_timeout,
        body_timeout: args.body_timeout,
        max_connections: args.max_connections,
        max_connections_per_client: args.max_connections_per_client,
        trusted_proxies,
    };
    tracing::info!(
        addr = %local,
        header_timeout_s = opts.header_timeout.as_secs_f64(),
        body_timeout_s = opts.body_timeout.as_secs_f64(),
        max_connections = opts.max_connections,
        max_connections_per_client = opts.max_connections_per_client,
        trusted_proxies = ?args.trusted_proxies,
        max_inflight = limits.max_inflight,
        verify_threads = limits.verify_threads,
        write_queue = args.write_queue,
        "listening"
    );

    let served = serve(listener, app(state), opts, shutdown).await;
    // Every request that got an answer has been committed; drain what is still queued.
    store.shutdown().await;
    match served {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "server error");
            ExitCode::FAILURE
        }
    }
}
