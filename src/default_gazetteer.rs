//! The default gazetteer compiled into the binary, so a fresh clone serves
//! without any download. Its sources live in `data/default/`, regenerated
//! by `data/regenerate.py`: places from GeoNames, people from the curated
//! `data/sources/people.tsv`, regions of the news from the curated
//! `data/sources/news_regions.tsv`.

use std::sync::{Arc, Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::index::{BuildSource, Index, IndexBuilder, IndexError};
use crate::ingest::read_jsonl_str;

/// Label of the embedded index in `IndexInfo.location`.
pub const EMBEDDED_LOCATION: &str = "embedded";

const SOURCES: [(&str, &str); 6] = [
    (
        "data/default/continents.jsonl",
        include_str!("../data/default/continents.jsonl"),
    ),
    (
        "data/default/countries.jsonl",
        include_str!("../data/default/countries.jsonl"),
    ),
    (
        "data/default/regions.jsonl",
        include_str!("../data/default/regions.jsonl"),
    ),
    (
        "data/default/news_regions.jsonl",
        include_str!("../data/default/news_regions.jsonl"),
    ),
    (
        "data/default/cities.jsonl",
        include_str!("../data/default/cities.jsonl"),
    ),
    (
        "data/default/people.jsonl",
        include_str!("../data/default/people.jsonl"),
    ),
];

/// The embedded default index, built on first use and shared afterwards.
pub fn default_index() -> Result<Arc<Index>, IndexError> {
    static DEFAULT: OnceLock<Arc<Index>> = OnceLock::new();
    static BUILDING: Mutex<()> = Mutex::new(());
    if let Some(index) = DEFAULT.get() {
        return Ok(index.clone());
    }
    // One caller builds; the others wait for it instead of building too.
    let _building = BUILDING.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(index) = DEFAULT.get() {
        return Ok(index.clone());
    }
    let index = Arc::new(build_default_index()?);
    Ok(DEFAULT.get_or_init(|| index).clone())
}

/// Builds a fresh copy of the embedded default index.
pub fn build_default_index() -> Result<Index, IndexError> {
    let mut builder = IndexBuilder::new();
    for (name, text) in SOURCES {
        let records =
            read_jsonl_str(name, text).map_err(|e| IndexError::InvalidInput(e.to_string()))?;
        builder.add_source(BuildSource {
            name: name.to_string(),
            sha256: sha256_hex(text.as_bytes()),
            records,
        })?;
    }
    let files = builder.finish(crate::now_rfc3339())?;
    Index::from_files(files, EMBEDDED_LOCATION)
}

/// Hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
