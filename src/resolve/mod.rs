//! Finds gazetteer names in text and resolves each to an entity.
//!
//! ```
//! use gazetteer::resolve::{resolve, ResolveOptions};
//! let index = gazetteer::default_index().unwrap();
//! let mentions = resolve(&index, "Talks in Teheran’s north.", &ResolveOptions::default()).unwrap();
//! assert_eq!(mentions[0].entity.id, "geonames:112931");
//! assert_eq!(mentions[0].surface, "Teheran");
//! ```

mod aliases;
mod calibration;
mod common_words;
mod context;
mod coreference;
mod demonym;
mod inflection;
mod institutions;
mod lookup;
mod matcher;
mod patterns;
mod place_context;
mod rank;

pub use calibration::{match_kind_name, Calibration, Curve, MentionClass, Sample};
pub use lookup::{lookup, LookupMatch, LookupOptions};

use std::sync::Arc;

use crate::entity::{Entity, EntityKind};
use crate::index::{FeatureClass, Index, IndexError};
use crate::text::written_in_latin;

/// Finds the names of `text` and resolves each to an entity: the name
/// matcher, less names that are demonyms as written, then (with
/// [`ResolveOptions::include_demonyms`]) the demonyms; scores calibrated
/// last, and `min_score` applied to the calibrated scores.
pub fn resolve(
    index: &Index,
    text: &str,
    options: &ResolveOptions,
) -> Result<Vec<Mention>, IndexError> {
    let Some(calibration) = &options.calibration else {
        return resolve_raw(index, text, options);
    };
    let raw_options;
    let options_for_matching = if options.min_score > 0.0 {
        // The threshold is on calibrated scores: nothing is dropped by its
        // raw score.
        raw_options = ResolveOptions {
            min_score: 0.0,
            ..options.clone()
        };
        &raw_options
    } else {
        options
    };
    let mut mentions = resolve_raw(index, text, options_for_matching)?;
    for m in &mut mentions {
        let feature = FeatureClass::from_feature_code(m.entity.feature_code.as_deref());
        let class = (
            m.entity.kind,
            m.match_kind,
            feature,
            written_in_latin(&m.surface),
        );
        let calibrated = calibration.apply(class, m.score);
        // Runner-ups keep their shares relative to the best, and all the
        // scores of a mention still add up to at most 1.
        let runner_ups: f64 = m.candidates.iter().map(|c| c.score).sum();
        let mut scale = if m.score > 0.0 {
            calibrated / m.score
        } else {
            0.0
        };
        if runner_ups > 0.0 {
            scale = scale.min((1.0 - calibrated) / runner_ups);
        }
        m.score = calibrated;
        for c in &mut m.candidates {
            c.score *= scale;
        }
    }
    mentions.retain(|m| m.score >= options.min_score);
    Ok(mentions)
}

fn resolve_raw(
    index: &Index,
    text: &str,
    options: &ResolveOptions,
) -> Result<Vec<Mention>, IndexError> {
    let mut mentions = matcher::resolve(index, text, options)?;
    demonym::drop_demonym_names(index, &mut mentions);
    place_context::drop_unframed_guesses(text, &mut mentions);
    if options.include_demonyms {
        demonym::add_demonyms(index, text, options, &mut mentions)?;
    }
    Ok(mentions)
}

/// Default number of runner-up candidates per mention.
pub const DEFAULT_MAX_CANDIDATES: usize = 5;
/// Most runner-up candidates a caller can ask for.
pub const MAX_CANDIDATES_CAP: usize = 50;

/// How overlapping matches are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OverlapPolicy {
    /// Leftmost-longest, no overlaps.
    #[default]
    Longest,
    /// Every match, nested or overlapping.
    All,
}

/// How a surface matched a gazetteer name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// Byte-identical to the primary name.
    Exact,
    /// Equal to the primary name after normalisation.
    Normalized,
    /// A listed alternate name.
    Alias,
    /// Reached through transliteration.
    Transliterated,
    /// An unlisted spelling variant.
    Variant,
    /// An inflected form or a form with a fused clitic.
    Inflected,
    /// The surname (or initial and surname) of a person the document
    /// names in full.
    Coreference,
    /// A listed demonym (`Iranian`, `Iranians` → Iran); only with
    /// [`ResolveOptions::include_demonyms`].
    Demonym,
}

/// Options of one resolve call.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolveOptions {
    /// Language hints (BCP 47); not yet used for ranking.
    pub languages: Vec<String>,
    /// Kinds to keep; empty keeps all.
    pub kinds: Vec<EntityKind>,
    /// Runner-up candidates per mention.
    pub max_candidates: usize,
    /// Mentions scoring below this are dropped (compared with the
    /// calibrated score when [`Self::calibration`] is set).
    pub min_score: f64,
    /// Overlap policy.
    pub overlap: OverlapPolicy,
    /// Match only listed spellings: no unlisted spelling variants.
    pub listed_spellings_only: bool,
    /// Also match demonyms (`Iranian`, `Iranians` → Iran) as
    /// [`MatchKind::Demonym`] mentions. Off by default.
    pub include_demonyms: bool,
    /// Maps raw scores to calibrated ones; `None` reports raw scores (what
    /// `gazetteer calibrate` fits on). Default: the embedded table.
    pub calibration: Option<Arc<Calibration>>,
}

impl Default for ResolveOptions {
    fn default() -> Self {
        Self {
            languages: Vec::new(),
            kinds: Vec::new(),
            max_candidates: DEFAULT_MAX_CANDIDATES,
            min_score: 0.0,
            overlap: OverlapPolicy::Longest,
            listed_spellings_only: false,
            include_demonyms: false,
            calibration: Some(Calibration::embedded()),
        }
    }
}

/// A half-open span in three units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// Start, code points.
    pub start: usize,
    /// End, code points.
    pub end: usize,
    /// Start, UTF-8 bytes.
    pub byte_start: usize,
    /// End, UTF-8 bytes.
    pub byte_end: usize,
    /// Start, UTF-16 code units.
    pub utf16_start: usize,
    /// End, UTF-16 code units.
    pub utf16_end: usize,
}

impl Span {
    /// The span of UTF-8 bytes `byte_start..byte_end` of the text
    /// `converter` reads, in all three units.
    pub(crate) fn of_bytes(
        converter: &mut crate::text::OffsetConverter<'_>,
        byte_start: usize,
        byte_end: usize,
    ) -> Self {
        let (start, end) = (converter.position(byte_start), converter.position(byte_end));
        Self {
            start: start.char,
            end: end.char,
            byte_start,
            byte_end,
            utf16_start: start.utf16,
            utf16_end: end.utf16,
        }
    }
}

/// A runner-up entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// The entity.
    pub entity: Arc<Entity>,
    /// Its score.
    pub score: f64,
    /// Its name that matched.
    pub matched_name: String,
}

/// A name found in the text and its entity.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// Where it is.
    pub span: Span,
    /// The text of the span.
    pub surface: String,
    /// The chosen entity.
    pub entity: Arc<Entity>,
    /// Confidence in [0, 1].
    pub score: f64,
    /// How it matched.
    pub match_kind: MatchKind,
    /// The gazetteer name that matched.
    pub matched_name: String,
    /// Runner-ups, best first.
    pub candidates: Vec<Candidate>,
}
