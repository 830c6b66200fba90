//! `gazetteer.v1.Resolver`: thin handlers that validate, convert, run the
//! core on the blocking pool and convert back.

use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, Semaphore};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::Stream;
use tonic::{Request, Response, Status, Streaming};
use tracing::Instrument;

use super::{convert, ServiceError};
use crate::index::Index;
use crate::metrics::Metrics;
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

    /// Replaces the index and returns the one it replaced; calls in flight
    /// finish on the old one.
    pub fn swap(&self, index: Arc<Index>) -> Arc<Index> {
        std::mem::replace(
            &mut *self.0.write().unwrap_or_else(|e| e.into_inner()),
            index,
        )
    }
}

/// Request limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest text, in UTF-8 bytes.
    pub max_text_bytes: usize,
    /// Most documents in one batch.
    pub max_batch_documents: usize,
    /// Most calls (and stream documents) worked on at once; unary calls
    /// beyond it are shed with RESOURCE_EXHAUSTED.
    pub max_concurrent_requests: usize,
}

impl Limits {
    /// Largest gRPC message the server accepts: room for the biggest text
    /// and its envelope, and never under 16 MiB so batches fit.
    pub fn max_message_bytes(&self) -> usize {
        (16 << 20usize).max(self.max_text_bytes.saturating_add(64 << 10))
    }
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            max_text_bytes: 1 << 20,
            max_batch_documents: 1_000,
            max_concurrent_requests: 4 * cores,
        }
    }
}

/// Answers a stream holds ready before the client takes them.
const STREAM_BUFFER: usize = 4;

/// Implementation of `gazetteer.v1.Resolver`.
#[derive(Debug, Clone)]
pub struct ResolverService {
    index: IndexHandle,
    limits: Limits,
    permits: Arc<Semaphore>,
    /// One per core: large documents admitted beyond these wait their turn
    /// instead of sharing the cores (dozens of threads time-slicing one
    /// core cost 4× the CPU per document in load runs).
    cpu_slots: Arc<Semaphore>,
    metrics: Arc<Metrics>,
}

/// How much CPU a piece of work may take, which decides where it runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WorkSize {
    /// Short enough to run on the async worker without stalling others.
    Small,
    /// Runs on the blocking pool.
    Large,
}

impl WorkSize {
    /// Text up to this many bytes resolves on the async worker: about
    /// 100–300 µs of CPU for news text, within what tokio advises between
    /// two awaits.
    const INLINE_TEXT_BYTES: usize = 4 * 1024;

    fn of_text(bytes: usize) -> Self {
        if bytes <= Self::INLINE_TEXT_BYTES {
            Self::Small
        } else {
            Self::Large
        }
    }
}

/// Whether work waits for a free slot or is shed at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WhenBusy {
    Shed,
    Wait,
}

impl ResolverService {
    /// A service over `index` with `limits`, counting shed calls in
    /// `metrics`.
    pub fn new(index: IndexHandle, limits: Limits, metrics: Arc<Metrics>) -> Self {
        let permits = Arc::new(Semaphore::new(limits.max_concurrent_requests.max(1)));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            index,
            limits,
            permits,
            cpu_slots: Arc::new(Semaphore::new(cores)),
            metrics,
        }
    }

    /// Runs CPU-bound work within the concurrency limit and the client's
    /// deadline: `Small` work (a few hundred microseconds at most) right
    /// here on the async worker, larger work on the blocking pool, one
    /// document per core at a time. Work
    /// whose caller is gone finishes the document at hand and keeps its
    /// slot until then, so the limit counts it honestly.
    async fn run<T: Send + 'static>(
        &self,
        busy: WhenBusy,
        (size, deadline): (WorkSize, Option<Duration>),
        work: impl FnOnce() -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, Status> {
        let permit = match busy {
            WhenBusy::Shed => self.permits.clone().try_acquire_owned().map_err(|_| {
                self.metrics.call_shed();
                ServiceError::Overloaded(format!(
                    "the server is resolving its limit of {} requests at once; retry with backoff \
                     (server flag --max-concurrent-requests)",
                    self.limits.max_concurrent_requests
                ))
            })?,
            WhenBusy::Wait => self
                .permits
                .clone()
                .acquire_owned()
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?,
        };
        if size == WorkSize::Small {
            if deadline.is_some_and(|budget| budget.is_zero()) {
                return Err(ServiceError::DeadlineExceeded(
                    "the client's deadline passed before resolving started".into(),
                )
                .into());
            }
            // The hop to the blocking pool (two context switches and a
            // wake-up) would cost more CPU than resolving a short text.
            let _permit = permit;
            return work().map_err(Status::from);
        }
        let cpu_slots = self.cpu_slots.clone();
        // Dropped at the deadline while waiting for a core: no work done.
        let worked = async move {
            let slot = cpu_slots
                .acquire_owned()
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))?;
            tokio::task::spawn_blocking(move || {
                let (_permit, _slot) = (permit, slot);
                work()
            })
            .await
            .map_err(|e| ServiceError::Internal(format!("worker failed: {e}")))?
        };
        let result = match deadline {
            Some(budget) => tokio::time::timeout(budget, worked).await.map_err(|_| {
                ServiceError::DeadlineExceeded(format!(
                    "the client's deadline of {} ms passed before resolving finished",
                    budget.as_millis()
                ))
            })?,
            None => worked.await,
        };
        result.map_err(Status::from)
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
            error: None,
        })
    }
}

/// When a call's headers arrived, stamped by [`stamp_arrival`] before its
/// body is decoded: the transport's own timeout runs from then too.
#[derive(Debug, Clone, Copy)]
struct ArrivedAt(Instant);

/// Interceptor that stamps each call with its arrival time.
pub fn stamp_arrival(mut request: Request<()>) -> Result<Request<()>, Status> {
    request.extensions_mut().insert(ArrivedAt(Instant::now()));
    Ok(request)
}

/// The time left before the client's deadline (`grpc-timeout`), less a
/// small margin so the answer is DEADLINE_EXCEEDED from us rather than a
/// cancellation from the transport.
fn deadline<T>(request: &Request<T>) -> Option<Duration> {
    let value = request.metadata().get("grpc-timeout")?.to_str().ok()?;
    let (digits, unit) = value.split_at(value.len().checked_sub(1)?);
    let amount: u64 = digits.parse().ok()?;
    let budget = match unit {
        "H" => Duration::from_secs(amount.saturating_mul(3600)),
        "M" => Duration::from_secs(amount.saturating_mul(60)),
        "S" => Duration::from_secs(amount),
        "m" => Duration::from_millis(amount),
        "u" => Duration::from_micros(amount),
        "n" => Duration::from_nanos(amount),
        _ => return None,
    };
    let arrived = request
        .extensions()
        .get::<ArrivedAt>()
        .map_or_else(Instant::now, |a| a.0);
    let left = (arrived + budget).saturating_duration_since(Instant::now());
    Some(left.saturating_sub(DEADLINE_MARGIN.min(budget / 5)))
}

/// How much earlier than the deadline we give up, so our answer reaches
/// the client before its own timer fires (at most a fifth of the budget).
const DEADLINE_MARGIN: Duration = Duration::from_millis(50);

#[tonic::async_trait]
impl Resolver for ResolverService {
    async fn resolve(
        &self,
        request: Request<proto::ResolveRequest>,
    ) -> Result<Response<proto::ResolveResponse>, Status> {
        let index = self.index.current();
        let limits = self.limits;
        let budget = deadline(&request);
        let request = request.into_inner();
        let size = WorkSize::of_text(request.text.len());
        let span = tracing::Span::current();
        span.record("doc_id", request.doc_id.as_str());
        span.record("text_bytes", request.text.len());
        let response = self
            .run(WhenBusy::Shed, (size, budget), move || {
                Self::resolve_one(&index, limits, request)
            })
            .await?;
        span.record("mentions", response.mentions.len());
        Ok(Response::new(response))
    }

    async fn resolve_batch(
        &self,
        request: Request<proto::ResolveBatchRequest>,
    ) -> Result<Response<proto::ResolveBatchResponse>, Status> {
        let budget = deadline(&request);
        let proto::ResolveBatchRequest { requests } = request.into_inner();
        let span = tracing::Span::current();
        span.record("documents", requests.len());
        span.record(
            "text_bytes",
            requests.iter().map(|r| r.text.len()).sum::<usize>(),
        );
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
        let size = WorkSize::of_text(requests.iter().map(|r| r.text.len()).sum());
        let results: Vec<proto::ResolveResult> = self
            .run(WhenBusy::Shed, (size, budget), move || {
                Ok(requests
                    .into_iter()
                    .map(|request| {
                        let doc_id = request.doc_id.clone();
                        let outcome = match Self::resolve_one(&index, limits, request) {
                            Ok(response) => proto::resolve_result::Outcome::Response(response),
                            Err(error) => {
                                proto::resolve_result::Outcome::Error(proto::DocumentError {
                                    doc_id,
                                    code: error.code() as i32,
                                    message: error.to_string(),
                                })
                            }
                        };
                        proto::ResolveResult {
                            outcome: Some(outcome),
                        }
                    })
                    .collect())
            })
            .await?;
        let mentions: usize = results
            .iter()
            .map(|r| match &r.outcome {
                Some(proto::resolve_result::Outcome::Response(r)) => r.mentions.len(),
                _ => 0,
            })
            .sum();
        span.record("mentions", mentions);
        Ok(Response::new(proto::ResolveBatchResponse { results }))
    }

    async fn lookup(
        &self,
        request: Request<proto::LookupRequest>,
    ) -> Result<Response<proto::LookupResponse>, Status> {
        let budget = deadline(&request);
        let proto::LookupRequest {
            name,
            prefix,
            limit,
            kinds,
        } = request.into_inner();
        let span = tracing::Span::current();
        span.record("text_bytes", name.len());
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
        let response = self
            // A prefix may reach many keys: off the async worker.
            .run(WhenBusy::Shed, (WorkSize::Large, budget), move || {
                let matches = lookup(&index, &name, &options)?;
                Ok(proto::LookupResponse {
                    matches: matches.into_iter().map(convert::lookup_match).collect(),
                    index_version: index.version().to_string(),
                })
            })
            .await?;
        span.record("mentions", response.matches.len());
        Ok(Response::new(response))
    }

    async fn get_entity(
        &self,
        request: Request<proto::GetEntityRequest>,
    ) -> Result<Response<proto::Entity>, Status> {
        let proto::GetEntityRequest { id } = request.into_inner();
        tracing::Span::current().record("doc_id", id.as_str());
        let index = self.index.current();
        let ordinal = index.find_any_id(&id).ok_or_else(|| {
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
            max_concurrent_requests: self.limits.max_concurrent_requests as u32,
            max_message_bytes: self.limits.max_message_bytes() as u64,
        }))
    }

    type ResolveStreamStream =
        Pin<Box<dyn Stream<Item = Result<proto::ResolveResponse, Status>> + Send + 'static>>;

    async fn resolve_stream(
        &self,
        request: Request<Streaming<proto::ResolveRequest>>,
    ) -> Result<Response<Self::ResolveStreamStream>, Status> {
        let mut inbound = request.into_inner();
        // A small buffer: when the client stops reading, `send` waits, the
        // loop stops reading requests, and HTTP/2 flow control pushes back.
        let (answers, outbound) = mpsc::channel(STREAM_BUFFER);
        let service = self.clone();
        // The stream outlives this handler; its totals go on the call's span.
        let span = tracing::Span::current();
        let worker_span = span.clone();
        tokio::spawn(
            async move {
                let (mut documents, mut text_bytes, mut mentions) = (0usize, 0usize, 0usize);
                loop {
                    let request = match inbound.message().await {
                        Ok(Some(request)) => request,
                        Ok(None) => break,
                        Err(status) => {
                            let _ = answers.send(Err(status)).await;
                            break;
                        }
                    };
                    let index = service.index.current();
                    let version = index.version().to_string();
                    let doc_id = request.doc_id.clone();
                    documents += 1;
                    text_bytes += request.text.len();
                    let limits = service.limits;
                    let size = WorkSize::of_text(request.text.len());
                    let answer = service
                        .run(WhenBusy::Wait, (size, None), move || {
                            Self::resolve_one(&index, limits, request)
                        })
                        .await
                        .unwrap_or_else(|status| proto::ResolveResponse {
                            doc_id: doc_id.clone(),
                            mentions: Vec::new(),
                            index_version: version,
                            error: Some(proto::DocumentError {
                                doc_id,
                                code: status.code() as i32,
                                message: status.message().to_string(),
                            }),
                        });
                    mentions += answer.mentions.len();
                    if answers.send(Ok(answer)).await.is_err() {
                        // The client went away.
                        break;
                    }
                }
                span.record("documents", documents);
                span.record("text_bytes", text_bytes);
                span.record("mentions", mentions);
            }
            .instrument(worker_span),
        );
        Ok(Response::new(Box::pin(ReceiverStream::new(outbound))))
    }
}
