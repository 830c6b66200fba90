//! `gazetteer.v1.Resolver`: thin handlers that validate, convert, run the
//! core on the blocking pool and convert back.

use std::sync::{Arc, RwLock};

use tonic::{Request, Response, Status};

use super::{convert, ServiceError};
use crate::index::Index;
use crate::proto::{self, resolver_server::Resolver};
use crate::resolve::{lookup, resolve, LookupOptions};

/// The index being served; swapped whole, so a call keeps the index it
/// started with.
#[derive(Debug, Clone)]
pub struct IndexHandle(Arc<RwLock<Arc<Index>>>);

impl IndexHandle {
    /// A handle serving `index`.
    pub fn new(index: Arc<Index>) -> Self {
        Self(Arc::new(RwLock::new(index)))
    }

    /// The current index.
    pub fn current(&self) -> Arc<Index> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces the index; calls in flight finish on the old one.
    pub fn swap(&self, index: Arc<Index>) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = index;
    }
}

/// Request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest text, in UTF-8 bytes.
    pub max_text_bytes: usize,
    /// Most documents in one batch.
    pub max_batch_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_text_bytes: 1 << 20,
            max_batch_documents: 1_000,
        }
    }
}

/// Implementation of `gazetteer.v1.Resolver`.
#[derive(Debug, Clone)]
pub struct ResolverService {
    index: IndexHandle,
    limits: Limits,
}

impl ResolverService {
    /// A service over `index` with `limits`.
    pub fn new(index: IndexHandle, limits: Limits) -> Self {
        Self { index, limits }
    }

    fn resolve_one(
        index: &Index,
        limits: Limits,
        request: proto::ResolveRequest,
    ) -> Result<proto::ResolveResponse, ServiceError> {
        let proto::ResolveRequest {
            text,
            doc_id,
            options,
        } = request;
        if text.len() > limits.max_text_bytes {
            return Err(ServiceError::InvalidArgument(format!(
                "text is {} bytes; the limit is {} bytes (server flag --max-text-bytes)",
                text.len(),
                limits.max_text_bytes
            )));
        }
        let options = convert::resolve_options(options)?;
        let mentions = resolve(index, &text, &options)?;
        Ok(proto::ResolveResponse {
            doc_id,
            mentions: mentions.into_iter().map(convert::mention).collect(),
            index_version: index.version().to_string(),
        })
    }
}

/// Runs CPU-bound work off the async reactor.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
) -> Result<T, Status> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(format!("worker failed: {e}")))?
        .map_err(Status::from)
}

#[tonic::async_trait]
impl Resolver for ResolverService {
    async fn resolve(
        &self,
        request: Request<proto::ResolveRequest>,
    ) -> Result<Response<proto::ResolveResponse>, Status> {
        let index = self.index.current();
        let limits = self.limits;
        let request = request.into_inner();
        let started = std::time::Instant::now();
        let (doc_id, text_bytes) = (request.doc_id.clone(), request.text.len());
        let result = blocking(move || Self::resolve_one(&index, limits, request)).await;
        tracing::debug!(
            method = "Resolve",
            doc_id,
            text_bytes,
            mentions = result.as_ref().map_or(0, |r| r.mentions.len()),
            micros = started.elapsed().as_micros() as u64,
            outcome = ?result.as_ref().map(|_| ()).map_err(|s| s.code()),
        );
        result.map(Response::new)
    }

    async fn resolve_batch(
        &self,
        request: Request<proto::ResolveBatchRequest>,
    ) -> Result<Response<proto::ResolveBatchResponse>, Status> {
        let proto::ResolveBatchRequest { requests } = request.into_inner();
        let limits = self.limits;
        if requests.len() > limits.max_batch_documents {
            return Err(ServiceError::InvalidArgument(format!(
                "requests holds {} documents; the limit is {} per batch",
                requests.len(),
                limits.max_batch_documents
            ))
            .into());
        }
        let index = self.index.current();
        let results = blocking(move || {
            Ok(requests
                .into_iter()
                .map(|request| {
                    let doc_id = request.doc_id.clone();
                    let outcome = match Self::resolve_one(&index, limits, request) {
                        Ok(response) => proto::resolve_result::Outcome::Response(response),
                        Err(error) => proto::resolve_result::Outcome::Error(proto::DocumentError {
                            doc_id,
                            code: error.code() as i32,
                            message: error.to_string(),
                        }),
                    };
                    proto::ResolveResult {
                        outcome: Some(outcome),
                    }
                })
                .collect())
        })
        .await?;
        Ok(Response::new(proto::ResolveBatchResponse { results }))
    }

    async fn lookup(
        &self,
        request: Request<proto::LookupRequest>,
    ) -> Result<Response<proto::LookupResponse>, Status> {
        let proto::LookupRequest {
            name,
            prefix,
            limit,
            kinds,
        } = request.into_inner();
        if name.len() > 1024 {
            return Err(ServiceError::InvalidArgument(format!(
                "name is {} bytes; the limit is 1024 bytes",
                name.len()
            ))
            .into());
        }
        let options = LookupOptions {
            prefix,
            limit: limit as usize,
            kinds: convert::entity_kinds(&kinds, "kinds")?,
        };
        let index = self.index.current();
        let response = blocking(move || {
            let matches = lookup(&index, &name, &options)?;
            Ok(proto::LookupResponse {
                matches: matches.into_iter().map(convert::lookup_match).collect(),
                index_version: index.version().to_string(),
            })
        })
        .await?;
        Ok(Response::new(response))
    }

    async fn get_entity(
        &self,
        request: Request<proto::GetEntityRequest>,
    ) -> Result<Response<proto::Entity>, Status> {
        let proto::GetEntityRequest { id } = request.into_inner();
        let index = self.index.current();
        let ordinal = index.find_id(&id).ok_or_else(|| {
            ServiceError::NotFound(format!(
                "no entity with id {id:?} in index {}",
                index.version()
            ))
        })?;
        let entity = index.entity(ordinal).map_err(ServiceError::from)?;
        Ok(Response::new(convert::entity(&entity)))
    }

    async fn get_index_info(
        &self,
        request: Request<proto::GetIndexInfoRequest>,
    ) -> Result<Response<proto::IndexInfo>, Status> {
        let proto::GetIndexInfoRequest {} = request.into_inner();
        let index = self.index.current();
        let meta = index.meta();
        Ok(Response::new(proto::IndexInfo {
            version: meta.version.clone(),
            entity_count: meta.entity_count,
            name_count: meta.name_count,
            entities_by_kind: meta
                .entities_by_kind
                .iter()
                .map(|(k, v)| (k.clone(), *v))
                .collect(),
            built_at: meta.built_at.clone(),
            sources: meta
                .sources
                .iter()
                .map(|s| proto::IndexSource {
                    name: s.name.clone(),
                    records: s.records,
                    sha256: s.sha256.clone(),
                })
                .collect(),
            format_version: meta.format_version,
            max_text_bytes: self.limits.max_text_bytes as u64,
            location: index.location().to_string(),
        }))
    }
}
