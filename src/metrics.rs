//! Prometheus metrics: the registry calls are recorded into, and the plain
//! HTTP endpoint that serves it (`--metrics-listen`, path `/metrics`).

use std::convert::Infallible;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use http_body_util::Full;
use hyper::body::Bytes;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use tokio::net::TcpListener;

use crate::reload::IndexReloader;

/// Path the endpoint serves.
pub const METRICS_PATH: &str = "/metrics";
const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CallLabels {
    method: &'static str,
    code: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct MethodLabels {
    method: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct IndexLabels {
    version: String,
    location: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

type HistogramFamily = Family<MethodLabels, Histogram, fn() -> Histogram>;

/// Every metric the server exports.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    calls: Family<CallLabels, Counter>,
    durations: HistogramFamily,
    in_flight: Family<MethodLabels, Gauge>,
    shed: Counter,
    index_info: Family<IndexLabels, Gauge>,
    index_entities: Gauge,
    index_names: Gauge,
    reloads: Family<OutcomeLabels, Counter>,
    // Scrapes refresh the index metrics from the reloader; one at a time.
    scrape: Mutex<()>,
}

fn duration_histogram() -> Histogram {
    // 100 µs to about 50 s.
    Histogram::new(exponential_buckets(0.0001, 2.5, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A registry holding every metric, all at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("gazetteer");
        let calls = Family::<CallLabels, Counter>::default();
        registry.register(
            "calls",
            "gRPC calls finished, by method and status code",
            calls.clone(),
        );
        let durations: HistogramFamily = Family::new_with_constructor(duration_histogram);
        registry.register(
            "call_duration_seconds",
            "Time from a call's headers to its status, by method (streams: the whole stream)",
            durations.clone(),
        );
        let in_flight = Family::<MethodLabels, Gauge>::default();
        registry.register(
            "calls_in_flight",
            "gRPC calls started and not yet finished, by method",
            in_flight.clone(),
        );
        let shed = Counter::default();
        registry.register(
            "shed_calls",
            "Calls answered RESOURCE_EXHAUSTED at once because --max-concurrent-requests were running",
            shed.clone(),
        );
        let index_info = Family::<IndexLabels, Gauge>::default();
        registry.register(
            "index_info",
            "The index being served: 1 for its version and location",
            index_info.clone(),
        );
        let index_entities = Gauge::default();
        registry.register(
            "index_entities",
            "Entities in the index being served",
            index_entities.clone(),
        );
        let index_names = Gauge::default();
        registry.register(
            "index_names",
            "Distinct names in the index being served",
            index_names.clone(),
        );
        let reloads = Family::<OutcomeLabels, Counter>::default();
        registry.register(
            "index_reloads",
            "Index reloads (SIGHUP or Admin/ReloadIndex), by outcome",
            reloads.clone(),
        );
        Self {
            registry,
            calls,
            durations,
            in_flight,
            shed,
            index_info,
            index_entities,
            index_names,
            reloads,
            scrape: Mutex::new(()),
        }
    }

    /// A call to `method` started.
    pub fn call_started(&self, method: &'static str) {
        self.in_flight.get_or_create(&MethodLabels { method }).inc();
    }

    /// A call to `method` finished with status `code` after `elapsed`.
    pub fn call_finished(&self, method: &'static str, code: &'static str, elapsed: Duration) {
        self.in_flight.get_or_create(&MethodLabels { method }).dec();
        self.calls.get_or_create(&CallLabels { method, code }).inc();
        self.durations
            .get_or_create(&MethodLabels { method })
            .observe(elapsed.as_secs_f64());
    }

    /// A call was shed at the concurrency limit.
    pub fn call_shed(&self) {
        self.shed.inc();
    }

    /// The registry in the OpenMetrics text format, with the index metrics
    /// read from `reloader` now.
    pub fn encode(&self, reloader: &IndexReloader) -> String {
        let _one_at_a_time = self.scrape.lock().unwrap_or_else(|e| e.into_inner());
        let index = reloader.handle().current();
        let meta = index.meta();
        self.index_info.clear();
        self.index_info
            .get_or_create(&IndexLabels {
                version: index.version().to_string(),
                location: index.location().to_string(),
            })
            .set(1);
        self.index_entities.set(saturating_i64(meta.entity_count));
        self.index_names.set(saturating_i64(meta.name_count));
        let counts = reloader.counts();
        for (outcome, total) in [("ok", counts.ok), ("failed", counts.failed)] {
            let counter = self.reloads.get_or_create(&OutcomeLabels { outcome });
            // The reloader counts; the counter catches up (never backwards).
            counter.inc_by(total.saturating_sub(counter.get()));
        }
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a String cannot fail");
        text
    }
}

fn saturating_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Serves `GET /metrics` over HTTP/1.1 on `listener` until `shutdown`.
pub async fn serve_metrics(
    listener: TcpListener,
    metrics: std::sync::Arc<Metrics>,
    reloader: std::sync::Arc<IndexReloader>,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    tokio::pin!(shutdown);
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A failed accept (out of file descriptors, a reset) must
                // not end the endpoint.
                Err(error) => {
                    tracing::warn!(%error, "metrics endpoint: accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => return Ok(()),
        };
        let (metrics, reloader) = (metrics.clone(), reloader.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let response = respond(&request, &metrics, &reloader);
                async move { Ok::<_, Infallible>(response) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            if let Err(error) = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await
            {
                tracing::debug!(%error, "metrics connection ended");
            }
        });
    }
}

fn respond<B>(
    request: &http::Request<B>,
    metrics: &Metrics,
    reloader: &IndexReloader,
) -> http::Response<Full<Bytes>> {
    let (status, content_type, body) = if request.uri().path() != METRICS_PATH {
        (
            http::StatusCode::NOT_FOUND,
            "text/plain; charset=utf-8",
            format!("not found; metrics are at {METRICS_PATH}\n"),
        )
    } else if request.method() != http::Method::GET && request.method() != http::Method::HEAD {
        (
            http::StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "only GET\n".to_string(),
        )
    } else {
        (http::StatusCode::OK, CONTENT_TYPE, metrics.encode(reloader))
    };
    http::Response::builder()
        .status(status)
        .header(http::header::CONTENT_TYPE, content_type)
        .body(Full::new(Bytes::from(body)))
        .expect("a static response is valid")
}
