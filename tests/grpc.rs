//! The real server on a loopback port, called through generated clients:
//! every Resolver RPC, limits and errors, health and reflection.

use std::net::SocketAddr;
use std::time::Duration;

use gazetteer::grpc::Limits;
use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{
    self, resolve_result::Outcome, GetEntityRequest, GetIndexInfoRequest, LookupRequest,
    ResolveBatchRequest, ResolveOptions, ResolveRequest,
};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::{Channel, Endpoint};
use tonic::Code;

use crate::common::{assert_span_slices, index};

const TEHRAN: &str = "geonames:112931";

struct TestServer {
    addr: SocketAddr,
    channel: Channel,
    shutdown: Option<oneshot::Sender<()>>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl TestServer {
    async fn start(limits: Limits) -> Self {
        let index = tokio::task::spawn_blocking(index)
            .await
            .expect("index task");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(gazetteer::server::serve(listener, index, limits, async {
            let _ = rx.await;
        }));
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .expect("endpoint")
            .connect_timeout(Duration::from_secs(10))
            .connect()
            .await
            .expect("connect to the test server");
        Self {
            addr,
            channel,
            shutdown: Some(tx),
            handle,
        }
    }

    fn resolver(&self) -> ResolverClient<Channel> {
        ResolverClient::new(self.channel.clone())
    }

    /// Signals shutdown and waits for `serve` to return.
    async fn stop(mut self) {
        self.shutdown.take().expect("not stopped").send(()).ok();
        let result = tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("serve returns after shutdown")
            .expect("serve task does not panic");
        result.expect("serve returns Ok after a clean shutdown");
    }
}

fn request(text: &str, doc_id: &str) -> ResolveRequest {
    ResolveRequest {
        text: text.to_string(),
        doc_id: doc_id.to_string(),
        options: None,
    }
}

async fn index_version(client: &mut ResolverClient<Channel>) -> String {
    client
        .get_index_info(GetIndexInfoRequest {})
        .await
        .expect("GetIndexInfo")
        .into_inner()
        .version
}

/// Slices a proto span in all three units, as a client in another language
/// would.
fn check_proto_span(text: &str, m: &proto::Mention) {
    let s = m.span.as_ref().expect("span is set");
    let units = [
        s.start,
        s.end,
        s.byte_start,
        s.byte_end,
        s.utf16_start,
        s.utf16_end,
    ];
    assert_span_slices(text, &m.surface, units.map(|u| u as usize));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_returns_entities_offsets_and_the_served_index_version() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let text = "🇮🇷 Ministers met in Teheran\u{2019}s north, then flew to Moscow.";
    let response = client
        .resolve(request(text, "doc-1"))
        .await
        .expect("Resolve")
        .into_inner();
    assert_eq!(response.doc_id, "doc-1");
    let ids: Vec<(&str, &str)> = response
        .mentions
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.as_ref().unwrap().id.as_str()))
        .collect();
    assert_eq!(ids, [("Teheran", TEHRAN), ("Moscow", "geonames:524901")]);
    for m in &response.mentions {
        check_proto_span(text, m);
    }
    let teheran = &response.mentions[0];
    assert_eq!(teheran.match_kind, proto::MatchKind::Alias as i32);
    assert_eq!(teheran.matched_name, "Teheran");
    let entity = teheran.entity.as_ref().unwrap();
    assert_eq!(entity.kind, proto::EntityKind::Place as i32);
    assert_eq!(entity.country_code, "IR");
    assert!(entity.has_coordinates);
    // The flag is two code points outside the BMP: UTF-16 runs 2 ahead.
    let span = teheran.span.unwrap();
    assert_eq!(span.utf16_start, span.start + 2);

    let version = index_version(&mut client).await;
    assert!(!version.is_empty());
    assert_eq!(response.index_version, version);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_honours_options() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let text = "Delegates flew to New York on Friday.";
    let mut req = request(text, "");
    req.options = Some(ResolveOptions {
        overlap: proto::OverlapPolicy::All as i32,
        ..ResolveOptions::default()
    });
    let all = client.resolve(req).await.expect("Resolve ALL").into_inner();
    let surfaces: Vec<&str> = all.mentions.iter().map(|m| m.surface.as_str()).collect();
    assert_eq!(surfaces, ["New York", "York"]);

    let longest = client
        .resolve(request(text, ""))
        .await
        .expect("Resolve LONGEST")
        .into_inner();
    let surfaces: Vec<&str> = longest
        .mentions
        .iter()
        .map(|m| m.surface.as_str())
        .collect();
    assert_eq!(surfaces, ["New York"]);

    // Only person entities: the default gazetteer has none.
    let mut req = request(text, "");
    req.options = Some(ResolveOptions {
        kinds: vec![proto::EntityKind::Person as i32],
        ..ResolveOptions::default()
    });
    let people = client
        .resolve(req)
        .await
        .expect("Resolve kinds")
        .into_inner();
    assert!(people.mentions.is_empty(), "{:?}", people.mentions);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_of_empty_text_has_no_mentions() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let response = client
        .resolve(request("", "empty"))
        .await
        .expect("Resolve of empty text succeeds")
        .into_inner();
    assert!(response.mentions.is_empty());
    assert_eq!(response.doc_id, "empty");
    assert!(!response.index_version.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_over_the_text_limit_is_invalid_argument_naming_the_limit() {
    let server = TestServer::start(Limits {
        max_text_bytes: 64,
        ..Limits::default()
    })
    .await;
    let mut client = server.resolver();
    // Exactly at the limit is accepted.
    let at_limit = format!("Tehran {}", "x".repeat(64 - 7));
    assert_eq!(at_limit.len(), 64);
    let ok = client
        .resolve(request(&at_limit, ""))
        .await
        .expect("64 bytes is allowed");
    assert_eq!(ok.into_inner().mentions.len(), 1);

    let over = "Tehran ".repeat(10);
    assert!(over.len() > 64);
    let status = client.resolve(request(&over, "")).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("64"), "{:?}", status.message());
    assert!(
        status.message().contains(&over.len().to_string()),
        "{:?}",
        status.message()
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_rejects_bad_options() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let bad = [
        ResolveOptions {
            min_score: 2.0,
            ..ResolveOptions::default()
        },
        ResolveOptions {
            min_score: -0.5,
            ..ResolveOptions::default()
        },
        ResolveOptions {
            min_score: f64::NAN,
            ..ResolveOptions::default()
        },
        ResolveOptions {
            overlap: 7,
            ..ResolveOptions::default()
        },
        ResolveOptions {
            kinds: vec![42],
            ..ResolveOptions::default()
        },
    ];
    for options in bad {
        let mut req = request("Talks in Tehran.", "");
        req.options = Some(options.clone());
        let status = client.resolve(req).await.unwrap_err();
        assert_eq!(
            status.code(),
            Code::InvalidArgument,
            "{options:?}: {status:?}"
        );
        assert!(
            status.message().contains("options."),
            "{:?}",
            status.message()
        );
    }
    let mut req = request("Talks in Tehran.", "");
    req.options = Some(ResolveOptions {
        min_score: 2.0,
        ..ResolveOptions::default()
    });
    let status = client.resolve(req).await.unwrap_err();
    assert!(
        status.message().contains("min_score"),
        "{:?}",
        status.message()
    );

    // A threshold above every score drops the mentions but is valid.
    let mut req = request("Talks in Tehran.", "");
    req.options = Some(ResolveOptions {
        min_score: 1.0,
        ..ResolveOptions::default()
    });
    let response = client.resolve(req).await.expect("min_score 1.0 is valid");
    assert!(response.into_inner().mentions.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resolve_batch_keeps_order_and_isolates_a_failing_document() {
    let server = TestServer::start(Limits {
        max_text_bytes: 64,
        max_batch_documents: 3,
        ..Limits::default()
    })
    .await;
    let mut client = server.resolver();
    let too_long = format!("Talks in Tehran. {}", "Long text. ".repeat(10));
    assert!(too_long.len() > 64);
    let batch = ResolveBatchRequest {
        requests: vec![
            request("Talks in Teheran.", "first"),
            request(&too_long, "second"),
            request("Nach Moskau.", "third"),
        ],
    };
    let results = client
        .resolve_batch(batch)
        .await
        .expect("ResolveBatch")
        .into_inner()
        .results;
    assert_eq!(results.len(), 3);
    let version = index_version(&mut client).await;

    match results[0].outcome.as_ref().expect("outcome") {
        Outcome::Response(r) => {
            assert_eq!(r.doc_id, "first");
            assert_eq!(r.mentions.len(), 1);
            assert_eq!(r.mentions[0].entity.as_ref().unwrap().id, TEHRAN);
            assert_eq!(r.index_version, version);
        }
        other => panic!("first document failed: {other:?}"),
    }
    match results[1].outcome.as_ref().expect("outcome") {
        Outcome::Error(e) => {
            assert_eq!(e.doc_id, "second");
            assert_eq!(e.code, 3, "INVALID_ARGUMENT");
            assert!(e.message.contains("64"), "{:?}", e.message);
        }
        other => panic!("second document should fail: {other:?}"),
    }
    match results[2].outcome.as_ref().expect("outcome") {
        Outcome::Response(r) => {
            assert_eq!(r.doc_id, "third");
            assert_eq!(r.mentions.len(), 1);
            assert_eq!(r.mentions[0].entity.as_ref().unwrap().id, "geonames:524901");
        }
        other => panic!("third document failed: {other:?}"),
    }

    // More documents than the batch limit fail the whole call.
    let too_many = ResolveBatchRequest {
        requests: (0..4).map(|i| request("Paris", &i.to_string())).collect(),
    };
    let status = client.resolve_batch(too_many).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    assert!(status.message().contains('3'), "{:?}", status.message());

    // An empty batch is an empty answer.
    let empty = client
        .resolve_batch(ResolveBatchRequest { requests: vec![] })
        .await
        .expect("empty batch")
        .into_inner();
    assert!(empty.results.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_exact_and_prefix() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let exact = client
        .lookup(LookupRequest {
            name: "Teheran".into(),
            ..LookupRequest::default()
        })
        .await
        .expect("Lookup exact")
        .into_inner();
    assert!(!exact.matches.is_empty());
    let first = &exact.matches[0];
    assert_eq!(first.entity.as_ref().unwrap().id, TEHRAN);
    assert_eq!(first.matched_name, "Teheran");
    assert!(first.score > 0.0 && first.score <= 1.0);
    assert_eq!(exact.index_version, index_version(&mut client).await);

    let prefix = client
        .lookup(LookupRequest {
            name: "Tehr".into(),
            prefix: true,
            limit: 20,
            kinds: vec![],
        })
        .await
        .expect("Lookup prefix")
        .into_inner();
    assert!(prefix.matches.len() <= 20);
    assert!(
        prefix
            .matches
            .iter()
            .any(|m| m.entity.as_ref().unwrap().id == TEHRAN),
        "{:?}",
        prefix.matches
    );
    // Best first.
    for pair in prefix.matches.windows(2) {
        assert!(pair[0].score >= pair[1].score);
    }

    // Not a prefix lookup: "Tehr" alone is no name.
    let none = client
        .lookup(LookupRequest {
            name: "Tehr".into(),
            ..LookupRequest::default()
        })
        .await
        .expect("Lookup exact miss")
        .into_inner();
    assert!(none.matches.is_empty(), "{:?}", none.matches);

    let limited = client
        .lookup(LookupRequest {
            name: "San".into(),
            prefix: true,
            limit: 3,
            kinds: vec![],
        })
        .await
        .expect("Lookup limited")
        .into_inner();
    assert_eq!(limited.matches.len(), 3);

    let status = client
        .lookup(LookupRequest {
            name: "x".repeat(2000),
            ..LookupRequest::default()
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_entity_found_and_not_found() {
    let server = TestServer::start(Limits::default()).await;
    let mut client = server.resolver();
    let tehran = client
        .get_entity(GetEntityRequest { id: TEHRAN.into() })
        .await
        .expect("GetEntity")
        .into_inner();
    assert_eq!(tehran.id, TEHRAN);
    assert_eq!(tehran.name, "Tehran");
    assert_eq!(tehran.country_code, "IR");
    assert_eq!(tehran.feature_code, "PPLC");
    assert!(tehran.has_coordinates);
    assert!((tehran.latitude - 35.69).abs() < 0.1, "{}", tehran.latitude);
    assert!(
        (tehran.longitude - 51.42).abs() < 0.1,
        "{}",
        tehran.longitude
    );
    assert!(tehran.population > 1_000_000);

    let iran = client
        .get_entity(GetEntityRequest {
            id: "geonames:130758".into(),
        })
        .await
        .expect("GetEntity Iran")
        .into_inner();
    assert_eq!(iran.name, "Iran");
    assert!(
        iran.external_ids
            .iter()
            .any(|x| x.scheme == "wikidata" && x.id == "Q794"),
        "{:?}",
        iran.external_ids
    );

    // An external ID finds the entity that carries it.
    let by_wikidata = client
        .get_entity(GetEntityRequest {
            id: "wikidata:Q3616".into(),
        })
        .await
        .expect("GetEntity by Wikidata ID")
        .into_inner();
    assert_eq!(by_wikidata.id, TEHRAN);

    for unknown in ["geonames:999999999", "wikidata:Q0", "nonsense", ""] {
        let status = client
            .get_entity(GetEntityRequest { id: unknown.into() })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::NotFound, "{unknown:?}: {status:?}");
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_index_info_describes_the_index_and_limits() {
    let server = TestServer::start(Limits {
        max_text_bytes: 12_345,
        ..Limits::default()
    })
    .await;
    let mut client = server.resolver();
    let info = client
        .get_index_info(GetIndexInfoRequest {})
        .await
        .expect("GetIndexInfo")
        .into_inner();
    assert!(info.entity_count > 30_000, "{}", info.entity_count);
    assert!(info.name_count > info.entity_count);
    assert_eq!(info.format_version, gazetteer::index::FORMAT_VERSION);
    assert_eq!(info.max_text_bytes, 12_345);
    assert_eq!(info.location, gazetteer::EMBEDDED_LOCATION);
    assert_eq!(info.version, index().version());
    let places = info.entities_by_kind["place"];
    let people = info.entities_by_kind["person"];
    assert!(
        places > 30_000 && people >= 500,
        "{:?}",
        info.entities_by_kind
    );
    assert_eq!(places + people, info.entity_count);
    let sources: Vec<&str> = info.sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        sources,
        [
            "data/default/continents.jsonl",
            "data/default/countries.jsonl",
            "data/default/regions.jsonl",
            "data/default/news_regions.jsonl",
            "data/default/cities.jsonl",
            "data/default/people.jsonl"
        ]
    );
    let records: u64 = info.sources.iter().map(|s| s.records).sum();
    assert_eq!(records, info.entity_count);
    assert!(info.sources.iter().all(|s| s.sha256.len() == 64));
    assert!(!info.built_at.is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_reports_serving() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;

    let server = TestServer::start(Limits::default()).await;
    let mut health = HealthClient::new(server.channel.clone());
    for service in ["", "gazetteer.v1.Resolver"] {
        let response = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap_or_else(|e| panic!("Check({service:?}): {e:?}"))
            .into_inner();
        assert_eq!(
            response.status,
            ServingStatus::Serving as i32,
            "{service:?}"
        );
    }
    let status = health
        .check(HealthCheckRequest {
            service: "no.such.Service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::NotFound);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflection_v1_lists_services_and_serves_descriptors() {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;

    let server = TestServer::start(Limits::default()).await;
    let mut client = ServerReflectionClient::new(server.channel.clone());
    let requests = vec![
        ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        },
        ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::FileContainingSymbol(
                "gazetteer.v1.Resolver".into(),
            )),
        },
    ];
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(requests))
        .await
        .expect("ServerReflectionInfo")
        .into_inner();

    let first = stream.message().await.expect("stream").expect("a response");
    let services: Vec<String> = match first.message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            list.service.into_iter().map(|s| s.name).collect()
        }
        other => panic!("unexpected reflection response {other:?}"),
    };
    for expected in ["gazetteer.v1.Resolver", "grpc.health.v1.Health"] {
        assert!(services.iter().any(|s| s == expected), "{services:?}");
    }

    let second = stream.message().await.expect("stream").expect("a response");
    match second.message_response {
        Some(MessageResponse::FileDescriptorResponse(files)) => {
            assert!(!files.file_descriptor_proto.is_empty());
            let bytes = &files.file_descriptor_proto[0];
            let needle = b"gazetteer/v1/gazetteer.proto";
            assert!(
                bytes.windows(needle.len()).any(|w| w == needle),
                "descriptor does not name the proto file"
            );
        }
        other => panic!("unexpected reflection response {other:?}"),
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reflection_v1alpha_answers() {
    use tonic_reflection::pb::v1alpha::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1alpha::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1alpha::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1alpha::ServerReflectionRequest;

    let server = TestServer::start(Limits::default()).await;
    let mut client = ServerReflectionClient::new(server.channel.clone());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = client
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("v1alpha ServerReflectionInfo")
        .into_inner();
    let response = stream.message().await.expect("stream").expect("a response");
    match response.message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            let names: Vec<&str> = list.service.iter().map(|s| s.name.as_str()).collect();
            assert!(names.contains(&"gazetteer.v1.Resolver"), "{names:?}");
        }
        other => panic!("unexpected reflection response {other:?}"),
    }
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_stops_accepting_connections() {
    let server = TestServer::start(Limits::default()).await;
    let addr = server.addr;
    let mut client = server.resolver();
    client
        .get_index_info(GetIndexInfoRequest {})
        .await
        .expect("served before shutdown");
    server.stop().await;
    let reconnect = tokio::time::timeout(
        Duration::from_secs(5),
        Endpoint::from_shared(format!("http://{addr}"))
            .unwrap()
            .connect(),
    )
    .await
    .expect("connect attempt finishes");
    assert!(
        reconnect.is_err(),
        "a new connection succeeded after shutdown"
    );
}

#[tokio::test]
async fn resolve_stream_answers_in_order_and_survives_a_bad_document() {
    let server = TestServer::start(Limits {
        max_text_bytes: 64,
        ..Limits::default()
    })
    .await;
    let mut client = server.resolver();
    let documents = vec![
        request("Talks in Teheran.", "first"),
        request(&"Moscow ".repeat(20), "too-long"),
        request("Flights to Moscow.", "third"),
    ];
    let mut answers = client
        .resolve_stream(tokio_stream::iter(documents))
        .await
        .expect("ResolveStream")
        .into_inner();
    let mut seen = Vec::new();
    while let Some(answer) = answers.message().await.expect("stream answer") {
        seen.push(answer);
    }
    let ids: Vec<&str> = seen.iter().map(|a| a.doc_id.as_str()).collect();
    assert_eq!(ids, ["first", "too-long", "third"]);
    assert_eq!(seen[0].mentions[0].entity.as_ref().unwrap().id, TEHRAN);
    let error = seen[1]
        .error
        .as_ref()
        .expect("the long document fails alone");
    assert_eq!(error.code, Code::InvalidArgument as i32);
    assert!(error.message.contains("64"), "{}", error.message);
    assert!(seen[1].mentions.is_empty());
    assert!(seen[2].error.is_none());
    assert_eq!(
        seen[2].mentions[0].entity.as_ref().unwrap().id,
        "geonames:524901"
    );
    server.stop().await;
}

#[tokio::test]
async fn calls_beyond_the_concurrency_limit_are_shed() {
    let server = TestServer::start(Limits {
        max_concurrent_requests: 1,
        max_text_bytes: 4 << 20,
        ..Limits::default()
    })
    .await;
    // Long enough to keep a worker busy, with one name so answers stay small.
    let text = format!("{}Moscow.", "The talks went on and on. ".repeat(20_000));
    let calls: Vec<_> = (0..12)
        .map(|i| {
            let mut client = server.resolver();
            let text = text.clone();
            tokio::spawn(async move { client.resolve(request(&text, &i.to_string())).await })
        })
        .collect();
    let (mut ok, mut shed) = (0, 0);
    for call in calls {
        match call.await.expect("task") {
            Ok(_) => ok += 1,
            Err(status) if status.code() == Code::ResourceExhausted => {
                assert!(status.message().contains("--max-concurrent-requests"));
                shed += 1;
            }
            Err(status) => panic!("unexpected status {status:?}"),
        }
    }
    assert!(ok >= 1, "at least one call is served");
    assert!(
        shed >= 1,
        "with one slot and 12 concurrent calls some are shed"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_passed_deadline_is_deadline_exceeded() {
    let server = TestServer::start(Limits {
        max_text_bytes: 8 << 20,
        ..Limits::default()
    })
    .await;
    let mut client = server.resolver();
    // Several megabytes take far longer than 200 ms to resolve.
    let text = "Talks in Moscow and Teheran went on. ".repeat(150_000);
    let mut call = tonic::Request::new(request(&text, "slow"));
    call.set_timeout(Duration::from_millis(200));
    let status = client.resolve(call).await.expect_err("deadline passes");
    assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
    // The server still answers afterwards.
    let answer = client
        .resolve(request("Moscow", "after"))
        .await
        .expect("served after a deadline")
        .into_inner();
    assert_eq!(answer.mentions.len(), 1);
    server.stop().await;
}
