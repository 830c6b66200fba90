//! The only module that knows protobuf: converts between the API and the
//! core, maps errors to statuses, and implements the services.

mod admin;
mod convert;
mod error;
mod service;

pub use admin::AdminService;
pub use error::ServiceError;
pub use service::{stamp_arrival, IndexHandle, Limits, ResolverService};
