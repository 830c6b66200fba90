//! Priors and scores for candidate entities of one matched name.
//!
//! Until document context is used, a candidate's share of the evidence is
//! its prior weight (population, or prominence when there is none; feature
//! class; primary or alias name)
//! divided by the sum over all candidates; the mention score is that share
//! times a confidence in the match itself.

use crate::entity::NameKind;
use crate::index::{FeatureClass, Index};

/// Prior weight of an entity under a name.
pub(crate) fn prior_weight(index: &Index, entity: u32, name_kind: NameKind) -> f64 {
    let class = index.feature_class(entity);
    let population = match index.population(entity) {
        0 => {
            // People and organisations have no population: their Wikidata
            // sitelinks stand in for it (0 when unknown, as before).
            let from_prominence = f64::from(index.prominence(entity)) * POPULATION_PER_SITELINK;
            // GeoNames gives no population for most first-level regions;
            // rank them as a typical region rather than as an empty place.
            if class == FeatureClass::Region {
                from_prominence.max(UNKNOWN_REGION_POPULATION)
            } else {
                from_prominence
            }
        }
        known => known as f64,
    };
    let class_boost = match class {
        FeatureClass::Continent => 50.0,
        FeatureClass::Country => 20.0,
        FeatureClass::Region => 2.0,
        FeatureClass::Capital => 3.0,
        FeatureClass::City | FeatureClass::Other => 1.0,
    };
    let name_boost = match name_kind {
        NameKind::Primary => 1.0,
        NameKind::Alias => 0.5,
        NameKind::Transliterated => 0.4,
    };
    (1.0 + population).sqrt() * class_boost * name_boost
}

/// Population an entity without one is ranked as per Wikidata sitelink: a
/// person with articles in 100 wikis ranks as a town of 100,000 people.
const POPULATION_PER_SITELINK: f64 = 1000.0;

/// Population assumed for a first-level region whose source gives none.
const UNKNOWN_REGION_POPULATION: f64 = 300_000.0;

/// Confidence that a surface really names something in the gazetteer,
/// before choosing which entity: short names are riskier.
pub(crate) fn match_confidence(key: impl Iterator<Item = char>, primary: bool) -> f64 {
    let base = if primary { 0.95 } else { 0.9 };
    let mut key = key.filter(|&c| is_letter_or_digit(c)).peekable();
    // One Han character carries about as much as three Latin letters.
    let ideographic = key.peek().is_some_and(|&c| is_ideographic(c));
    let letters = key.take(4).count();
    let (short, shortish) = if ideographic { (1, 2) } else { (2, 3) };
    if letters <= short {
        base * 0.6
    } else if letters <= shortish {
        base * 0.8
    } else {
        base
    }
}

/// `char::is_alphanumeric`, without its table lookup for the Latin,
/// Greek and Cyrillic letters most keys are made of.
fn is_letter_or_digit(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '\u{00E0}'..='\u{00F6}' | '\u{00F8}'..='\u{024F}' | '\u{03AC}'..='\u{03CE}' | '\u{0430}'..='\u{045F}')
        || (!c.is_ascii() && c.is_alphanumeric())
}

fn is_ideographic(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' | '\u{20000}'..='\u{3134F}')
}
