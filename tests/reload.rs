//! Hot reload: the admin ReloadIndex call under load, broken directories,
//! the embedded gazetteer, and SIGHUP on the real binary.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gazetteer::grpc::IndexHandle;
use gazetteer::proto::admin::admin_client::AdminClient;
use gazetteer::proto::admin::ReloadIndexRequest;
use gazetteer::proto::resolver_client::ResolverClient;
use gazetteer::proto::{GetIndexInfoRequest, ResolveRequest, ResolveResponse};
use gazetteer::reload::IndexReloader;
use gazetteer::server::ServeOptions;
use tonic::transport::Channel;
use tonic::Code;

use crate::harness::{
    connect, gazetteer, index_a, index_b, write_index, InProcessServer, ServerProcess,
    GAZETTEVILLE, MOSCOW, TEHRAN,
};

const TEXT: &str = "Talks in Tehran, Moscow and Gazetteville.";

fn admin_options() -> ServeOptions {
    ServeOptions {
        admin: true,
        ..ServeOptions::default()
    }
}

async fn resolve(client: &mut ResolverClient<Channel>) -> Result<ResolveResponse, tonic::Status> {
    client
        .resolve(ResolveRequest {
            text: TEXT.into(),
            doc_id: String::new(),
            options: None,
        })
        .await
        .map(tonic::Response::into_inner)
}

fn ids(response: &ResolveResponse) -> Vec<String> {
    response
        .mentions
        .iter()
        .map(|m| m.entity.as_ref().unwrap().id.clone())
        .collect()
}

/// Checks that a response was resolved wholly by the index it names.
fn check_consistent(response: &ResolveResponse, a: &str, b: &str) -> Result<(), String> {
    let ids = ids(response);
    let expected = if response.index_version == a {
        [TEHRAN, MOSCOW]
    } else if response.index_version == b {
        [TEHRAN, GAZETTEVILLE]
    } else {
        return Err(format!(
            "index_version {:?} is neither {a} nor {b}",
            response.index_version
        ));
    };
    if ids == expected {
        Ok(())
    } else {
        Err(format!(
            "version {} resolved {ids:?}, expected {expected:?}",
            response.index_version
        ))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_reloads_under_load_fail_no_call() {
    let (a, b) = (index_a(), index_b());
    let (version_a, version_b) = (a.meta.version.clone(), b.meta.version.clone());
    assert_ne!(version_a, version_b);
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&a, &served);
    let server = InProcessServer::start_dir(
        &served,
        ServeOptions {
            limits: gazetteer::grpc::Limits {
                // No call under this test's load may be shed.
                max_concurrent_requests: 256,
                ..Default::default()
            },
            admin: true,
            ..ServeOptions::default()
        },
    )
    .await;

    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicUsize::new(0));
    let mut load = Vec::new();
    for task in 0..6 {
        // Half the tasks share the server's connection, half open their own.
        let channel = if task % 2 == 0 {
            server.channel.clone()
        } else {
            connect(server.addr).await
        };
        let (stop, done) = (stop.clone(), done.clone());
        let (va, vb) = (version_a.clone(), version_b.clone());
        load.push(tokio::spawn(async move {
            let mut client = ResolverClient::new(channel);
            let mut failures = Vec::new();
            let mut calls = 0usize;
            while !stop.load(Ordering::Relaxed) {
                match resolve(&mut client).await {
                    Ok(response) => {
                        if let Err(e) = check_consistent(&response, &va, &vb) {
                            failures.push(e);
                        }
                    }
                    Err(status) => failures.push(format!("call failed: {status:?}")),
                }
                calls += 1;
                done.fetch_add(1, Ordering::Relaxed);
            }
            (calls, failures)
        }));
    }

    let mut admin = AdminClient::new(server.channel.clone());
    let mut checker = ResolverClient::new(server.channel.clone());
    let mut serving = version_a.clone();
    for swap in 0..20 {
        let (files, expected) = if swap % 2 == 0 {
            (&b, &version_b)
        } else {
            (&a, &version_a)
        };
        // Replace the directory under the running server, as a rebuild does.
        let written = write_index(files, &served);
        let reloaded = admin
            .reload_index(ReloadIndexRequest {})
            .await
            .unwrap_or_else(|s| panic!("reload {swap}: {s:?}"))
            .into_inner();
        assert_eq!(reloaded.old_version, serving, "reload {swap}");
        assert_eq!(&reloaded.new_version, expected, "reload {swap}");
        assert_eq!(written, *expected);
        assert_eq!(reloaded.location, served.display().to_string());
        assert_eq!(reloaded.entity_count, files.meta.entity_count);
        assert_eq!(reloaded.name_count, files.meta.name_count);
        serving = expected.clone();
        // A call that starts after the reload answered sees the new index.
        let after = resolve(&mut checker).await.expect("call after reload");
        assert_eq!(&after.index_version, expected, "after reload {swap}");
        check_consistent(&after, &version_a, &version_b).unwrap();
        // Let the load run on the new index before the next swap.
        let target = done.load(Ordering::Relaxed) + 12;
        while done.load(Ordering::Relaxed) < target {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    stop.store(true, Ordering::Relaxed);

    let mut total = 0;
    let mut failures = Vec::new();
    for task in load {
        let (calls, task_failures) = task.await.expect("load task");
        total += calls;
        failures.extend(task_failures);
    }
    assert!(
        failures.is_empty(),
        "{} of {total} calls failed: {:?}",
        failures.len(),
        &failures[..failures.len().min(5)]
    );
    assert!(total >= 20 * 12, "only {total} calls ran");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_directory_keeps_the_old_index_serving() {
    let a = index_a();
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    let version_a = write_index(&a, &served);
    let server = InProcessServer::start_dir(&served, admin_options()).await;
    let mut admin = AdminClient::new(server.channel.clone());
    let mut resolver = ResolverClient::new(server.channel.clone());

    // Move the served index aside (its files stay mapped) and put a copy
    // with a truncated file in its place.
    let aside = tmp.path().join("aside");
    std::fs::rename(&served, &aside).unwrap();
    std::fs::create_dir(&served).unwrap();
    for entry in std::fs::read_dir(&aside).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), served.join(entry.file_name())).unwrap();
    }
    let postings = served.join("postings.bin");
    let len = std::fs::metadata(&postings).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&postings)
        .unwrap()
        .set_len(len / 2)
        .unwrap();

    let status = admin
        .reload_index(ReloadIndexRequest {})
        .await
        .expect_err("a truncated index does not load");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    let message = status.message();
    assert!(
        message.contains(&postings.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("bytes where meta.json records"),
        "{message}"
    );
    assert!(message.contains(&version_a), "{message}");
    let still = resolve(&mut resolver).await.expect("still serving");
    assert_eq!(still.index_version, version_a);
    assert_eq!(ids(&still), [TEHRAN, MOSCOW]);

    // No directory at all.
    std::fs::remove_dir_all(&served).unwrap();
    let status = admin
        .reload_index(ReloadIndexRequest {})
        .await
        .expect_err("a missing directory does not load");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert!(
        status.message().contains(&served.display().to_string()),
        "{}",
        status.message()
    );
    assert_eq!(
        resolve(&mut resolver).await.unwrap().index_version,
        version_a
    );

    // Fixed: the next reload takes.
    let version_b = write_index(&index_b(), &served);
    let reloaded = admin
        .reload_index(ReloadIndexRequest {})
        .await
        .expect("reload after the fix")
        .into_inner();
    assert_eq!(
        (reloaded.old_version, reloaded.new_version),
        (version_a, version_b.clone())
    );
    assert_eq!(
        resolve(&mut resolver).await.unwrap().index_version,
        version_b
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reloading_the_embedded_gazetteer_is_failed_precondition() {
    let index = tokio::task::spawn_blocking(crate::common::index)
        .await
        .unwrap();
    let version = index.version().to_string();
    let reloader = Arc::new(IndexReloader::new(IndexHandle::new(index), None));
    let server = InProcessServer::start(reloader, admin_options()).await;
    let status = AdminClient::new(server.channel.clone())
        .reload_index(ReloadIndexRequest {})
        .await
        .expect_err("nothing to reload");
    assert_eq!(status.code(), Code::FailedPrecondition, "{status:?}");
    assert!(
        status.message().contains("embedded default gazetteer")
            && status.message().contains("nothing to reload"),
        "{}",
        status.message()
    );
    let info = ResolverClient::new(server.channel.clone())
        .get_index_info(GetIndexInfoRequest {})
        .await
        .unwrap()
        .into_inner();
    assert_eq!(info.version, version);
    server.stop().await;
}

async fn reflected_services(channel: Channel) -> Vec<String> {
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;

    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = ServerReflectionClient::new(channel)
        .server_reflection_info(tokio_stream::iter(vec![request]))
        .await
        .expect("reflection")
        .into_inner();
    match stream.message().await.unwrap().unwrap().message_response {
        Some(MessageResponse::ListServicesResponse(list)) => {
            list.service.into_iter().map(|s| s.name).collect()
        }
        other => panic!("unexpected reflection response {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_admin_service_is_off_unless_enabled_and_reflected_when_on() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    write_index(&index_a(), &served);

    let off = InProcessServer::start_dir(&served, ServeOptions::default()).await;
    let status = AdminClient::new(off.channel.clone())
        .reload_index(ReloadIndexRequest {})
        .await
        .expect_err("no admin service");
    assert_eq!(status.code(), Code::Unimplemented, "{status:?}");
    let services = reflected_services(off.channel.clone()).await;
    assert!(
        !services.iter().any(|s| s == "gazetteer.admin.v1.Admin"),
        "{services:?}"
    );
    off.stop().await;

    let on = InProcessServer::start_dir(&served, admin_options()).await;
    let services = reflected_services(on.channel.clone()).await;
    assert!(
        services.iter().any(|s| s == "gazetteer.admin.v1.Admin"),
        "{services:?}"
    );
    assert!(services.iter().any(|s| s == "gazetteer.v1.Resolver"));
    on.stop().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_reloads_the_binary_and_a_broken_index_keeps_the_old_one() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    let version_a = write_index(&index_a(), &served);
    let mut command = gazetteer();
    command
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--log-format",
            "json",
            "--index",
        ])
        .arg(&served);
    let mut server = ServerProcess::spawn(command);
    let mut client = ResolverClient::new(connect(server.addr).await);
    assert_eq!(resolve(&mut client).await.unwrap().index_version, version_a);

    let version_b = write_index(&index_b(), &served);
    server.signal("HUP");
    let line = server.wait_for_message("index reloaded");
    assert_eq!(line["fields"]["old_version"], version_a.as_str());
    assert_eq!(line["fields"]["new_version"], version_b.as_str());
    let after = resolve(&mut client).await.unwrap();
    assert_eq!(after.index_version, version_b);
    assert_eq!(ids(&after), [TEHRAN, GAZETTEVILLE]);

    // Break the directory: meta.json from a future format.
    let meta_path = served.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&meta_path).unwrap()).unwrap();
    meta["format_version"] = 9999.into();
    let aside = tmp.path().join("aside");
    std::fs::rename(&served, &aside).unwrap();
    std::fs::create_dir(&served).unwrap();
    std::fs::write(&meta_path, serde_json::to_vec(&meta).unwrap()).unwrap();
    server.signal("HUP");
    let line = server.wait_for_message("index reload failed");
    let error = line["fields"]["error"].as_str().unwrap();
    assert!(error.contains("format version 9999"), "{error}");
    assert!(error.contains(&version_b), "{error}");
    assert_eq!(resolve(&mut client).await.unwrap().index_version, version_b);

    let status = server.stop();
    assert!(status.success(), "exit {status:?}");
}
