//! gazetteer: finds the names of places and people in text in any language
//! and links them to canonical IDs, with exact offsets.
//!
//! The core (`text`, `index`, `ingest`, `resolve`) knows nothing of gRPC;
//! `grpc` and `server` wire it to tonic.

mod default_gazetteer;
pub mod entity;
pub mod eval;
pub mod grpc;
pub mod index;
pub mod ingest;
pub mod metrics;
pub mod reload;
pub mod resolve;
pub mod server;
pub mod text;

pub use default_gazetteer::{build_default_index, default_index, sha256_hex, EMBEDDED_LOCATION};

pub mod proto {
    //! Code generated from `proto/gazetteer/v1/gazetteer.proto`.
    #![allow(missing_docs)]
    tonic::include_proto!("gazetteer.v1");

    /// Encoded descriptor set, served by reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer_descriptor.bin"));

    pub mod admin {
        //! Code generated from `proto/gazetteer/admin/v1/admin.proto`.
        #![allow(missing_docs)]
        tonic::include_proto!("gazetteer.admin.v1");

        /// Encoded descriptor set, served by reflection when the admin
        /// service is on.
        pub const FILE_DESCRIPTOR_SET: &[u8] =
            include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer_admin_descriptor.bin"));
    }
}

/// The current time, RFC 3339 UTC, for build metadata.
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
