//! Helpers for the operations tests (reload, configuration, metrics,
//! security): fixture indexes, an in-process server with every option, and
//! the real binary run as a server.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use gazetteer::grpc::IndexHandle;
use gazetteer::index::{BuildSource, Index, IndexBuilder, IndexFiles};
use gazetteer::reload::IndexReloader;
use gazetteer::server::ServeOptions;
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::{Channel, Endpoint};

use crate::common::fixture;

pub const TEHRAN: &str = "geonames:112931";
pub const MOSCOW: &str = "geonames:524901";
/// Only in index B.
pub const GAZETTEVILLE: &str = "example:gazetteville";

/// Index A: the test fixture `entities.jsonl`.
pub fn index_a() -> IndexFiles {
    build_index(
        "entities.jsonl",
        &std::fs::read_to_string(fixture("entities.jsonl")).unwrap(),
    )
}

/// Index B: the fixture without Moscow and with Gazetteville, so a
/// response shows which index resolved it.
pub fn index_b() -> IndexFiles {
    let fixture_lines = std::fs::read_to_string(fixture("entities.jsonl")).unwrap();
    let mut jsonl: String = fixture_lines
        .lines()
        .filter(|line| !line.contains(MOSCOW))
        .map(|line| format!("{line}\n"))
        .collect();
    jsonl.push_str(&format!(
        r#"{{"id":"{GAZETTEVILLE}","kind":"place","name":"Gazetteville","country":"FR","feature_code":"PPLA","population":250000}}"#
    ));
    jsonl.push('\n');
    build_index("entities-b.jsonl", &jsonl)
}

/// Builds an index from JSON Lines text with the library builder, reading
/// it from a file as `gazetteer build` does.
fn build_index(name: &str, jsonl: &str) -> IndexFiles {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, jsonl).unwrap();
    let records = gazetteer::ingest::read_jsonl_file(&path).expect("fixture JSONL parses");
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: name.to_string(),
            sha256: gazetteer::sha256_hex(jsonl.as_bytes()),
            records,
        })
        .expect("fixture records index");
    builder
        .finish("2024-01-01T00:00:00Z".into())
        .expect("fixture index builds")
}

/// Writes `files` to `dir` (atomically, as `gazetteer build --out` does)
/// and returns its version.
pub fn write_index(files: &IndexFiles, dir: &Path) -> String {
    files.write_dir(dir).expect("index written");
    files.meta.version.clone()
}

/// A server running in this process on a loopback port.
pub struct InProcessServer {
    pub addr: SocketAddr,
    pub channel: Channel,
    pub reloader: Arc<IndexReloader>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: JoinHandle<anyhow::Result<()>>,
}

impl InProcessServer {
    /// Serves the index in `dir` (reloadable) with `options`.
    pub async fn start_dir(dir: &Path, options: ServeOptions) -> Self {
        let index = Index::open(dir).expect("index opens");
        let reloader = IndexReloader::new(IndexHandle::new(Arc::new(index)), Some(dir.into()));
        Self::start(Arc::new(reloader), options).await
    }

    pub async fn start(reloader: Arc<IndexReloader>, options: ServeOptions) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(gazetteer::server::serve_with(
            listener,
            reloader.clone(),
            options,
            async {
                let _ = rx.await;
            },
        ));
        // Lazy, so a TLS server (reached through channels of its own) starts
        // as well; plaintext calls connect on first use.
        let channel = Endpoint::from_shared(format!("http://{addr}"))
            .expect("endpoint")
            .connect_lazy();
        Self {
            addr,
            channel,
            reloader,
            shutdown: Some(tx),
            handle,
        }
    }

    /// Signals shutdown and waits for `serve_with` to return Ok.
    pub async fn stop(mut self) {
        self.shutdown.take().expect("not stopped").send(()).ok();
        tokio::time::timeout(Duration::from_secs(20), self.handle)
            .await
            .expect("serve returns after shutdown")
            .expect("serve task does not panic")
            .expect("serve returns Ok after a clean shutdown");
    }
}

/// A plaintext channel to `addr`.
pub async fn connect(addr: SocketAddr) -> Channel {
    Endpoint::from_shared(format!("http://{addr}"))
        .expect("endpoint")
        .connect_timeout(Duration::from_secs(10))
        .connect()
        .await
        .expect("connect to the test server")
}

/// The binary with no `GAZETTEER_*` variable inherited from the test
/// environment.
pub fn gazetteer() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazetteer"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GAZETTEER_") {
            command.env_remove(name);
        }
    }
    command.stdin(Stdio::null());
    command
}

/// The binary running `serve`, its JSON log lines read on a thread.
pub struct ServerProcess {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Every log line read so far.
    pub log: Vec<String>,
    /// The address from the `SERVING` line.
    pub addr: SocketAddr,
}

/// How long to wait for a log line before declaring the server stuck: a
/// guard against hanging, not a measurement.
const LOG_WAIT: Duration = Duration::from_secs(120);

impl ServerProcess {
    /// Starts `command`, which must run `serve` with JSON logs, and waits
    /// for its `SERVING` line.
    pub fn spawn(mut command: Command) -> Self {
        let mut child = command
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut process = Self {
            child,
            lines,
            log: Vec::new(),
            addr: "0.0.0.0:0".parse().unwrap(),
        };
        let serving = process.wait_for_message("SERVING");
        process.addr = serving["fields"]["address"]
            .as_str()
            .expect("SERVING names the address")
            .parse()
            .expect("a socket address");
        process
    }

    /// Waits for the next JSON log line whose message is `message` and
    /// returns it; panics with the log so far if the process ends first.
    pub fn wait_for_message(&mut self, message: &str) -> Value {
        loop {
            let line = match self.lines.recv_timeout(LOG_WAIT) {
                Ok(line) => line,
                Err(_) => panic!(
                    "no log line {message:?}; exit {:?}; log so far:\n{}",
                    self.child.try_wait(),
                    self.log.join("\n")
                ),
            };
            self.log.push(line.clone());
            if let Ok(json) = serde_json::from_str::<Value>(&line) {
                if json["fields"]["message"] == message {
                    return json;
                }
            }
        }
    }

    /// Sends a signal by name (`HUP`, `TERM`).
    #[cfg(unix)]
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(status.success(), "kill -{name} failed");
    }

    /// Stops the server with SIGTERM (unix) and returns its exit status.
    pub fn stop(mut self) -> ExitStatus {
        #[cfg(unix)]
        self.signal("TERM");
        #[cfg(not(unix))]
        let _ = self.child.kill();
        self.child.wait().expect("the server exits")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        // A failed test must not leave a server running.
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
