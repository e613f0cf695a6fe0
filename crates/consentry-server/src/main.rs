//! `consentry-server`: the reference receipt service.
//!
//! Prints exactly one line to stdout once it listens —
//! `consentry-server listening on http://<ip>:<port>` — and logs to stderr. Stops gracefully
//! on SIGTERM or Ctrl-C. Exit 2 when it cannot start (bad flags, unreadable notice build,
//! database or address unavailable).

use std::io::{IsTerminal as _, Write as _};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, ValueEnum};
use consentry_core::receipt::verify::VerifyPolicy;
use consentry_server::notices::load_notice_build;
use consentry_server::{AppState, SqliteStore, app};

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LogFormat {
    /// Human-readable lines with key=value fields.
    Text,
    /// One JSON object per line.
    Json,
}

/// Consentry receipt server: verifies and stores signed consent receipts.
#[derive(Debug, Parser)]
#[command(name = "consentry-server", version, about)]
struct Args {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// SQLite database file (created with its directory if missing).
    #[arg(long, default_value = "./data/receipts.sqlite")]
    db: PathBuf,
    /// Compiled notice build (`manifest.json` + the files it lists). Without it, signatures
    /// and receipt consistency are verified but notice digests are not.
    #[arg(long, value_name = "DIR")]
    notices: Option<PathBuf>,
    /// Directory of static files served at `/`.
    #[arg(long, value_name = "DIR")]
    site: Option<PathBuf>,
    /// Log format on stderr (filter with RUST_LOG, default `info`).
    #[arg(long, value_enum, default_value = "text")]
    log_format: LogFormat,
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

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
    tracing::info!("shutting down");
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    init_tracing(args.log_format);

    let policy = match &args.notices {
        Some(dir) => match load_notice_build(dir) {
            Ok(registry) => {
                tracing::info!(
                    dir = %dir.display(),
                    locales = registry.len(),
                    "notice build loaded: receipts must name a published notice"
                );
                VerifyPolicy {
                    notices: Some(registry),
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot load --notices");
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        },
        None => {
            tracing::warn!(
                "no --notices given: receipt signatures and consistency are verified, \
                 notice digests are NOT checked against a published build"
            );
            VerifyPolicy::default()
        }
    };

    let store = match SqliteStore::open(&args.db) {
        Ok(s) => Arc::new(s),
        Err(e) => {
            tracing::error!(error = %e, db = %args.db.display(), "cannot open the database");
            eprintln!("error: {}: {e}", args.db.display());
            return ExitCode::from(2);
        }
    };
    tracing::info!(db = %args.db.display(), "receipt store open (SQLite, WAL, synchronous=FULL)");

    let mut state = AppState::new(store.clone(), policy);
    if let Some(site) = &args.site {
        tracing::info!(site = %site.display(), "serving static files");
        state = state.with_site(site.clone());
    }

    let listener = match tokio::net::TcpListener::bind(args.listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, listen = %args.listen, "cannot listen");
            eprintln!("error: cannot listen on {}: {e}", args.listen);
            return ExitCode::from(2);
        }
    };
    let local = match listener.local_addr() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "consentry-server listening on http://{local}");
        let _ = out.flush();
    }
    tracing::info!(addr = %local, "listening");

    let served = axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await;
    store.shutdown();
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
