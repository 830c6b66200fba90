//! Optional bearer-token check in front of every service except health, so
//! load-balancer and Kubernetes probes need no secret.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use tonic::Status;

/// Calls under this path prefix need no token.
const OPEN_PREFIX: &str = "/grpc.health.v1.Health/";

/// The token clients must send as `authorization: Bearer <token>`. Only
/// its SHA-256 is kept; comparing digests in constant time reveals neither
/// the token's bytes nor its length through timing.
#[derive(Clone)]
pub struct BearerToken {
    digest: [u8; 32],
}

impl std::fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BearerToken(..)")
    }
}

impl BearerToken {
    /// A token of visible ASCII characters (what an HTTP/2 header value can
    /// carry after `Bearer `); surrounding whitespace is trimmed first, so
    /// a file ending in a newline works.
    pub fn new(token: &str) -> Result<Self, String> {
        let token = token.trim();
        if token.is_empty() {
            return Err("the bearer token is empty".into());
        }
        if let Some(c) = token.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(format!(
                "the bearer token holds {c:?}; only visible ASCII characters are allowed"
            ));
        }
        Ok(Self {
            digest: Sha256::digest(token.as_bytes()).into(),
        })
    }

    fn matches(&self, presented: &[u8]) -> bool {
        let digest: [u8; 32] = Sha256::digest(presented).into();
        digest.ct_eq(&self.digest).into()
    }

    /// Whether the request's metadata carries this token; the error is the
    /// message for UNAUTHENTICATED.
    fn check(&self, headers: &http::HeaderMap) -> Result<(), &'static str> {
        let Some(value) = headers.get(http::header::AUTHORIZATION) else {
            return Err("this server requires a bearer token: send the metadata \
                        `authorization: Bearer <token>`");
        };
        let value = value.as_bytes();
        let Some(presented) = value
            .get(..7)
            .filter(|scheme| scheme.eq_ignore_ascii_case(b"bearer "))
            .map(|_| value[7..].trim_ascii())
        else {
            return Err("the authorization metadata must be `Bearer <token>`");
        };
        if self.matches(presented) {
            Ok(())
        } else {
            Err("the bearer token is not valid for this server")
        }
    }
}

/// Layer adding [`Authenticate`] to a service; without a token it lets
/// every call through.
#[derive(Debug, Clone)]
pub struct AuthLayer {
    token: Option<Arc<BearerToken>>,
}

impl AuthLayer {
    /// A layer requiring `token`, or nothing when `None`.
    pub fn new(token: Option<Arc<BearerToken>>) -> Self {
        Self { token }
    }
}

impl<S> tower::Layer<S> for AuthLayer {
    type Service = Authenticate<S>;

    fn layer(&self, inner: S) -> Authenticate<S> {
        Authenticate {
            inner,
            token: self.token.clone(),
        }
    }
}

/// Answers UNAUTHENTICATED, without calling the inner service, when the
/// token is missing or wrong.
#[derive(Debug, Clone)]
pub struct Authenticate<S> {
    inner: S,
    token: Option<Arc<BearerToken>>,
}

impl<S, B> tower::Service<http::Request<B>> for Authenticate<S>
where
    S: tower::Service<http::Request<B>, Response = http::Response<tonic::body::Body>>
        + Clone
        + Send
        + 'static,
    S::Future: Send + 'static,
    B: Send + 'static,
{
    type Response = http::Response<tonic::body::Body>;
    type Error = S::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: http::Request<B>) -> Self::Future {
        let refused = match &self.token {
            Some(token) if !request.uri().path().starts_with(OPEN_PREFIX) => {
                token.check(request.headers()).err()
            }
            _ => None,
        };
        if let Some(message) = refused {
            let response = Status::unauthenticated(message).into_http();
            return Box::pin(async move { Ok(response) });
        }
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        Box::pin(inner.call(request))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> http::HeaderMap {
        let mut headers = http::HeaderMap::new();
        headers.insert(http::header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn only_the_exact_token_passes() {
        let token = BearerToken::new("s3cret-token\n").unwrap();
        assert!(token.check(&headers("Bearer s3cret-token")).is_ok());
        assert!(token.check(&headers("bearer s3cret-token")).is_ok());
        for wrong in [
            "Bearer s3cret-toke",
            "Bearer s3cret-token2",
            "Bearer ",
            "Basic s3cret-token",
            "s3cret-token",
        ] {
            assert!(token.check(&headers(wrong)).is_err(), "{wrong}");
        }
        assert!(token.check(&http::HeaderMap::new()).is_err());
    }

    #[test]
    fn empty_or_unprintable_tokens_are_refused() {
        assert!(BearerToken::new(" \n").is_err());
        assert!(BearerToken::new("two words").is_err());
        assert!(BearerToken::new("café").is_err());
        assert_eq!(
            format!("{:?}", BearerToken::new("x").unwrap()),
            "BearerToken(..)"
        );
    }
}
