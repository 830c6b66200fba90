//! A `gazetteer.v1.Resolver` whose Resolve decodes the request and answers
//! an empty response without resolving: the transport's own cost, for
//! comparison with the real server under the same load. The other methods
//! answer UNIMPLEMENTED. Reflection is on, so ghz and grpcurl need no proto.

use std::future::Future;
use std::pin::Pin;

use tokio::net::TcpListener;
use tonic::transport::server::TcpIncoming;
use tonic::{Request, Response, Status};

use gazetteer::proto::resolver_server::{Resolver, ResolverServer};
use gazetteer::proto::{
    Entity, GetEntityRequest, GetIndexInfoRequest, IndexInfo, LookupRequest, LookupResponse,
    ResolveBatchRequest, ResolveBatchResponse, ResolveRequest, ResolveResponse,
};

/// `index_version` of the no-op answers, so a client can tell them apart.
pub const NOOP_INDEX_VERSION: &str = "noop";

/// Largest request accepted, as large as the real server's default.
const MAX_MESSAGE_BYTES: usize = 64 << 20;

/// The no-op resolver.
#[derive(Debug, Clone, Copy)]
pub struct NoopResolver {
    /// Answer from the blocking pool, as the real server resolves.
    pub blocking: bool,
}

fn empty_answer(request: ResolveRequest) -> ResolveResponse {
    ResolveResponse {
        doc_id: request.doc_id,
        index_version: NOOP_INDEX_VERSION.to_string(),
        ..ResolveResponse::default()
    }
}

#[tonic::async_trait]
impl Resolver for NoopResolver {
    async fn resolve(
        &self,
        request: Request<ResolveRequest>,
    ) -> Result<Response<ResolveResponse>, Status> {
        let request = request.into_inner();
        let answer = if self.blocking {
            tokio::task::spawn_blocking(move || empty_answer(request))
                .await
                .map_err(|e| Status::internal(e.to_string()))?
        } else {
            empty_answer(request)
        };
        Ok(Response::new(answer))
    }

    async fn resolve_batch(
        &self,
        _: Request<ResolveBatchRequest>,
    ) -> Result<Response<ResolveBatchResponse>, Status> {
        Err(unimplemented())
    }

    type ResolveStreamStream =
        Pin<Box<dyn tokio_stream::Stream<Item = Result<ResolveResponse, Status>> + Send + 'static>>;

    async fn resolve_stream(
        &self,
        _: Request<tonic::Streaming<ResolveRequest>>,
    ) -> Result<Response<Self::ResolveStreamStream>, Status> {
        Err(unimplemented())
    }

    async fn lookup(&self, _: Request<LookupRequest>) -> Result<Response<LookupResponse>, Status> {
        Err(unimplemented())
    }

    async fn get_entity(&self, _: Request<GetEntityRequest>) -> Result<Response<Entity>, Status> {
        Err(unimplemented())
    }

    async fn get_index_info(
        &self,
        _: Request<GetIndexInfoRequest>,
    ) -> Result<Response<IndexInfo>, Status> {
        Err(unimplemented())
    }
}

fn unimplemented() -> Status {
    Status::unimplemented("the no-op load-test server answers Resolve only")
}

/// Serves the no-op resolver (and reflection) on `listener` until
/// `shutdown` completes. Accepted sockets keep Nagle's algorithm unless
/// `nodelay`, as the real server's (which serves a `TcpListenerStream`).
pub async fn serve(
    listener: TcpListener,
    blocking: bool,
    nodelay: bool,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let resolver = ResolverServer::new(NoopResolver { blocking })
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(usize::MAX);
    let reflection = tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(gazetteer::proto::FILE_DESCRIPTOR_SET)
        .build_v1()?;
    tonic::transport::Server::builder()
        .add_service(reflection)
        .add_service(resolver)
        .serve_with_incoming_shutdown(
            TcpIncoming::from(listener).with_nodelay(nodelay.then_some(true)),
            shutdown,
        )
        .await?;
    Ok(())
}
