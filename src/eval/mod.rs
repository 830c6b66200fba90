//! Evaluation against annotated corpora: readers for the gold formats,
//! scoring (strict, lenient, span-only, ID accuracy, acc@161 km, coverage)
//! and the report.
//!
//! Everything here is pure and knows nothing of gRPC: the caller turns the
//! resolver's answers (in-process or over the wire) into [`Prediction`]s.
//! Offsets are code points throughout.

mod brat;
mod elevant;
mod gritta;
mod report;
mod score;

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::entity::{Entity, EntityKind};
use crate::index::Index;
use crate::resolve::{MatchKind, Mention};

pub use brat::read_brat_dir;
pub use elevant::{parse_elevant, read_elevant};
pub use gritta::{parse_gritta, read_gritta};
pub use report::{group_errors, render_errors, render_table, ErrorGroup};
pub use score::{
    haversine_km, score, ErrorCase, Judged, Metrics, Prf, ReliabilityBin, ScoreOptions,
    ScoreReport, ThresholdRow, ACC_DISTANCE_KM, LENIENT_MIDPOINT_WINDOW,
};

/// The kind of a gold or predicted mention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GoldKind {
    /// Places: cities, countries, regions, locations.
    Place,
    /// People.
    Person,
    /// Organisations.
    Organization,
    /// Anything else the corpus annotates (dates, events, …).
    Other,
}

impl GoldKind {
    /// Every kind, in report order.
    pub const ALL: [GoldKind; 4] = [Self::Place, Self::Person, Self::Organization, Self::Other];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Place => "place",
            Self::Person => "person",
            Self::Organization => "organization",
            Self::Other => "other",
        }
    }

    /// Parses the lowercase name (`organisation` accepted too).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "place" | "places" | "location" => Some(Self::Place),
            "person" | "people" | "persons" => Some(Self::Person),
            "organization" | "organisation" | "org" => Some(Self::Organization),
            "other" => Some(Self::Other),
            _ => None,
        }
    }

    /// The resolver's kind for this kind, if any.
    pub fn entity_kind(self) -> Option<EntityKind> {
        match self {
            Self::Place => Some(EntityKind::Place),
            Self::Person => Some(EntityKind::Person),
            Self::Organization => Some(EntityKind::Organization),
            Self::Other => None,
        }
    }
}

impl From<EntityKind> for GoldKind {
    fn from(kind: EntityKind) -> Self {
        match kind {
            EntityKind::Place => Self::Place,
            EntityKind::Person => Self::Person,
            EntityKind::Organization => Self::Organization,
        }
    }
}

impl fmt::Display for GoldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One annotated mention.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoldMention {
    /// Start, code points.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// The annotated text.
    pub surface: String,
    /// Kind.
    pub kind: GoldKind,
    /// The corpus's own type label (`CITY`, `PERSON`), when it has one
    /// worth reporting separately.
    pub label: Option<String>,
    /// Gold IDs (`geonames:524901`, `wikidata:Q649`); empty when the corpus
    /// annotates the span without an ID.
    pub ids: Vec<String>,
    /// Gold latitude and longitude, when given.
    pub coordinates: Option<(f64, f64)>,
}

/// One annotated document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvalDocument {
    /// Document ID from the corpus.
    pub id: String,
    /// The text.
    pub text: String,
    /// The annotations, sorted by start.
    pub gold: Vec<GoldMention>,
    /// The part of the text that is annotated (code points), when the
    /// corpus annotates only a part; predictions outside it are ignored.
    pub eval_span: Option<(usize, usize)>,
}

/// Counts of what a reader did besides reading.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ReadStats {
    /// Gold spans whose offsets did not match their surface and were moved
    /// to the nearest exact occurrence.
    pub reanchored: usize,
    /// Gold spans whose surface occurs nowhere in the text: dropped.
    pub unanchored: usize,
    /// Gold labels left out as coreference (pronouns, `the company`).
    pub coreference_skipped: usize,
    /// Gold labels outside the document's evaluated part: dropped.
    pub outside_eval_span: usize,
    /// Discontinuous spans, taken from the first start to the last end.
    pub discontinuous: usize,
}

/// A corpus: documents and what reading them took.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Corpus {
    /// The documents.
    pub documents: Vec<EvalDocument>,
    /// Reader statistics.
    pub stats: ReadStats,
}

/// A gold file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Gritta XML (LGL, TR-News, GeoWebNews).
    Gritta,
    /// brat standoff with `Wikidata:` reference lines (NEREL).
    Brat,
    /// ELEVANT JSON Lines.
    Elevant,
}

impl Format {
    /// Guesses the format from a path: `.xml` → Gritta, a directory holding
    /// `.ann` files → brat, `.jsonl` → ELEVANT.
    pub fn detect(path: &Path) -> Option<Self> {
        if path.is_dir() {
            let has_ann = std::fs::read_dir(path).ok()?.flatten().any(|e| {
                e.path()
                    .extension()
                    .is_some_and(|x| x.eq_ignore_ascii_case("ann"))
            });
            return has_ann.then_some(Self::Brat);
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "xml" => Some(Self::Gritta),
            "jsonl" | "ndjson" => Some(Self::Elevant),
            "ann" => Some(Self::Brat),
            _ => None,
        }
    }

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gritta => "gritta",
            Self::Brat => "brat",
            Self::Elevant => "elevant",
        }
    }
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not in the expected format.
    #[error("{path}: {message}")]
    Parse {
        /// The file (and line, where known).
        path: String,
        /// What is wrong.
        message: String,
    },
}

pub(crate) fn io_error(path: &Path, source: std::io::Error) -> EvalError {
    EvalError::Io {
        path: path.display().to_string(),
        source,
    }
}

pub(crate) fn parse_error(path: impl fmt::Display, message: impl Into<String>) -> EvalError {
    EvalError::Parse {
        path: path.to_string(),
        message: message.into(),
    }
}

/// Reads a corpus in `format` from `path` (a file, or a directory for brat;
/// a single `.ann` file reads its directory's pair only).
pub fn read_corpus(path: &Path, format: Format) -> Result<Corpus, EvalError> {
    match format {
        Format::Gritta => read_gritta(path),
        Format::Brat => read_brat_dir(path),
        Format::Elevant => read_elevant(path),
    }
}

/// A resolver answer, reduced to what scoring needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prediction {
    /// Start, code points.
    pub start: usize,
    /// End (exclusive), code points.
    pub end: usize,
    /// The text of the span.
    pub surface: String,
    /// The predicted entity's kind.
    pub kind: GoldKind,
    /// The entity's canonical ID first, then `scheme:id` for each external
    /// ID: a gold ID matches when it equals any of them.
    pub ids: Vec<String>,
    /// The entity's name.
    pub name: String,
    /// The entity's coordinates.
    pub coordinates: Option<(f64, f64)>,
    /// The resolver's score.
    pub score: f64,
    /// How it matched, when the resolver said.
    #[serde(skip)]
    pub match_kind: Option<MatchKind>,
    /// The entity's GeoNames feature code, when it has one.
    #[serde(skip)]
    pub feature_code: Option<String>,
}

impl Prediction {
    /// From an in-process mention.
    pub fn from_mention(m: &Mention) -> Self {
        Self {
            start: m.span.start,
            end: m.span.end,
            surface: m.surface.clone(),
            kind: m.entity.kind.into(),
            ids: entity_ids(&m.entity),
            name: m.entity.name.clone(),
            coordinates: m.entity.coordinates,
            score: m.score,
            match_kind: Some(m.match_kind),
            feature_code: m.entity.feature_code.clone(),
        }
    }
}

/// An entity's canonical ID followed by its external IDs as `scheme:id`.
pub fn entity_ids(entity: &Entity) -> Vec<String> {
    let mut ids = vec![entity.id.clone()];
    for x in &entity.external_ids {
        let id = format!("{}:{}", x.scheme, x.id);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Which gold IDs a gazetteer holds, by canonical or external ID.
pub trait Coverage {
    /// Whether `id` names an entity of the gazetteer.
    fn covers(&self, id: &str) -> bool;
}

impl<F: Fn(&str) -> bool> Coverage for F {
    fn covers(&self, id: &str) -> bool {
        self(id)
    }
}

/// Coverage over an index: canonical IDs and external IDs, through
/// [`Index::find_any_id`].
pub struct IndexCoverage<'a> {
    index: &'a Index,
}

impl<'a> IndexCoverage<'a> {
    /// Coverage of `index`.
    pub fn new(index: &'a Index) -> Self {
        Self { index }
    }
}

impl Coverage for IndexCoverage<'_> {
    fn covers(&self, id: &str) -> bool {
        self.index.find_any_id(id).is_some()
    }
}

/// `text[start..end]` in code points (empty if out of range).
pub fn char_slice(text: &str, start: usize, end: usize) -> String {
    if start >= end {
        return String::new();
    }
    text.chars().skip(start).take(end - start).collect()
}

/// Checks a gold span against its surface and re-anchors it when they
/// differ: returns the span to use, or `None` when the surface occurs
/// nowhere. `chars` is the text as code points.
pub(crate) fn anchor(
    chars: &[char],
    start: usize,
    end: usize,
    surface: &str,
    stats: &mut ReadStats,
) -> Option<(usize, usize)> {
    let want: Vec<char> = surface.chars().collect();
    if start <= end && end <= chars.len() && chars[start..end] == want[..] {
        return Some((start, end));
    }
    if want.is_empty() || want.len() > chars.len() {
        stats.unanchored += 1;
        return None;
    }
    let best = (0..=chars.len() - want.len())
        .filter(|&i| chars[i..i + want.len()] == want[..])
        .min_by_key(|&i| i.abs_diff(start));
    match best {
        Some(i) => {
            stats.reanchored += 1;
            Some((i, i + want.len()))
        }
        None => {
            stats.unanchored += 1;
            None
        }
    }
}
