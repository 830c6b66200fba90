//! The domain model shared by ingest, index and resolve.

use serde::{Deserialize, Serialize};

/// What kind of thing an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    /// Countries, regions, cities, continents.
    Place,
    /// People.
    Person,
    /// Organisations.
    Organization,
}

impl EntityKind {
    /// Every kind, in a fixed order.
    pub const ALL: [EntityKind; 3] = [Self::Place, Self::Person, Self::Organization];

    /// The lowercase name used in records and in `IndexInfo`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Person => "person",
            Self::Organization => "organization",
        }
    }

    /// Parses the lowercase name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub(crate) fn to_byte(self) -> u8 {
        match self {
            Self::Place => 0,
            Self::Person => 1,
            Self::Organization => 2,
        }
    }

    pub(crate) fn from_byte(b: u8) -> Option<Self> {
        Self::ALL.get(b as usize).copied()
    }
}

/// An ID of the entity in another scheme (`wikidata:Q3616`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExternalId {
    /// Scheme, such as `wikidata`.
    pub scheme: String,
    /// ID within the scheme, such as `Q3616`.
    pub id: String,
}

/// A gazetteer entity as served: everything but its names. Stored in the
/// index with postcard, so fields are positional: change them only with a
/// new index format version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// Canonical ID, `<scheme>:<id>`.
    pub id: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// Primary name.
    pub name: String,
    /// Other IDs of the same entity.
    pub external_ids: Vec<ExternalId>,
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country_code: Option<String>,
    /// GeoNames feature code.
    pub feature_code: Option<String>,
    /// Latitude and longitude in degrees.
    pub coordinates: Option<(f64, f64)>,
    /// Population, 0 when unknown.
    pub population: u64,
    /// First-level administrative region (state, province) in the GeoNames
    /// `CC.code` form (`US.IL`, `IR.26`): for a city the region it lies in,
    /// for a region its own code. Document context reads it to let a
    /// region's mention support its cities.
    pub admin1: Option<String>,
}

/// Whether a name is the entity's primary name or one of its other names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// The primary name.
    Primary,
    /// An alternate name: other language, spelling, short form.
    Alias,
    /// A name of another script romanised at build time (`Тегеран` →
    /// `Tegeran`), so Latin text reaches it.
    Transliterated,
}

/// A name of an entity, as listed in a source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// The name as written.
    pub text: String,
    /// BCP 47 language tag, when the source gives one.
    pub lang: Option<String>,
    /// Primary or alias.
    pub kind: NameKind,
    /// A demonym (`Iranian`, `Iranians` for Iran) rather than a name of the
    /// entity itself (JSON Lines `"kind": "demonym"`). Demonyms are their
    /// own name kind: the index keeps them apart from the names (see
    /// [`crate::index::DEMONYMS_FST`]), and a resolve call matches them
    /// only when asked to (`include_demonyms`). Kept as a flag beside
    /// [`NameKind`], which says how a name ranks, so the matcher's
    /// exhaustive matches over `NameKind` stay as they are.
    pub demonym: bool,
}

/// An entity with all its names: the unit an index is built from.
#[derive(Debug, Clone, PartialEq)]
pub struct EntityRecord {
    /// The entity payload.
    pub entity: Entity,
    /// All names, the primary name first.
    pub names: Vec<Name>,
    /// How well known the entity is, for ranking people and organisations,
    /// which have no population: the number of Wikipedia and other wiki
    /// articles about it (Wikidata sitelinks), 0 when unknown. Kept in the
    /// index's entity rows for the ranker (see
    /// [`Index::prominence`](crate::index::Index::prominence)), not in the
    /// served [`Entity`].
    pub prominence: u32,
}
