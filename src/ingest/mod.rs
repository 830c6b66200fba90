//! Readers that turn source files into [`EntityRecord`]s.
//!
//! [`EntityRecord`]: crate::entity::EntityRecord

mod geonames;
mod jsonl;
pub mod wikidata;

pub use geonames::{
    geonames_id_of, is_language_tag, merge_record, FileStats, GeonamesFiles, GeonamesFilter,
    GeonamesImport, GeonamesOptions, GeonamesStats, SkipReporter, GEONAMES_SCHEME,
};
pub use jsonl::{parse_jsonl_line, read_jsonl_file, read_jsonl_str};
pub use wikidata::{WikidataImport, WikidataOptions, WikidataStats, WIKIDATA_SCHEME};

use std::path::PathBuf;

/// Why a source could not be read.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A record is malformed.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// The file (or source label).
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        message: String,
    },
}
