//! The on-disk (or in-memory) gazetteer index: an FST from normalised name
//! keys to posting lists, a table of entities, and `meta.json`.
//!
//! Files of an index directory (all integers little-endian):
//! - [`NAMES_FST`]: normalised name key → key ordinal.
//! - [`POSTINGS`]: `u32` key count, then `count + 1` `u32` offsets (in
//!   postings), then 12-byte postings `{entity u32, name_ref u32, name_kind
//!   u8 (0 primary, 1 alias, 2 transliterated), 3 zero bytes}`.
//! - [`NAME_TABLE`]: the names as listed, each a `u32` length and UTF-8
//!   bytes; a `name_ref` is the byte offset of its length.
//! - [`ENTITIES`]: `u32` entity count, then 32-byte rows `{data offset u64,
//!   data length u32, kind u8, feature class u8, ISO country code as 2
//!   ASCII bytes (zeros when unknown), population u64, admin1 u32,
//!   prominence u32}`, then
//!   the postcard-encoded [`Entity`](crate::entity::Entity) payloads the
//!   rows point at (offsets relative to the end of the rows). `admin1`
//!   numbers the distinct first-level region codes (`US.IL`) of the build
//!   from 1 in order of first appearance, 0 for none: two entities share
//!   it exactly when their codes are equal, so ranking compares regions
//!   without decoding payloads (the code itself is in the payload).
//!   `prominence` is the record's
//!   [`EntityRecord::prominence`](crate::entity::EntityRecord::prominence)
//!   (Wikidata sitelinks), 0 when unknown.
//! - [`IDS_FST`]: canonical ID → entity ordinal.
//! - [`LOWERCASE_FST`]: set of first tokens of names listed with a lowercase
//!   initial (`les Escaldes`), the only names a lowercase word can start.
//! - [`VARIANTS_FST`]: spelling-variant groups, each a consonant skeleton
//!   of Latin name keys (`trn` for `tehran`), a zero byte and the
//!   [`initial_class`](crate::text::initial_class) of the keys' first
//!   letter, mapped to the byte offset of the group's list in
//!   [`VARIANT_KEYS`].
//! - [`VARIANT_KEYS`]: the lists of [`VARIANTS_FST`], each a `u32` count,
//!   then per key in key order `{key ordinal u32, length u16, key bytes}`.
//!   Resolving reads a skeleton's candidates from one contiguous list
//!   instead of walking the FST below it, a node per byte.
//! - [`DEMONYMS_FST`]: demonyms (`Iranian`, `Iranians`), kept out of
//!   [`NAMES_FST`] so that name matching never meets them: each entry is
//!   a demonym's normalised key, a zero byte and the entity ordinal as a
//!   big-endian `u32`, mapped to the demonym's `name_ref`.
//! - [`META`]: [`IndexMeta`] as JSON, written last.

mod builder;
mod first_tokens;
mod meta;
mod reader;

pub use builder::{BuildSource, IndexBuilder, IndexFiles};
pub use first_tokens::{FirstTokens, MAX_FIRST_TOKENS};
pub use meta::{IndexMeta, SourceInfo};
pub use reader::{Bytes, Index, Posting};

use std::path::PathBuf;

/// Version of the file layout; opening another version fails. 7 added
/// [`DEMONYMS_FST`], 8 the prominence column of the entity rows, 9
/// [`VARIANT_KEYS`].
pub const FORMAT_VERSION: u32 = 9;
/// FST of normalised name keys.
pub const NAMES_FST: &str = "names.fst";
/// Posting lists per key.
pub const POSTINGS: &str = "postings.bin";
/// Names as listed in the sources.
pub const NAME_TABLE: &str = "names.bin";
/// Entity rows and payloads.
pub const ENTITIES: &str = "entities.bin";
/// FST of canonical IDs.
pub const IDS_FST: &str = "ids.fst";
/// First tokens of names that start with a lowercase letter.
pub const LOWERCASE_FST: &str = "lowercase.fst";
/// Consonant skeletons of Latin name keys, for unlisted spelling variants.
pub const VARIANTS_FST: &str = "variants.fst";
/// Demonyms of entities, apart from their names.
pub const DEMONYMS_FST: &str = "demonyms.fst";
/// Name keys grouped by skeleton, for unlisted spelling variants.
pub const VARIANT_KEYS: &str = "variant_keys.bin";
/// Build metadata, written last.
pub const META: &str = "meta.json";

/// The data files, in the order they are written and hashed.
pub const DATA_FILES: [&str; 9] = [
    NAMES_FST,
    POSTINGS,
    NAME_TABLE,
    ENTITIES,
    IDS_FST,
    LOWERCASE_FST,
    VARIANTS_FST,
    DEMONYMS_FST,
    VARIANT_KEYS,
];

pub(crate) const POSTING_SIZE: usize = 12;
pub(crate) const ENTITY_ROW_SIZE: usize = 32;

/// How a place ranks among places with the same population.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeatureClass {
    /// Anything else.
    Other = 0,
    /// A populated place.
    City = 1,
    /// A capital city.
    Capital = 2,
    /// A first-level region.
    Region = 3,
    /// A country or dependent territory.
    Country = 4,
    /// A continent.
    Continent = 5,
}

impl FeatureClass {
    /// Classifies a GeoNames feature code.
    pub fn from_feature_code(code: Option<&str>) -> Self {
        match code.unwrap_or("") {
            "CONT" => Self::Continent,
            "PCLI" | "PCLD" | "PCLS" | "PCLF" | "PCL" | "PCLIX" | "TERR" => Self::Country,
            "ADM1" | "ADM1H" => Self::Region,
            "PPLC" => Self::Capital,
            c if c.starts_with("PPL") => Self::City,
            _ => Self::Other,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Self {
        match b {
            1 => Self::City,
            2 => Self::Capital,
            3 => Self::Region,
            4 => Self::Country,
            5 => Self::Continent,
            _ => Self::Other,
        }
    }
}

/// Why an index could not be built, written or opened.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The index was written by another format version.
    #[error("{path}: index format version {found}, this build reads version {expected}; rebuild it with `gazetteer build`")]
    VersionMismatch {
        /// The index directory.
        path: PathBuf,
        /// Version this build reads.
        expected: u32,
        /// Version found.
        found: u32,
    },
    /// A file is missing, truncated or inconsistent.
    #[error("{path}: index is corrupt ({reason}); rebuild it with `gazetteer build`")]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
    /// The input cannot be indexed.
    #[error("invalid input: {0}")]
    InvalidInput(String),
}
