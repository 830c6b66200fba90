//! `meta.json`: what an index holds and how it was built.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One input of a build.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// File name or label.
    pub name: String,
    /// Records read.
    pub records: u64,
    /// Hex SHA-256 of the input bytes.
    pub sha256: String,
}

/// Contents of `meta.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexMeta {
    /// Layout version; see [`super::FORMAT_VERSION`].
    pub format_version: u32,
    /// Content hash of the data files: equal inputs give equal versions.
    pub version: String,
    /// Build time, RFC 3339 UTC.
    pub built_at: String,
    /// Number of entities.
    pub entity_count: u64,
    /// Number of distinct name keys in the FST.
    pub name_count: u64,
    /// Number of (key, entity) postings.
    pub posting_count: u64,
    /// Entities per kind.
    pub entities_by_kind: BTreeMap<String, u64>,
    /// Inputs.
    pub sources: Vec<SourceInfo>,
    /// Byte length of every data file, checked on open.
    pub file_sizes: BTreeMap<String, u64>,
}
