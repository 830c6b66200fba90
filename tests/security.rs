//! Security over real sockets: TLS, mutual TLS with certificates made by
//! rcgen in the test, the bearer token (health open, the rest guarded), and
//! the binary's security settings.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use gazetteer::grpc::BearerToken;
use gazetteer::proto::admin::admin_client::AdminClient;
use gazetteer::proto::admin::ReloadIndexRequest;
use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{GetIndexInfoRequest, IndexInfo, ResolveRequest};
use gazetteer::server::ServeOptions;
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tonic::transport::{
    Certificate, Channel, ClientTlsConfig, Endpoint, Identity, ServerTlsConfig,
};
use tonic::{Code, Request, Status};

use crate::harness::{gazetteer, index_a, write_index, InProcessServer, ServerProcess};

const TOKEN: &str = "s3cret-Token_42";

/// A certificate and its key, PEM.
struct Pem {
    cert: String,
    key: String,
}

/// A test CA and what it signs.
struct Pki {
    ca: String,
    server: Pem,
    client: Pem,
}

fn ca() -> (String, Issuer<'static, KeyPair>) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(DnType::CommonName, "gazetteer test CA");
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let cert = params.self_signed(&key).unwrap();
    (cert.pem(), Issuer::new(params, key))
}

fn leaf(issuer: &Issuer<'static, KeyPair>, names: &[&str], usage: ExtendedKeyUsagePurpose) -> Pem {
    let key = KeyPair::generate().unwrap();
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(DnType::CommonName, "gazetteer test");
    params.extended_key_usages = vec![usage];
    let cert = params.signed_by(&key, issuer).unwrap();
    Pem {
        cert: cert.pem(),
        key: key.serialize_pem(),
    }
}

fn pki() -> Pki {
    let (ca, issuer) = ca();
    Pki {
        ca,
        server: leaf(
            &issuer,
            &["localhost", "127.0.0.1"],
            ExtendedKeyUsagePurpose::ServerAuth,
        ),
        client: leaf(&issuer, &["client"], ExtendedKeyUsagePurpose::ClientAuth),
    }
}

fn server_tls(pki: &Pki, mutual: bool) -> ServerTlsConfig {
    let tls =
        ServerTlsConfig::new().identity(Identity::from_pem(&pki.server.cert, &pki.server.key));
    if mutual {
        tls.client_ca_root(Certificate::from_pem(&pki.ca))
    } else {
        tls
    }
}

/// A TLS channel to `addr` trusting `ca`, presenting `identity` if any.
async fn tls_channel(
    addr: std::net::SocketAddr,
    ca: &str,
    identity: Option<&Pem>,
) -> Result<Channel, tonic::transport::Error> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(ca))
        .domain_name("localhost");
    if let Some(pem) = identity {
        tls = tls.identity(Identity::from_pem(&pem.cert, &pem.key));
    }
    Endpoint::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)?
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
}

/// GetIndexInfo over `channel`, optionally with a bearer token.
async fn index_info(channel: Channel, token: Option<&str>) -> Result<IndexInfo, Status> {
    ResolverClient::new(channel)
        .get_index_info(with_token(GetIndexInfoRequest {}, token))
        .await
        .map(tonic::Response::into_inner)
}

fn with_token<T>(message: T, token: Option<&str>) -> Request<T> {
    let mut request = Request::new(message);
    if let Some(token) = token {
        request
            .metadata_mut()
            .insert("authorization", format!("Bearer {token}").parse().unwrap());
    }
    request
}

/// A call over a connection that must not work: any failure (connect or
/// call) passes; a timeout guards against a hang.
async fn refused(addr: std::net::SocketAddr, ca: &str, identity: Option<&Pem>) -> String {
    let attempt = async {
        let channel = tls_channel(addr, ca, identity)
            .await
            .map_err(|e| format!("connect: {e:?}"))?;
        index_info(channel, None)
            .await
            .map_err(|s| format!("call: {s:?}"))
    };
    match tokio::time::timeout(Duration::from_secs(30), attempt)
        .await
        .expect("the refused attempt finishes")
    {
        Ok(info) => panic!("the call succeeded: {info:?}"),
        Err(why) => {
            eprintln!("refused as expected: {why}");
            why
        }
    }
}

async fn start(dir: &Path, options: ServeOptions) -> InProcessServer {
    // The server's own channel is plaintext and lazy, so unused here: TLS
    // servers are reached with channels of their own.
    InProcessServer::start_dir(dir, options).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tls_serves_encrypted_calls_and_refuses_plaintext() {
    let pki = pki();
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    let version = write_index(&index_a(), &served);
    let server = start(
        &served,
        ServeOptions {
            tls: Some(server_tls(&pki, false)),
            ..ServeOptions::default()
        },
    )
    .await;
    let channel = tls_channel(server.addr, &pki.ca, None)
        .await
        .expect("TLS connect");
    let info = index_info(channel, None).await.expect("call over TLS");
    assert_eq!(info.version, version);

    // Plaintext HTTP/2 to a TLS port.
    let plaintext = async {
        let channel = Endpoint::from_shared(format!("http://{}", server.addr))
            .unwrap()
            .connect()
            .await
            .map_err(|e| format!("{e:?}"))?;
        index_info(channel, None)
            .await
            .map_err(|s| format!("{s:?}"))
    };
    let result = tokio::time::timeout(Duration::from_secs(30), plaintext)
        .await
        .expect("the plaintext attempt finishes");
    assert!(result.is_err(), "plaintext was served: {result:?}");

    // A client that does not trust the server's CA.
    let (other_ca, _) = ca();
    refused(server.addr, &other_ca, None).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_requires_a_client_certificate_from_the_ca() {
    let pki = pki();
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);
    let server = start(
        &served,
        ServeOptions {
            tls: Some(server_tls(&pki, true)),
            ..ServeOptions::default()
        },
    )
    .await;
    let channel = tls_channel(server.addr, &pki.ca, Some(&pki.client))
        .await
        .expect("mTLS connect");
    index_info(channel, None)
        .await
        .expect("a call with a client certificate");

    refused(server.addr, &pki.ca, None).await;
    // A certificate from another CA.
    let (_, stranger) = ca();
    let stranger = leaf(&stranger, &["client"], ExtendedKeyUsagePurpose::ClientAuth);
    refused(server.addr, &pki.ca, Some(&stranger)).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bearer_token_guards_every_service_but_health() {
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;

    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);
    let metrics = Arc::new(gazetteer::metrics::Metrics::new());
    let server = InProcessServer::start_dir(
        &served,
        ServeOptions {
            admin: true,
            auth: Some(Arc::new(BearerToken::new(TOKEN).unwrap())),
            metrics: metrics.clone(),
            ..ServeOptions::default()
        },
    )
    .await;
    let channel = server.channel.clone();

    let missing = index_info(channel.clone(), None).await.unwrap_err();
    assert_eq!(missing.code(), Code::Unauthenticated, "{missing:?}");
    assert!(
        missing.message().contains("authorization: Bearer <token>"),
        "{}",
        missing.message()
    );
    let wrong = index_info(channel.clone(), Some("s3cret-Token_4"))
        .await
        .unwrap_err();
    assert_eq!(wrong.code(), Code::Unauthenticated);
    assert!(wrong.message().contains("not valid"), "{}", wrong.message());
    assert!(!wrong.message().contains("s3cret"), "{}", wrong.message());
    let mut basic = Request::new(GetIndexInfoRequest {});
    basic
        .metadata_mut()
        .insert("authorization", format!("Basic {TOKEN}").parse().unwrap());
    let status = ResolverClient::new(channel.clone())
        .get_index_info(basic)
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    index_info(channel.clone(), Some(TOKEN))
        .await
        .expect("the right token passes");
    let resolved = ResolverClient::new(channel.clone())
        .resolve(with_token(
            ResolveRequest {
                text: "Talks in Tehran.".into(),
                doc_id: String::new(),
                options: None,
            },
            Some(TOKEN),
        ))
        .await
        .expect("Resolve with the token");
    assert_eq!(resolved.into_inner().mentions.len(), 1);

    // Probes need no secret.
    HealthClient::new(channel.clone())
        .check(HealthCheckRequest {
            service: "gazetteer.v1.Resolver".into(),
        })
        .await
        .expect("health is open");

    // Admin and reflection are guarded.
    let status = AdminClient::new(channel.clone())
        .reload_index(ReloadIndexRequest {})
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    AdminClient::new(channel.clone())
        .reload_index(with_token(ReloadIndexRequest {}, Some(TOKEN)))
        .await
        .expect("admin with the token");
    {
        use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
        use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
        use tonic_reflection::pb::v1::ServerReflectionRequest;
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(MessageRequest::ListServices(String::new())),
        };
        let status = ServerReflectionClient::new(channel.clone())
            .server_reflection_info(tokio_stream::iter(vec![request]))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated);
    }
    // Refused calls are counted like any other.
    let scraped = metrics.encode(&server.reloader);
    let refused = "gazetteer_calls_total{method=\"gazetteer.v1.Resolver/GetIndexInfo\",code=\"UNAUTHENTICATED\"} 3\n";
    assert!(scraped.contains(refused), "{scraped}");
    server.stop().await;
}

fn write(dir: &Path, name: &str, contents: &str) -> String {
    std::fs::write(dir.join(name), contents).unwrap();
    dir.join(name).display().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_mutual_tls_and_a_token_from_its_configuration_file() {
    let pki = pki();
    let tmp = tempfile::tempdir().unwrap();
    write_index(&index_a(), &tmp.path().join("served"));
    write(tmp.path(), "server.pem", &pki.server.cert);
    write(tmp.path(), "server.key", &pki.server.key);
    write(tmp.path(), "ca.pem", &pki.ca);
    write(tmp.path(), "token", &format!("{TOKEN}\n"));
    let config = write(
        tmp.path(),
        "gazetteer.toml",
        r#"
index = "served"
listen = "127.0.0.1:0"
log_format = "json"
auth_token_file = "token"
tls_cert = "server.pem"
tls_key = "server.key"
tls_client_ca = "ca.pem"
"#,
    );
    let mut command = gazetteer();
    command.args(["serve", "--config", &config]);
    let server = ServerProcess::spawn(command);
    let started = server
        .log
        .iter()
        .find(|line| line.contains("starting gazetteer"))
        .cloned()
        .expect("a start line");
    assert!(started.contains(r#""tls":"mutual""#), "{started}");
    assert!(started.contains(r#""auth":true"#), "{started}");
    assert!(!started.contains(TOKEN), "the token is never logged");

    let channel = tls_channel(server.addr, &pki.ca, Some(&pki.client))
        .await
        .expect("mTLS connect to the binary");
    index_info(channel.clone(), Some(TOKEN))
        .await
        .expect("token and certificate");
    let status = index_info(channel, None).await.unwrap_err();
    assert_eq!(status.code(), Code::Unauthenticated);
    refused(server.addr, &pki.ca, None).await;
    assert!(server.stop().success());
}

type SecurityCase<'a> = (Vec<&'a str>, Vec<(&'a str, &'a str)>, Vec<&'a str>);

#[test]
fn unusable_security_settings_exit_64_naming_the_setting() {
    let pki = pki();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cert = write(dir, "server.pem", &pki.server.cert);
    let key = write(dir, "server.key", &pki.server.key);
    let ca = write(dir, "ca.pem", &pki.ca);
    let empty = write(dir, "empty-token", "\n");
    let spaced = write(dir, "spaced-token", "two words\n");
    let garbage = write(dir, "garbage.pem", "not a certificate\n");
    let missing = dir.join("missing").display().to_string();
    let no_index = dir.join("no-such-index").display().to_string();
    // (flags, variables, expected in stderr)
    let cases: Vec<SecurityCase> = vec![
        (
            vec!["--tls-key", &key],
            vec![],
            vec!["--tls-key is set without --tls-cert"],
        ),
        (
            vec!["--tls-cert", &cert],
            vec![],
            vec!["--tls-key", "without --tls-key"],
        ),
        (
            vec!["--tls-client-ca", &ca],
            vec![],
            vec!["--tls-client-ca", "need TLS"],
        ),
        (
            vec!["--auth-token-file", &missing],
            vec![],
            vec!["--auth-token-file", &missing],
        ),
        (
            vec!["--auth-token-file", &empty],
            vec![],
            vec!["--auth-token-file", "empty"],
        ),
        (
            vec!["--auth-token-file", &spaced],
            vec![],
            vec!["--auth-token-file", "visible ASCII"],
        ),
        (
            vec!["--auth-token-file", &spaced],
            vec![("GAZETTEER_AUTH_TOKEN", "x")],
            vec!["choose one"],
        ),
        (
            vec![],
            vec![("GAZETTEER_AUTH_TOKEN", " ")],
            vec!["GAZETTEER_AUTH_TOKEN", "empty"],
        ),
        (
            vec!["--tls-cert", &missing, "--tls-key", &key],
            vec![],
            vec!["--tls-cert", &missing],
        ),
        (
            vec!["--tls-cert", &garbage, "--tls-key", &key],
            vec![],
            vec!["--tls-cert, --tls-key"],
        ),
        (
            vec!["--tls-cert", &cert, "--tls-key", &garbage],
            vec![],
            vec!["--tls-cert, --tls-key"],
        ),
        (
            vec![],
            vec![("GAZETTEER_TLS_CERT", &cert)],
            vec!["without --tls-key"],
        ),
    ];
    for (args, env, expected) in cases {
        let output = gazetteer()
            .args(["serve", "--listen", "127.0.0.1:0", "--index", &no_index])
            .args(&args)
            .envs(env.iter().copied())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(64), "{args:?} {env:?}: {stderr}");
        for needle in expected {
            assert!(
                stderr.contains(needle),
                "{args:?}: {needle:?} missing from {stderr}"
            );
        }
        assert!(
            !stderr.contains("two words"),
            "a token is never printed: {stderr}"
        );
    }
}
