//! Domain errors and their one mapping to gRPC statuses.

use tonic::{Code, Status};

use crate::index::IndexError;
use crate::reload::ReloadError;

/// Everything a call can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request is malformed or over a limit; the message names the
    /// field and the limit.
    #[error("{0}")]
    InvalidArgument(String),
    /// The requested entity does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The index could not be read.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// The server is at its concurrency limit; retry with backoff.
    #[error("{0}")]
    Overloaded(String),
    /// The client's deadline passed before the work finished.
    #[error("{0}")]
    DeadlineExceeded(String),
    /// A worker failed unexpectedly.
    #[error("internal error: {0}")]
    Internal(String),
    /// An index reload did not take effect; the old index still serves.
    #[error(transparent)]
    Reload(#[from] ReloadError),
}

impl ServiceError {
    /// The gRPC code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::InvalidArgument(_) => Code::InvalidArgument,
            Self::NotFound(_) => Code::NotFound,
            Self::Index(e) => match e {
                IndexError::Corrupt { .. } | IndexError::VersionMismatch { .. } => Code::DataLoss,
                IndexError::InvalidInput(_) => Code::InvalidArgument,
                IndexError::Io { .. } => Code::Internal,
            },
            Self::Overloaded(_) => Code::ResourceExhausted,
            Self::DeadlineExceeded(_) => Code::DeadlineExceeded,
            Self::Internal(_) => Code::Internal,
            // The server is fine; the operator must fix the directory (or
            // start with --index) before retrying.
            Self::Reload(e) => match e {
                ReloadError::NothingToReload | ReloadError::Open { .. } => Code::FailedPrecondition,
                ReloadError::Worker { .. } => Code::Internal,
            },
        }
    }
}

impl From<ServiceError> for Status {
    fn from(error: ServiceError) -> Self {
        Status::new(error.code(), error.to_string())
    }
}
