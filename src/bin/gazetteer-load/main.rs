//! `gazetteer-load`: a gRPC load generator for the resolver and a no-op
//! resolver to compare it with.
//!
//! ```sh
//! gazetteer-load noop-server --listen 127.0.0.1:50052 &
//! gazetteer-load run --addr 127.0.0.1:50052 --text bench/texts/en-1k.txt \
//!     --concurrency 32 --duration 10
//! gazetteer-load body bench/texts/en-1k.txt --out /tmp/en-1k.grpc   # for h2load
//! ```
//!
//! `run` keeps `--concurrency` calls in flight over `--connections` HTTP/2
//! connections for a fixed time or number of calls, then prints calls per
//! second, latency percentiles (HdrHistogram), errors by status code and,
//! with `--server-pid`, the server's CPU time per call, as text or `--json`.

mod cpu;
mod load;
mod noop;
mod report;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context;
use clap::{Parser, Subcommand};
use prost::Message;

use gazetteer::proto::ResolveRequest;

/// Exit code for an invalid command line (EX_USAGE), as in `gazetteer`.
const EXIT_USAGE: u8 = 64;

/// Load generator for the gazetteer gRPC service, and a no-op baseline server.
#[derive(Debug, Parser)]
#[command(name = "gazetteer-load", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Send Resolve calls to a server and report throughput and latency.
    Run(RunArgs),
    /// Serve gazetteer.v1.Resolver with a Resolve that answers an empty
    /// response without resolving (the baseline for `run`).
    NoopServer(NoopArgs),
    /// Write a ResolveRequest for a text file as a gRPC-framed body (for
    /// h2load) or, with --raw, as a bare protobuf message (for ghz -B).
    Body(BodyArgs),
}

/// Options of `run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Server address, `HOST:PORT` or an `http://` URI.
    #[arg(long, default_value = "127.0.0.1:50051")]
    pub addr: String,
    /// Calls in flight at once.
    #[arg(long, short = 'c', default_value_t = 32, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub concurrency: u32,
    /// HTTP/2 connections the calls are spread over.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1_000))]
    pub connections: u32,
    /// Seconds to measure for (after the warm-up); ignored with --calls.
    #[arg(long, short = 'd', default_value_t = 10.0)]
    pub duration: f64,
    /// Stop after this many measured calls instead of after --duration.
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u64).range(1..))]
    pub calls: Option<u64>,
    /// Seconds of calls before measuring starts; their results are dropped.
    #[arg(long, default_value_t = 1.0)]
    pub warmup: f64,
    /// Text file to send as a document; repeat for several, sent in turn.
    #[arg(long = "text", short = 't', required = true, value_name = "FILE")]
    pub texts: Vec<PathBuf>,
    /// Send `options.listed_spellings_only` (no unlisted spelling variants).
    #[arg(long)]
    pub listed_spellings_only: bool,
    /// Per-call deadline in seconds, sent as `grpc-timeout`.
    #[arg(long, default_value_t = 30.0)]
    pub timeout: f64,
    /// Worker threads of the client's runtime (default: one per core it
    /// may run on).
    #[arg(long)]
    pub threads: Option<usize>,
    /// PID of the server, to report its CPU time per call over the
    /// measured window (Linux `/proc/PID/stat`).
    #[arg(long, value_name = "PID")]
    pub server_pid: Option<u32>,
    /// Label printed with the results.
    #[arg(long)]
    pub label: Option<String>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `noop-server`.
#[derive(Debug, clap::Args)]
pub struct NoopArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:50052")]
    pub listen: SocketAddr,
    /// Answer from the blocking thread pool, as the real server does for
    /// resolving, to measure the cost of that hop alone.
    #[arg(long)]
    pub blocking: bool,
    /// Set TCP_NODELAY on accepted connections (the real server leaves
    /// Nagle's algorithm on).
    #[arg(long)]
    pub nodelay: bool,
    /// Worker threads of the runtime (default: one per core it may run on).
    #[arg(long)]
    pub threads: Option<usize>,
}

/// Options of `body`.
#[derive(Debug, clap::Args)]
pub struct BodyArgs {
    /// Text file that becomes the request's `text`.
    pub text: PathBuf,
    /// Output file.
    #[arg(long, short = 'o')]
    pub out: PathBuf,
    /// Write the bare protobuf message, without the 5-byte gRPC frame header.
    #[arg(long)]
    pub raw: bool,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Run(args) => run(args),
        Command::NoopServer(args) => noop_server(args),
        Command::Body(args) => body(args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("gazetteer-load: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn runtime(threads: Option<usize>) -> anyhow::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(n) = threads {
        builder.worker_threads(n.max(1));
    }
    builder
        .enable_all()
        .build()
        .context("starting the async runtime")
}

fn run(args: RunArgs) -> anyhow::Result<ExitCode> {
    let seconds = |name: &str, value: f64| -> anyhow::Result<Duration> {
        Duration::try_from_secs_f64(value)
            .ok()
            .filter(|_| value.is_finite())
            .with_context(|| format!("--{name} {value} is not a number of seconds"))
    };
    let plan = load::Plan {
        endpoint: load::endpoint_uri(&args.addr)?,
        concurrency: args.concurrency as usize,
        connections: args.connections as usize,
        stop: match args.calls {
            Some(n) => load::Stop::Calls(n),
            None => load::Stop::After(seconds("duration", args.duration)?),
        },
        warmup: seconds("warmup", args.warmup)?,
        timeout: seconds("timeout", args.timeout)?,
        texts: load::read_texts(&args.texts)?,
        options: args
            .listed_spellings_only
            .then(|| gazetteer::proto::ResolveOptions {
                listed_spellings_only: true,
                ..Default::default()
            }),
        server_pid: args.server_pid,
    };
    let outcome = runtime(args.threads)?.block_on(load::run(&plan))?;
    let report = report::Report::new(&args, &plan, &outcome);
    if args.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print!("{}", report.text());
    }
    Ok(if outcome.ok == 0 {
        eprintln!("gazetteer-load: no call succeeded");
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn noop_server(args: NoopArgs) -> anyhow::Result<ExitCode> {
    runtime(args.threads)?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        eprintln!(
            "gazetteer-load noop-server: SERVING on {} (pid {}{}{})",
            listener.local_addr()?,
            std::process::id(),
            if args.blocking {
                ", answers from the blocking pool"
            } else {
                ""
            },
            if args.nodelay { ", TCP_NODELAY" } else { "" },
        );
        noop::serve(
            listener,
            args.blocking,
            args.nodelay,
            gazetteer::server::shutdown_signal(),
        )
        .await
    })?;
    Ok(ExitCode::SUCCESS)
}

fn body(args: BodyArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.text)
        .with_context(|| format!("cannot read {}", args.text.display()))?;
    let message = ResolveRequest {
        text,
        ..ResolveRequest::default()
    }
    .encode_to_vec();
    let bytes = if args.raw {
        message
    } else {
        grpc_frame(&message)?
    };
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// A gRPC length-prefixed message: an uncompressed flag byte, the length
/// as a big-endian u32, the message.
fn grpc_frame(message: &[u8]) -> anyhow::Result<Vec<u8>> {
    let len = u32::try_from(message.len()).context("message over 4 GiB")?;
    let mut framed = Vec::with_capacity(message.len() + 5);
    framed.push(0);
    framed.extend_from_slice(&len.to_be_bytes());
    framed.extend_from_slice(message);
    Ok(framed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_carry_flag_and_big_endian_length() {
        let framed = grpc_frame(b"abc").unwrap();
        assert_eq!(framed, [0, 0, 0, 0, 3, b'a', b'b', b'c']);
    }

    #[test]
    fn body_decodes_back_to_the_text() {
        let message = ResolveRequest {
            text: "Talks in Teheran".into(),
            ..ResolveRequest::default()
        }
        .encode_to_vec();
        let framed = grpc_frame(&message).unwrap();
        let decoded = ResolveRequest::decode(&framed[5..]).unwrap();
        assert_eq!(decoded.text, "Talks in Teheran");
    }

    #[test]
    fn command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}

/// glibc malloc cost ~15% of the CPU of a resolve call in server profiles
/// (malloc_consolidate across tokio threads); mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
