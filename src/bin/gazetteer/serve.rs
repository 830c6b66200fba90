//! `gazetteer serve`: its settings and the server's lifetime.

use std::net::SocketAddr;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use gazetteer::grpc::{IndexHandle, Limits};
use gazetteer::metrics::{serve_metrics, Metrics, METRICS_PATH};
use gazetteer::reload::IndexReloader;
use gazetteer::server::ServeOptions;

use crate::commands::open_index;
use crate::security::Security;
use crate::IndexArg;

/// Accepted `max_text_bytes`: up to 1 GiB.
pub const MAX_TEXT_BYTES: RangeInclusive<u64> = 1..=(1 << 30);
/// Accepted `max_concurrent_requests`.
pub const MAX_CONCURRENT_REQUESTS: RangeInclusive<u64> = 1..=100_000;

const AFTER_HELP: &str = "\
Every setting comes from, first to last: its flag, its GAZETTEER_* variable,
the --config file, its default. The file is TOML; each key is the flag's
name with `_` for `-`, and relative paths in it are relative to the file:

    listen = \"0.0.0.0:50051\"
    index = \"index\"
    max_text_bytes = 1048576
    max_concurrent_requests = 16
    log_format = \"json\"
    admin = true
    metrics_listen = \"127.0.0.1:9090\"
    auth_token_file = \"token\"
    tls_cert = \"server.pem\"
    tls_key = \"server.key\"
    tls_client_ca = \"clients-ca.pem\"

An unknown key, a value of the wrong type or out of range, or an unreadable
file (configuration, token, certificate, key) exits with code 64 and names
the setting. GAZETTEER_AUTH_TOKEN may hold the bearer token itself instead
of --auth-token-file; health stays open without a token. GAZETTEER_LOG sets
the log filter (tracing-subscriber EnvFilter syntax; default `info`).
SIGTERM or Ctrl-C drains and exits; SIGHUP reloads the --index directory.";

/// Settings of `gazetteer serve`. Each field's id is also its key in the
/// configuration file (see `config.rs`).
#[derive(Debug, Clone, clap::Args)]
#[command(after_help = AFTER_HELP)]
pub struct ServeArgs {
    /// TOML file holding any of the settings below; flags and environment
    /// variables override it.
    #[arg(long, env = "GAZETTEER_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Address to listen on.
    #[arg(long, env = "GAZETTEER_LISTEN", default_value = "127.0.0.1:50051")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub index: IndexArg,
    /// Largest accepted text per document, in UTF-8 bytes (1 to 2^30).
    #[arg(long, env = "GAZETTEER_MAX_TEXT_BYTES", value_name = "N", default_value_t = 1 << 20,
          value_parser = clap::value_parser!(u64).range(MAX_TEXT_BYTES))]
    pub max_text_bytes: u64,
    /// Most requests resolved at once (1 to 100000); more are shed with
    /// RESOURCE_EXHAUSTED. Default: four per core.
    #[arg(long, env = "GAZETTEER_MAX_CONCURRENT_REQUESTS", value_name = "N",
          value_parser = clap::value_parser!(u64).range(MAX_CONCURRENT_REQUESTS))]
    pub max_concurrent_requests: Option<u64>,
    /// Log format.
    #[arg(
        long,
        env = "GAZETTEER_LOG_FORMAT",
        value_enum,
        default_value = "plain"
    )]
    pub log_format: LogFormat,
    /// Serve gazetteer.admin.v1.Admin (ReloadIndex) on the listen address.
    /// The variable takes true/false, yes/no, on/off or 1/0.
    #[arg(long, env = "GAZETTEER_ADMIN",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub admin: bool,
    /// Serve Prometheus metrics over HTTP at http://ADDR/metrics; off
    /// unless set.
    #[arg(long, env = "GAZETTEER_METRICS_LISTEN", value_name = "ADDR")]
    pub metrics_listen: Option<SocketAddr>,
    /// File holding the bearer token every call but health must send as
    /// `authorization: Bearer <token>`. GAZETTEER_AUTH_TOKEN may hold the
    /// token itself instead. No check unless one is set.
    #[arg(long, env = "GAZETTEER_AUTH_TOKEN_FILE", value_name = "FILE")]
    pub auth_token_file: Option<PathBuf>,
    /// PEM certificate chain: serve TLS instead of plaintext (with
    /// --tls-key).
    #[arg(long, env = "GAZETTEER_TLS_CERT", value_name = "FILE")]
    pub tls_cert: Option<PathBuf>,
    /// PEM private key of --tls-cert.
    #[arg(long, env = "GAZETTEER_TLS_KEY", value_name = "FILE")]
    pub tls_key: Option<PathBuf>,
    /// PEM CA certificates: require clients to present a certificate they
    /// sign (mutual TLS). Needs --tls-cert.
    #[arg(long, env = "GAZETTEER_TLS_CLIENT_CA", value_name = "FILE")]
    pub tls_client_ca: Option<PathBuf>,
}

/// How log lines are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    Plain,
    /// One JSON object per line.
    Json,
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAZETTEER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Plain => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub fn serve(args: ServeArgs, security: Security) -> anyhow::Result<()> {
    let started = Instant::now();
    init_tracing(args.log_format);
    let defaults = Limits::default();
    let limits = Limits {
        max_text_bytes: args.max_text_bytes as usize,
        max_concurrent_requests: args
            .max_concurrent_requests
            .map_or(defaults.max_concurrent_requests, |n| n as usize),
        ..defaults
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        config = args.config.as_ref().map(|p| p.display().to_string()),
        listen = %args.listen,
        max_text_bytes = limits.max_text_bytes,
        max_message_bytes = limits.max_message_bytes(),
        max_concurrent_requests = limits.max_concurrent_requests,
        admin = args.admin,
        metrics_listen = args.metrics_listen.map(|a| a.to_string()),
        auth = security.auth.is_some(),
        tls = security.describe_tls(),
        "starting gazetteer"
    );
    let index = open_index(&args.index)?;
    // The lookup tables are built beside startup rather than by the first
    // call (a call that comes sooner waits for them).
    std::thread::spawn({
        let index = index.clone();
        move || index.warm()
    });
    tracing::info!(
        index = index.location(),
        index_version = index.version(),
        entities = index.meta().entity_count,
        names = index.meta().name_count,
        "index open"
    );
    let reloader = Arc::new(IndexReloader::new(
        IndexHandle::new(index),
        args.index.index.clone(),
    ));
    let metrics = Arc::new(Metrics::new());
    let options = ServeOptions {
        limits,
        admin: args.admin,
        metrics: metrics.clone(),
        auth: security.auth,
        tls: security.tls,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        reload_on_sighup(reloader.clone())?;
        let metrics_url = match args.metrics_listen {
            Some(address) => {
                let listener = tokio::net::TcpListener::bind(address)
                    .await
                    .with_context(|| format!("cannot listen for metrics on {address}"))?;
                let url = format!("http://{}{METRICS_PATH}", listener.local_addr()?);
                // Ends with the runtime, after the gRPC server has drained.
                tokio::spawn(serve_metrics(
                    listener,
                    metrics,
                    reloader.clone(),
                    std::future::pending(),
                ));
                Some(url)
            }
            None => None,
        };
        tracing::info!(
            address = %listener.local_addr()?,
            metrics = metrics_url,
            startup_ms = started.elapsed().as_millis() as u64,
            "SERVING"
        );
        gazetteer::server::serve_with(
            listener,
            reloader,
            options,
            gazetteer::server::shutdown_signal(),
        )
        .await
    })
}

/// Reloads the index on every SIGHUP; the reloader logs the outcome.
#[cfg(unix)]
fn reload_on_sighup(reloader: Arc<IndexReloader>) -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    tokio::spawn(async move {
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the index");
            // Failures are logged by the reloader; the old index serves on.
            let _ = reloader.reload().await;
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn reload_on_sighup(_reloader: Arc<IndexReloader>) -> anyhow::Result<()> {
    Ok(())
}
