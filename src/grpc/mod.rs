//! The only module that knows protobuf: converts between the API and the
//! core, maps errors to statuses, and implements the services.

mod admin;
mod auth;
mod convert;
mod error;
mod observe;
mod service;

pub use admin::AdminService;
pub use auth::{AuthLayer, Authenticate, BearerToken};
pub use error::ServiceError;
pub use observe::{code_name, Observe, ObserveLayer, ObservedBody};
pub use service::{stamp_arrival, IndexHandle, Limits, ResolverService};
