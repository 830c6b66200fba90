//! The load loop: `concurrency` workers, each with one call in flight at a
//! time, over `connections` HTTP/2 connections; every worker keeps its own
//! histogram and counters, merged at the end.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use hdrhistogram::Histogram;
use tokio::time::Instant;
use tonic::transport::{Channel, Endpoint};

use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{ResolveOptions, ResolveRequest};

use crate::cpu::{process_cpu, CpuSample};

/// When a run ends.
#[derive(Debug, Clone, Copy)]
pub enum Stop {
    /// After this long measuring.
    After(Duration),
    /// After this many measured calls.
    Calls(u64),
}

/// One text file, loaded.
#[derive(Debug, Clone)]
pub struct Text {
    /// Where it came from.
    pub path: PathBuf,
    /// Its contents.
    pub text: Arc<str>,
}

/// What to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `http://HOST:PORT`.
    pub endpoint: String,
    /// Calls in flight.
    pub concurrency: usize,
    /// HTTP/2 connections.
    pub connections: usize,
    /// When to stop.
    pub stop: Stop,
    /// Time before measuring starts.
    pub warmup: Duration,
    /// Per-call deadline.
    pub timeout: Duration,
    /// The documents, sent in turn.
    pub texts: Vec<Text>,
    /// Options sent with every document (server defaults when `None`).
    pub options: Option<ResolveOptions>,
    /// Server process to sample CPU time of.
    pub server_pid: Option<u32>,
}

/// What a run measured.
#[derive(Debug)]
pub struct Outcome {
    /// Successful calls in the measured window.
    pub ok: u64,
    /// Failed calls in the window, by gRPC status code name.
    pub errors: BTreeMap<&'static str, u64>,
    /// One failure message, to show what went wrong.
    pub first_error: Option<String>,
    /// Latency of successful calls, microseconds.
    pub latency: Histogram<u64>,
    /// Length of the measured window.
    pub elapsed: Duration,
    /// Mentions in the successful answers.
    pub mentions: u64,
    /// Text bytes of the successful calls.
    pub text_bytes: u64,
    /// Client CPU time over the window.
    pub client_cpu: Option<Duration>,
    /// Server CPU time over the window, when its PID was given.
    pub server_cpu: Option<Duration>,
    /// `index_version` of the first successful answer (`noop` from the
    /// no-op server).
    pub index_version: Option<String>,
}

impl Outcome {
    /// Calls that completed in the window, failed or not.
    pub fn calls(&self) -> u64 {
        self.ok + self.errors.values().sum::<u64>()
    }
}

/// `HOST:PORT` or a URI, as an `http://` URI.
pub fn endpoint_uri(addr: &str) -> anyhow::Result<String> {
    let uri = if addr.contains("://") {
        addr.to_string()
    } else {
        format!("http://{addr}")
    };
    Endpoint::from_shared(uri.clone()).with_context(|| format!("bad address {addr:?}"))?;
    Ok(uri)
}

/// Reads the text files; each must be UTF-8 and not empty.
pub fn read_texts(paths: &[PathBuf]) -> anyhow::Result<Vec<Text>> {
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
            anyhow::ensure!(!text.is_empty(), "{} is empty", path.display());
            Ok(Text {
                path: path.clone(),
                text: text.into(),
            })
        })
        .collect()
}

/// Highest latency the histograms hold: a minute, in microseconds.
const MAX_LATENCY_MICROS: u64 = 60_000_000;

fn histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_LATENCY_MICROS, 3).expect("valid histogram bounds")
}

/// Shared by the workers: the window and the call budget.
struct Window {
    measure_from: Instant,
    measure_until: Option<Instant>,
    budget: Option<u64>,
    recorded: AtomicU64,
    timeout: Duration,
    options: Option<ResolveOptions>,
}

struct WorkerStats {
    ok: u64,
    errors: BTreeMap<&'static str, u64>,
    first_error: Option<String>,
    latency: Histogram<u64>,
    mentions: u64,
    text_bytes: u64,
    last_done: Option<Instant>,
    index_version: Option<String>,
}

/// Connects, runs the load, and collects the measurements.
pub async fn run(plan: &Plan) -> anyhow::Result<Outcome> {
    let mut channels = Vec::with_capacity(plan.connections);
    for _ in 0..plan.connections {
        // Each `connect` opens its own HTTP/2 connection.
        let channel = Endpoint::from_shared(plan.endpoint.clone())?
            .connect_timeout(Duration::from_secs(5))
            .tcp_nodelay(true)
            .connect()
            .await
            .with_context(|| format!("cannot connect to {}", plan.endpoint))?;
        channels.push(channel);
    }

    let start = Instant::now();
    let measure_from = start + plan.warmup;
    let window = Arc::new(Window {
        measure_from,
        measure_until: match plan.stop {
            Stop::After(d) => Some(measure_from + d),
            Stop::Calls(_) => None,
        },
        budget: match plan.stop {
            Stop::Calls(n) => Some(n),
            Stop::After(_) => None,
        },
        recorded: AtomicU64::new(0),
        timeout: plan.timeout,
        options: plan.options.clone(),
    });

    let server_pid = plan.server_pid;
    let first_sample = tokio::spawn(async move {
        tokio::time::sleep_until(measure_from).await;
        (Instant::now(), sample(server_pid))
    });
    let last_sample = window.measure_until.map(|until| {
        tokio::spawn(async move {
            tokio::time::sleep_until(until).await;
            sample(server_pid)
        })
    });

    let texts: Arc<[Arc<str>]> = plan.texts.iter().map(|t| t.text.clone()).collect();
    let workers: Vec<_> = (0..plan.concurrency)
        .map(|i| {
            let client = ResolverClient::new(channels[i % channels.len()].clone())
                .max_decoding_message_size(usize::MAX)
                .max_encoding_message_size(usize::MAX);
            tokio::spawn(worker(client, texts.clone(), i, window.clone()))
        })
        .collect();

    let mut outcome = Outcome {
        ok: 0,
        errors: BTreeMap::new(),
        first_error: None,
        latency: histogram(),
        elapsed: Duration::ZERO,
        mentions: 0,
        text_bytes: 0,
        client_cpu: None,
        server_cpu: None,
        index_version: None,
    };
    let mut last_done: Option<Instant> = None;
    for worker in workers {
        let stats = worker.await.context("a load worker panicked")?;
        outcome.ok += stats.ok;
        for (code, n) in stats.errors {
            *outcome.errors.entry(code).or_default() += n;
        }
        outcome.first_error = outcome.first_error.or(stats.first_error);
        outcome.latency.add(&stats.latency)?;
        outcome.mentions += stats.mentions;
        outcome.text_bytes += stats.text_bytes;
        last_done = last_done.max(stats.last_done);
        outcome.index_version = outcome.index_version.or(stats.index_version);
    }

    let (sampled_from, before) = first_sample.await?;
    let (measured_until, after) = match (window.measure_until, last_sample) {
        (Some(until), Some(task)) => (until, task.await?),
        _ => (last_done.unwrap_or(sampled_from), sample(server_pid)),
    };
    outcome.elapsed = measured_until.saturating_duration_since(sampled_from);
    outcome.client_cpu = after
        .client
        .zip(before.client)
        .map(|(a, b)| a.saturating_sub(b));
    outcome.server_cpu = after
        .server
        .zip(before.server)
        .map(|(a, b)| a.saturating_sub(b));
    Ok(outcome)
}

struct Samples {
    client: Option<Duration>,
    server: Option<Duration>,
}

fn sample(server_pid: Option<u32>) -> Samples {
    Samples {
        client: process_cpu(CpuSample::This),
        server: server_pid.and_then(|pid| process_cpu(CpuSample::Pid(pid))),
    }
}

async fn worker(
    mut client: ResolverClient<Channel>,
    texts: Arc<[Arc<str>]>,
    first: usize,
    window: Arc<Window>,
) -> WorkerStats {
    let mut stats = WorkerStats {
        ok: 0,
        errors: BTreeMap::new(),
        first_error: None,
        latency: histogram(),
        mentions: 0,
        text_bytes: 0,
        last_done: None,
        index_version: None,
    };
    let mut next = first;
    loop {
        if window.measure_until.is_some_and(|t| Instant::now() >= t)
            || window
                .budget
                .is_some_and(|n| window.recorded.load(Ordering::Relaxed) >= n)
        {
            break;
        }
        let text = &texts[next % texts.len()];
        next += 1;
        let mut request = tonic::Request::new(ResolveRequest {
            text: text.to_string(),
            options: window.options.clone(),
            ..ResolveRequest::default()
        });
        request.set_timeout(window.timeout);
        let started = Instant::now();
        let result = client.resolve(request).await;
        let done = Instant::now();
        if done < window.measure_from || window.measure_until.is_some_and(|t| done > t) {
            continue;
        }
        if let Some(n) = window.budget {
            if window.recorded.fetch_add(1, Ordering::Relaxed) >= n {
                break;
            }
        }
        stats.last_done = Some(done);
        match result {
            Ok(response) => {
                stats.ok += 1;
                let answer = response.get_ref();
                stats.mentions += answer.mentions.len() as u64;
                if stats.index_version.is_none() {
                    stats.index_version = Some(answer.index_version.clone());
                }
                stats.text_bytes += text.len() as u64;
                let micros = (done - started)
                    .as_micros()
                    .clamp(1, MAX_LATENCY_MICROS.into());
                stats.latency.saturating_record(micros as u64);
            }
            Err(status) => {
                *stats.errors.entry(code_name(status.code())).or_default() += 1;
                stats
                    .first_error
                    .get_or_insert_with(|| format!("{:?}: {}", status.code(), status.message()));
            }
        }
    }
    stats
}

pub use gazetteer::grpc::code_name;

#[cfg(test)]
mod tests {
    use super::*;

    /// A no-op server on port 0 and a bounded run against it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn counts_every_call_of_a_bounded_run() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(crate::noop::serve(listener, true, false, async {
            let _ = stopped.await;
        }));
        let plan = Plan {
            endpoint: endpoint_uri(&addr.to_string()).unwrap(),
            concurrency: 4,
            connections: 2,
            stop: Stop::Calls(50),
            warmup: Duration::ZERO,
            timeout: Duration::from_secs(10),
            texts: vec![Text {
                path: "inline".into(),
                text: "Talks in Teheran".into(),
            }],
            options: None,
            server_pid: Some(std::process::id()),
        };
        let outcome = run(&plan).await.unwrap();
        assert_eq!(outcome.ok, 50, "errors: {:?}", outcome.first_error);
        assert_eq!(outcome.calls(), 50);
        assert_eq!(outcome.latency.len(), 50);
        assert_eq!(outcome.text_bytes, 50 * "Talks in Teheran".len() as u64);
        assert_eq!(outcome.mentions, 0, "the no-op server finds nothing");
        assert_eq!(
            outcome.index_version.as_deref(),
            Some(crate::noop::NOOP_INDEX_VERSION)
        );
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }

    #[test]
    fn addresses_become_http_uris() {
        assert_eq!(
            endpoint_uri("127.0.0.1:50051").unwrap(),
            "http://127.0.0.1:50051"
        );
        assert_eq!(endpoint_uri("http://[::1]:1").unwrap(), "http://[::1]:1");
        assert!(endpoint_uri("not an address").is_err());
    }
}
