//! `gazetteer serve` configuration through the real binary: flags,
//! GAZETTEER_* variables and the TOML file, their precedence, `--help`,
//! and exit code 64 for every kind of invalid setting.

use std::path::Path;
use std::process::Output;

use gazetteer::proto::admin::admin_client::AdminClient;
use gazetteer::proto::admin::ReloadIndexRequest;
use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{GetIndexInfoRequest, IndexInfo};
use tonic::Code;

use crate::harness::{connect, gazetteer, index_a, write_index, ServerProcess};

/// Every `serve` setting: flag, variable, file key.
const SETTINGS: &[(&str, &str, &str)] = &[
    ("--config", "GAZETTEER_CONFIG", ""),
    ("--listen", "GAZETTEER_LISTEN", "listen"),
    ("--index", "GAZETTEER_INDEX", "index"),
    (
        "--max-text-bytes",
        "GAZETTEER_MAX_TEXT_BYTES",
        "max_text_bytes",
    ),
    (
        "--max-concurrent-requests",
        "GAZETTEER_MAX_CONCURRENT_REQUESTS",
        "max_concurrent_requests",
    ),
    ("--log-format", "GAZETTEER_LOG_FORMAT", "log_format"),
    ("--admin", "GAZETTEER_ADMIN", "admin"),
    (
        "--metrics-listen",
        "GAZETTEER_METRICS_LISTEN",
        "metrics_listen",
    ),
    (
        "--auth-token-file",
        "GAZETTEER_AUTH_TOKEN_FILE",
        "auth_token_file",
    ),
    ("--tls-cert", "GAZETTEER_TLS_CERT", "tls_cert"),
    ("--tls-key", "GAZETTEER_TLS_KEY", "tls_key"),
    (
        "--tls-client-ca",
        "GAZETTEER_TLS_CLIENT_CA",
        "tls_client_ca",
    ),
];

#[test]
fn serve_help_documents_every_setting() {
    let output = gazetteer().args(["serve", "--help"]).output().unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for (flag, variable, key) in SETTINGS {
        assert!(help.contains(flag), "{flag} missing from:\n{help}");
        assert!(help.contains(variable), "{variable} missing from:\n{help}");
        if !key.is_empty() {
            assert!(
                help.contains(&format!("\n    {key} = ")),
                "file key {key} missing from:\n{help}"
            );
        }
    }
    assert!(help.contains("GAZETTEER_LOG "), "{help}");
    assert!(help.contains("GAZETTEER_AUTH_TOKEN "), "{help}");
    assert!(help.contains("64"), "{help}");
}

async fn info_and_admin(server: &ServerProcess) -> (IndexInfo, bool) {
    let channel = connect(server.addr).await;
    let info = ResolverClient::new(channel.clone())
        .get_index_info(GetIndexInfoRequest {})
        .await
        .expect("GetIndexInfo")
        .into_inner();
    let admin = match AdminClient::new(channel)
        .reload_index(ReloadIndexRequest {})
        .await
    {
        Ok(_) => true,
        Err(status) if status.code() == Code::Unimplemented => false,
        Err(status) => panic!("ReloadIndex: {status:?}"),
    };
    (info, admin)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flag_beats_the_environment_which_beats_the_file_which_beats_the_default() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);
    let file = tmp.path().join("gazetteer.toml");
    std::fs::write(
        &file,
        r#"
# Relative paths are relative to this file.
index = "served"
listen = "127.0.0.1:0"
log_format = "json"
max_text_bytes = 1000
max_concurrent_requests = 3
admin = true
"#,
    )
    .unwrap();

    // The file alone (named by the variable).
    let mut command = gazetteer();
    command.args(["serve"]).env("GAZETTEER_CONFIG", &file);
    let server = ServerProcess::spawn(command);
    let (info, admin) = info_and_admin(&server).await;
    assert_eq!(info.max_text_bytes, 1000);
    assert_eq!(info.max_concurrent_requests, 3);
    assert_eq!(info.location, served.display().to_string());
    assert!(admin, "admin = true in the file");
    assert!(server.stop().success());

    // Variables over the file.
    let mut command = gazetteer();
    command
        .args(["serve", "--config"])
        .arg(&file)
        .env("GAZETTEER_MAX_TEXT_BYTES", "2000")
        .env("GAZETTEER_ADMIN", "false");
    let server = ServerProcess::spawn(command);
    let (info, admin) = info_and_admin(&server).await;
    assert_eq!(info.max_text_bytes, 2000);
    assert_eq!(info.max_concurrent_requests, 3, "still from the file");
    assert!(!admin, "GAZETTEER_ADMIN=false beats the file");
    assert!(server.stop().success());

    // Flags over both.
    let mut command = gazetteer();
    command
        .args(["serve", "--max-text-bytes", "3000", "--admin", "--config"])
        .arg(&file)
        .env("GAZETTEER_MAX_TEXT_BYTES", "2000")
        .env("GAZETTEER_ADMIN", "false");
    let server = ServerProcess::spawn(command);
    let (info, admin) = info_and_admin(&server).await;
    assert_eq!(info.max_text_bytes, 3000);
    assert!(admin, "--admin beats GAZETTEER_ADMIN=false");
    assert!(server.stop().success());

    // No file: the defaults.
    let mut command = gazetteer();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
        .arg("--index")
        .arg(&served);
    let server = ServerProcess::spawn(command);
    let (info, admin) = info_and_admin(&server).await;
    assert_eq!(info.max_text_bytes, 1 << 20);
    assert!(!admin);
    assert!(server.stop().success());
}

/// Runs `serve` with `file` as its configuration; a configuration that is
/// wrongly accepted fails on the missing index instead of serving forever.
fn serve_with_config(dir: &Path, file: &str) -> Output {
    let path = dir.join("gazetteer.toml");
    std::fs::write(&path, file).unwrap();
    gazetteer()
        .args(["serve", "--listen", "127.0.0.1:0", "--index"])
        .arg(dir.join("no-such-index"))
        .arg("--config")
        .arg(&path)
        .output()
        .unwrap()
}

fn assert_usage_error(output: &Output, expected: &[&str]) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(64), "stderr: {stderr}");
    for needle in expected {
        assert!(stderr.contains(needle), "{needle:?} missing from: {stderr}");
    }
}

#[test]
fn an_invalid_file_exits_64_naming_the_file_and_the_setting() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("gazetteer.toml").display().to_string();
    let cases: &[(&str, &[&str])] = &[
        ("max_text_byte = 5", &["unknown field", "max_text_byte"]),
        (
            "[server]\nlisten = \"127.0.0.1:0\"",
            &["unknown field", "server"],
        ),
        (
            "max_text_bytes = \"big\"",
            &["max_text_bytes", "invalid type"],
        ),
        ("admin = \"yes\"", &["admin", "invalid type"]),
        ("index = 5", &["index", "invalid type"]),
        (
            "listen = \"localhost\"",
            &["listen", "invalid socket address"],
        ),
        (
            "log_format = \"xml\"",
            &["log_format", "unknown variant `xml`"],
        ),
        (
            "max_text_bytes = 0",
            &["max_text_bytes = 0 is out of range", "1073741824"],
        ),
        (
            "max_text_bytes = 2000000000",
            &["max_text_bytes = 2000000000 is out of range"],
        ),
        (
            "max_concurrent_requests = 0",
            &["max_concurrent_requests = 0 is out of range"],
        ),
        (
            "max_concurrent_requests = -1",
            &["max_concurrent_requests", "invalid value"],
        ),
        ("max_text_bytes = ", &["TOML parse error", "max_text_bytes"]),
    ];
    for (file, expected) in cases {
        let output = serve_with_config(tmp.path(), file);
        let mut expected = expected.to_vec();
        expected.push(&path);
        assert_usage_error(&output, &expected);
    }
    // An overridden setting is still checked: the file is wrong either way.
    let path_buf = tmp.path().join("override.toml");
    std::fs::write(&path_buf, "max_text_bytes = 0").unwrap();
    let output = gazetteer()
        .args(["serve", "--max-text-bytes", "10", "--index"])
        .arg(tmp.path().join("no-such-index"))
        .arg("--config")
        .arg(&path_buf)
        .output()
        .unwrap();
    assert_usage_error(&output, &["max_text_bytes = 0"]);
}

#[test]
fn an_unreadable_file_or_bad_variable_exits_64() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("missing.toml");
    let output = gazetteer()
        .args(["serve", "--config"])
        .arg(&missing)
        .output()
        .unwrap();
    assert_usage_error(
        &output,
        &[
            "cannot read the configuration file",
            &missing.display().to_string(),
        ],
    );
    // A directory is not a file.
    let output = gazetteer()
        .args(["serve", "--config"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_usage_error(&output, &["cannot read the configuration file"]);

    for (variable, value, expected) in [
        ("GAZETTEER_MAX_TEXT_BYTES", "0", "--max-text-bytes"),
        (
            "GAZETTEER_MAX_CONCURRENT_REQUESTS",
            "many",
            "--max-concurrent-requests",
        ),
        ("GAZETTEER_LISTEN", "nowhere", "--listen"),
        ("GAZETTEER_LOG_FORMAT", "xml", "--log-format"),
        ("GAZETTEER_ADMIN", "maybe", "--admin"),
    ] {
        let output = gazetteer()
            .args(["serve", "--index"])
            .arg(tmp.path().join("no-such-index"))
            .env(variable, value)
            .output()
            .unwrap();
        assert_usage_error(&output, &[expected, value]);
    }
}
