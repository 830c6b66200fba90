//! Observability over real sockets: the Prometheus endpoint after calls of
//! every outcome, shed calls, index metrics across reloads, and the span
//! logged per call by the binary.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use gazetteer::grpc::Limits;
use gazetteer::metrics::{serve_metrics, Metrics};
use gazetteer::proto::admin::admin_client::AdminClient;
use gazetteer::proto::admin::ReloadIndexRequest;
use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{GetEntityRequest, LookupRequest, ResolveOptions, ResolveRequest};
use gazetteer::server::ServeOptions;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::oneshot;
use tonic::Code;

use crate::harness::{
    connect, gazetteer, index_a, index_b, write_index, InProcessServer, ServerProcess,
};

/// `GET path` over HTTP/1.1; the status code and the body.
async fn http_get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    let (head, body) = response
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no HTTP head in {response:?}"));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status in {head:?}"));
    (status, body.to_string())
}

/// Samples of a scrape: `name{labels}` → value.
fn samples(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("a sample line");
            (series.to_string(), value.parse().expect("a number"))
        })
        .collect()
}

async fn scrape(addr: SocketAddr) -> BTreeMap<String, f64> {
    let (status, body) = http_get(addr, "/metrics").await;
    assert_eq!(status, 200, "{body}");
    assert!(body.ends_with("# EOF\n"), "{body}");
    samples(&body)
}

fn value(samples: &BTreeMap<String, f64>, series: &str) -> f64 {
    samples.get(series).copied().unwrap_or(0.0)
}

fn calls(method: &str, code: &str) -> String {
    format!("gazetteer_calls_total{{method=\"{method}\",code=\"{code}\"}}")
}

const RESOLVE: &str = "gazetteer.v1.Resolver/Resolve";

struct Observed {
    server: InProcessServer,
    metrics_addr: SocketAddr,
    stop_metrics: oneshot::Sender<()>,
}

async fn start(dir: &std::path::Path, limits: Limits) -> Observed {
    let metrics = Arc::new(Metrics::new());
    let server = InProcessServer::start_dir(
        dir,
        ServeOptions {
            limits,
            admin: true,
            metrics: metrics.clone(),
            ..ServeOptions::default()
        },
    )
    .await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let metrics_addr = listener.local_addr().unwrap();
    let (stop_metrics, stopped) = oneshot::channel::<()>();
    tokio::spawn(serve_metrics(
        listener,
        metrics,
        server.reloader.clone(),
        async {
            let _ = stopped.await;
        },
    ));
    Observed {
        server,
        metrics_addr,
        stop_metrics,
    }
}

fn resolve_request(text: &str) -> ResolveRequest {
    ResolveRequest {
        text: text.into(),
        doc_id: String::new(),
        options: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_endpoint_counts_calls_by_method_and_code_and_describes_the_index() {
    let (a, b) = (index_a(), index_b());
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    let version_a = write_index(&a, &served);
    let observed = start(&served, Limits::default()).await;
    let addr = observed.metrics_addr;

    let before = scrape(addr).await;
    assert_eq!(value(&before, &calls(RESOLVE, "OK")), 0.0);
    let info_a = format!(
        "gazetteer_index_info{{version=\"{version_a}\",location=\"{}\"}}",
        served.display()
    );
    assert_eq!(value(&before, &info_a), 1.0, "{before:?}");
    assert_eq!(
        value(&before, "gazetteer_index_entities"),
        a.meta.entity_count as f64
    );

    let channel = observed.server.channel.clone();
    let mut resolver = ResolverClient::new(channel.clone());
    for _ in 0..3 {
        resolver
            .resolve(resolve_request("Talks in Tehran."))
            .await
            .expect("Resolve");
    }
    let mut bad = resolve_request("Talks in Tehran.");
    bad.options = Some(ResolveOptions {
        min_score: 2.0,
        ..ResolveOptions::default()
    });
    let status = resolver.resolve(bad).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    let status = resolver
        .get_entity(GetEntityRequest {
            id: "nope:1".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    resolver
        .lookup(LookupRequest {
            name: "Tehran".into(),
            ..LookupRequest::default()
        })
        .await
        .expect("Lookup");
    let mut stream = resolver
        .resolve_stream(tokio_stream::iter(vec![
            resolve_request("Moscow"),
            resolve_request("Paris"),
        ]))
        .await
        .expect("ResolveStream")
        .into_inner();
    while stream.message().await.expect("stream answer").is_some() {}

    // One reload that takes, one that fails.
    let version_b = write_index(&b, &served);
    let mut admin = AdminClient::new(channel.clone());
    admin
        .reload_index(ReloadIndexRequest {})
        .await
        .expect("reload");
    std::fs::remove_dir_all(&served).unwrap();
    admin
        .reload_index(ReloadIndexRequest {})
        .await
        .expect_err("nothing to open");

    let after = scrape(addr).await;
    let expected = [
        (calls(RESOLVE, "OK"), 3.0),
        (calls(RESOLVE, "INVALID_ARGUMENT"), 1.0),
        (calls("gazetteer.v1.Resolver/GetEntity", "NOT_FOUND"), 1.0),
        (calls("gazetteer.v1.Resolver/Lookup", "OK"), 1.0),
        (calls("gazetteer.v1.Resolver/ResolveStream", "OK"), 1.0),
        (calls("gazetteer.admin.v1.Admin/ReloadIndex", "OK"), 1.0),
        (
            calls(
                "gazetteer.admin.v1.Admin/ReloadIndex",
                "FAILED_PRECONDITION",
            ),
            1.0,
        ),
        (
            format!("gazetteer_call_duration_seconds_count{{method=\"{RESOLVE}\"}}"),
            4.0,
        ),
        (
            format!("gazetteer_calls_in_flight{{method=\"{RESOLVE}\"}}"),
            0.0,
        ),
        ("gazetteer_shed_calls_total".to_string(), 0.0),
        (
            "gazetteer_index_reloads_total{outcome=\"ok\"}".to_string(),
            1.0,
        ),
        (
            "gazetteer_index_reloads_total{outcome=\"failed\"}".to_string(),
            1.0,
        ),
        (
            "gazetteer_index_entities".to_string(),
            b.meta.entity_count as f64,
        ),
        (
            "gazetteer_index_names".to_string(),
            b.meta.name_count as f64,
        ),
    ];
    for (series, want) in &expected {
        assert!(
            after.contains_key(series),
            "{series} missing from {after:#?}"
        );
        assert_eq!(after[series], *want, "{series}");
    }
    // The info gauge names only the index now served.
    let info: Vec<&String> = after
        .keys()
        .filter(|k| k.starts_with("gazetteer_index_info"))
        .collect();
    assert_eq!(info.len(), 1, "{info:?}");
    assert!(info[0].contains(&version_b), "{info:?}");
    // Every Resolve fell into some latency bucket.
    let inf = format!("gazetteer_call_duration_seconds_bucket{{le=\"+Inf\",method=\"{RESOLVE}\"}}");
    let inf_alt =
        format!("gazetteer_call_duration_seconds_bucket{{method=\"{RESOLVE}\",le=\"+Inf\"}}");
    assert_eq!(
        value(&after, &inf).max(value(&after, &inf_alt)),
        4.0,
        "{after:#?}"
    );

    let (status, _) = http_get(addr, "/other").await;
    assert_eq!(status, 404);

    observed.stop_metrics.send(()).ok();
    observed.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shed_calls_are_counted_as_clients_saw_them() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);
    let observed = start(
        &served,
        Limits {
            max_concurrent_requests: 1,
            max_text_bytes: 4 << 20,
            ..Limits::default()
        },
    )
    .await;
    let text = format!("{}Moscow.", "The talks went on and on. ".repeat(20_000));
    let calls_made: Vec<_> = (0..12)
        .map(|_| {
            let mut client = ResolverClient::new(observed.server.channel.clone());
            let text = text.clone();
            tokio::spawn(async move { client.resolve(resolve_request(&text)).await })
        })
        .collect();
    let mut shed = 0.0;
    for call in calls_made {
        match call.await.unwrap() {
            Ok(_) => {}
            Err(status) if status.code() == Code::ResourceExhausted => shed += 1.0,
            Err(status) => panic!("{status:?}"),
        }
    }
    assert!(shed >= 1.0, "one slot, twelve calls at once");
    let after = scrape(observed.metrics_addr).await;
    assert_eq!(value(&after, "gazetteer_shed_calls_total"), shed);
    assert_eq!(value(&after, &calls(RESOLVE, "RESOURCE_EXHAUSTED")), shed);
    assert_eq!(value(&after, &calls(RESOLVE, "OK")), 12.0 - shed);
    observed.stop_metrics.send(()).ok();
    observed.server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_metrics_and_logs_a_span_per_call() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);
    let mut command = gazetteer();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .args(["--metrics-listen", "127.0.0.1:0", "--index"])
        .arg(&served)
        .env("GAZETTEER_LOG", "info,gazetteer=debug");
    let mut server = ServerProcess::spawn(command);
    let serving: serde_json::Value = serde_json::from_str(server.log.last().unwrap()).unwrap();
    let url = serving["fields"]["metrics"].as_str().expect("metrics URL");
    let metrics_addr: SocketAddr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.strip_suffix("/metrics"))
        .expect("http://ADDR/metrics")
        .parse()
        .unwrap();

    let mut client = ResolverClient::new(connect(server.addr).await);
    let text = "Talks in Tehran and Moscow.";
    client
        .resolve(ResolveRequest {
            text: text.into(),
            doc_id: "doc-7".into(),
            options: None,
        })
        .await
        .expect("Resolve");
    let line = server.wait_for_message("call finished");
    let span = &line["span"];
    assert_eq!(span["name"], "call", "{line}");
    assert_eq!(span["method"], RESOLVE, "{line}");
    assert_eq!(span["doc_id"], "doc-7", "{line}");
    assert_eq!(span["text_bytes"], text.len(), "{line}");
    assert_eq!(span["mentions"], 2, "{line}");
    assert_eq!(span["code"], "OK", "{line}");
    assert!(span["duration_ms"].as_f64().is_some(), "{line}");

    let after = scrape(metrics_addr).await;
    assert_eq!(value(&after, &calls(RESOLVE, "OK")), 1.0, "{after:#?}");
    assert!(server.stop().success());
}
