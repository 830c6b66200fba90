//! Runtime wiring: the gRPC server with health and reflection, started on a
//! bound listener and stopped by a shutdown future.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

use tonic::service::interceptor::InterceptedService;

use crate::grpc::{stamp_arrival, IndexHandle, Limits, ResolverService};
use crate::index::Index;
use crate::proto::resolver_server::ResolverServer;

/// Name under which health reports the resolver.
pub const RESOLVER_SERVICE_NAME: &str = "gazetteer.v1.Resolver";

/// Serves the resolver, health and reflection on `listener` until
/// `shutdown` completes; health then reports NOT_SERVING while calls in
/// flight finish.
pub async fn serve(
    listener: TcpListener,
    index: Arc<Index>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let (health, health_service) = tonic_health::server::health_reporter();
    health
        .set_service_status(RESOLVER_SERVICE_NAME, ServingStatus::Serving)
        .await;
    let resolver = ResolverServer::new(ResolverService::new(IndexHandle::new(index), limits))
        .max_decoding_message_size(limits.max_message_bytes())
        .max_encoding_message_size(usize::MAX);
    let resolver = InterceptedService::new(resolver, stamp_arrival);

    let reflection_v1 = reflection_builder().build_v1()?;
    let reflection_v1alpha = reflection_builder().build_v1alpha()?;

    let shutdown_health = health.clone();
    let shutdown = async move {
        shutdown.await;
        shutdown_health
            .set_service_status("", ServingStatus::NotServing)
            .await;
        shutdown_health
            .set_service_status(RESOLVER_SERVICE_NAME, ServingStatus::NotServing)
            .await;
        tracing::info!("shutting down: NOT_SERVING, draining calls in flight");
    };

    tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(resolver)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await?;
    Ok(())
}

fn reflection_builder() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(crate::proto::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}
