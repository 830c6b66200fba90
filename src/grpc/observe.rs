//! A tower layer around every gRPC call: a tracing span (method, then the
//! handler's doc_id, documents, text_bytes, mentions; at the end code and
//! duration_ms) and the call metrics. It sits outside the services, so calls
//! refused before a handler runs (bad token, unknown method, undecodable
//! message) are counted too.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use http_body::{Body, Frame, SizeHint};
use hyper::body::Bytes;
use tonic::Code;
use tracing::field::Empty;
use tracing::Instrument;

use crate::metrics::Metrics;

/// Methods the server knows; anything else is labelled `unknown`, so a
/// client cannot grow the metrics without bound.
const KNOWN_METHODS: &[&str] = &[
    "gazetteer.v1.Resolver/Resolve",
    "gazetteer.v1.Resolver/ResolveBatch",
    "gazetteer.v1.Resolver/ResolveStream",
    "gazetteer.v1.Resolver/Lookup",
    "gazetteer.v1.Resolver/GetEntity",
    "gazetteer.v1.Resolver/GetIndexInfo",
    "gazetteer.admin.v1.Admin/ReloadIndex",
    "grpc.health.v1.Health/Check",
    "grpc.health.v1.Health/Watch",
    "grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
    "grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

fn method_label(path: &str) -> &'static str {
    let name = path.strip_prefix('/').unwrap_or(path);
    KNOWN_METHODS
        .iter()
        .find(|known| **known == name)
        .copied()
        .unwrap_or("unknown")
}

/// The canonical name of a gRPC status code, as metrics label it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// The status in `grpc-status`, if the header map has one.
fn grpc_status(headers: &http::HeaderMap) -> Option<Code> {
    let value = headers.get("grpc-status")?.to_str().ok()?;
    Some(Code::from_i32(value.parse().ok()?))
}

/// Layer adding [`Observe`] to a service.
#[derive(Debug, Clone)]
pub struct ObserveLayer {
    metrics: Arc<Metrics>,
}

impl ObserveLayer {
    /// A layer recording into `metrics`.
    pub fn new(metrics: Arc<Metrics>) -> Self {
        Self { metrics }
    }
}

impl<S> tower::Layer<S> for ObserveLayer {
    type Service = Observe<S>;

    fn layer(&self, inner: S) -> Observe<S> {
        Observe {
            inner,
            metrics: self.metrics.clone(),
        }
    }
}

/// Traces and measures each call of the inner service.
#[derive(Debug, Clone)]
pub struct Observe<S> {
    inner: S,
    metrics: Arc<Metrics>,
}

impl<S, B> tower::Service<http::Request<B>> for Observe<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = http::Response<ObservedBody>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let method = method_label(request.uri().path());
        let span = tracing::info_span!(
            "call",
            method,
            doc_id = Empty,
            documents = Empty,
            text_bytes = Empty,
            mentions = Empty,
            code = Empty,
            duration_ms = Empty,
        );
        let call = CallRecord::start(self.metrics.clone(), method, span.clone());
        // The clone that was made ready serves this call (tower's rule).
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        let response = inner.call(request).instrument(span);
        Box::pin(async move {
            // An error here drops `call`, which records it as CANCELLED.
            let response = response.await?;
            let (parts, body) = response.into_parts();
            // A trailers-only answer (every error) has its status in the
            // headers; otherwise it comes in the body's trailers.
            let call = match grpc_status(&parts.headers) {
                Some(code) => {
                    call.finish(code);
                    None
                }
                None => Some(call),
            };
            Ok(http::Response::from_parts(
                parts,
                ObservedBody { inner: body, call },
            ))
        })
    }
}

/// A call being measured; recorded once, when its status is known or when
/// it is dropped unfinished (the client went away: CANCELLED).
struct CallRecord {
    metrics: Arc<Metrics>,
    method: &'static str,
    span: tracing::Span,
    started: Instant,
    finished: bool,
}

impl CallRecord {
    fn start(metrics: Arc<Metrics>, method: &'static str, span: tracing::Span) -> Self {
        metrics.call_started(method);
        Self {
            metrics,
            method,
            span,
            started: Instant::now(),
            finished: false,
        }
    }

    fn finish(mut self, code: Code) {
        self.record(code);
    }

    fn record(&mut self, code: Code) {
        if std::mem::replace(&mut self.finished, true) {
            return;
        }
        let elapsed = self.started.elapsed();
        let name = code_name(code);
        self.metrics.call_finished(self.method, name, elapsed);
        let duration_ms = elapsed.as_secs_f64() * 1e3;
        self.span.record("code", name);
        self.span.record("duration_ms", duration_ms);
        let _entered = self.span.enter();
        match code {
            // Our fault, not the caller's: worth a warning.
            Code::Internal | Code::Unknown | Code::DataLoss => {
                tracing::warn!(code = name, duration_ms, "call finished")
            }
            _ => tracing::debug!(code = name, duration_ms, "call finished"),
        }
    }
}

impl Drop for CallRecord {
    fn drop(&mut self) {
        self.record(Code::Cancelled);
    }
}

/// The response body, watched for the trailers that carry the status.
pub struct ObservedBody {
    inner: tonic::body::Body,
    call: Option<CallRecord>,
}

impl Body for ObservedBody {
    type Data = Bytes;
    type Error = tonic::Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, tonic::Status>>> {
        let polled = Pin::new(&mut self.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(grpc_status) {
                    if let Some(call) = self.call.take() {
                        call.finish(code);
                    }
                }
            }
            Poll::Ready(Some(Err(status))) => {
                if let Some(call) = self.call.take() {
                    call.finish(status.code());
                }
            }
            // A body that ends without trailers carries no status.
            Poll::Ready(None) => {
                if let Some(call) = self.call.take() {
                    call.finish(Code::Unknown);
                }
            }
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
