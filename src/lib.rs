//! gazetteer: finds the names of places and people in text in any language
//! and links them to canonical IDs, with exact offsets.
//!
//! The core (`text`, `index`, `ingest`, `resolve`) knows nothing of gRPC;
//! `grpc` and `server` wire it to tonic.

pub mod entity;
pub mod index;
pub mod ingest;
pub mod text;

pub mod proto {
    //! Code generated from `proto/gazetteer/v1/gazetteer.proto`.
    #![allow(missing_docs)]
    tonic::include_proto!("gazetteer.v1");

    /// Encoded descriptor set, served by reflection.
    pub const FILE_DESCRIPTOR_SET: &[u8] =
        include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer_descriptor.bin"));
}
