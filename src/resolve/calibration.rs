//! Calibrated scores: a monotone map from the resolver's raw score to the
//! share of such mentions that are right, one map per entity kind and match
//! kind, fitted on annotated corpora (`gazetteer calibrate`).
//!
//! The raw score mixes a match confidence with a candidate's share of the
//! prior weight; how often a raw 0.9 is right differs between an exact
//! place name and a surname standing for a person. Mapping each class of
//! mention through its own fitted curve makes one `min_score` mean the same
//! precision for all of them. The maps are non-decreasing, so the order of
//! a mention's candidates never changes.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::MatchKind;
use crate::entity::EntityKind;
use crate::index::FeatureClass;

/// The table shipped with the default gazetteer, written by
/// `gazetteer calibrate --out src/resolve/calibration.json`.
const EMBEDDED: &str = include_str!("calibration.json");

/// Fewest judged mentions a class needs for its own curve; smaller classes
/// fall back to their entity kind's curve, then to the pooled one.
pub const MIN_CLASS_SAMPLES: usize = 60;
/// Fewest judged mentions behind each point of a curve: isotonic
/// regression left alone makes a step of every lucky streak.
pub const MIN_POINT_SAMPLES: usize = 30;

/// Fitted maps from raw to calibrated score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calibration {
    /// What the curves were fitted on: corpora, index version, command.
    pub fitted_on: String,
    /// Curves by class: `kind/match/place class/script`
    /// (`place/alias/city/other`), `kind/match/place class`
    /// (`place/exact/city`), `kind/match` (`place/inflected`), `kind`
    /// (`person`) and `all`.
    pub curves: BTreeMap<String, Curve>,
    /// The curve of each (kind, match, place class, script), found once: calls
    /// look it up without building class names.
    #[serde(skip)]
    chosen: ChosenCurves,
}

/// A cache of what `curves` says: equal whenever the curves are.
#[derive(Debug, Clone, Default)]
struct ChosenCurves(OnceLock<Vec<Option<Curve>>>);

impl PartialEq for ChosenCurves {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

const ENTITY_KINDS: usize = EntityKind::ALL.len();
const MATCH_KINDS: usize = MATCH_KIND_ORDER.len();
const MATCH_KIND_ORDER: [MatchKind; 8] = [
    MatchKind::Exact,
    MatchKind::Normalized,
    MatchKind::Alias,
    MatchKind::Transliterated,
    MatchKind::Variant,
    MatchKind::Inflected,
    MatchKind::Coreference,
    MatchKind::Demonym,
];
/// Places split further by what they are: a country named in full is
/// right far more often than a town that shares its name with others.
const FEATURE_GROUPS: [&str; 4] = ["country", "region", "city", "other"];
/// And by the script of the span: a town's alias in English news is
/// mostly some other word (`Barrow`), its Russian name in Russian news
/// (`Сеул`) is the town.
const SCRIPT_GROUPS: [&str; 2] = ["latin", "other"];

/// What a calibration curve is chosen by: the entity's kind, how it
/// matched, the place's feature class, and whether the span is written in
/// Latin script.
pub type MentionClass = (EntityKind, MatchKind, FeatureClass, bool);

fn feature_group(feature: FeatureClass) -> usize {
    match feature {
        FeatureClass::Continent | FeatureClass::Country => 0,
        FeatureClass::Region => 1,
        FeatureClass::Capital | FeatureClass::City => 2,
        FeatureClass::Other => 3,
    }
}

/// Position of a (kind, match, place group, script group) in the chosen
/// curves.
fn slot(entity_kind: EntityKind, match_kind: MatchKind, group: usize, script: usize) -> usize {
    ((entity_kind as usize * MATCH_KINDS + match_kind as usize) * FEATURE_GROUPS.len() + group)
        * SCRIPT_GROUPS.len()
        + script
}

fn script_group(written_in_latin: bool) -> usize {
    usize::from(!written_in_latin)
}

/// One monotone map: points (raw, calibrated), raw ascending, calibrated
/// non-decreasing; linear between points, flat beyond the ends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    /// Judged mentions behind the curve.
    pub samples: usize,
    /// Mean raw score of each point's mentions.
    pub raw: Vec<f64>,
    /// Share of each point's mentions that were right (smoothed).
    pub calibrated: Vec<f64>,
}

/// One judged mention: its class, raw score and whether it was right.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Entity kind of the predicted entity.
    pub entity_kind: EntityKind,
    /// How it matched.
    pub match_kind: MatchKind,
    /// The predicted place's feature class (`Other` for people).
    pub feature: FeatureClass,
    /// The span is written in Latin script.
    pub written_in_latin: bool,
    /// Raw resolver score.
    pub raw: f64,
    /// Right span and ID.
    pub right: bool,
}

/// The lowercase name of a match kind, as in calibration classes.
pub fn match_kind_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "exact",
        MatchKind::Normalized => "normalized",
        MatchKind::Alias => "alias",
        MatchKind::Transliterated => "transliterated",
        MatchKind::Variant => "variant",
        MatchKind::Inflected => "inflected",
        MatchKind::Coreference => "coreference",
        MatchKind::Demonym => "demonym",
    }
}

/// The classes a mention belongs to, narrowest first: `place/exact/city`,
/// `place/exact`, `place`, `all`.
fn classes(
    entity_kind: EntityKind,
    match_kind: MatchKind,
    group: usize,
    script: usize,
) -> [String; 5] {
    let kind = entity_kind.as_str();
    let matched = match_kind_name(match_kind);
    let place = FEATURE_GROUPS[group];
    [
        format!("{kind}/{matched}/{place}/{}", SCRIPT_GROUPS[script]),
        format!("{kind}/{matched}/{place}"),
        format!("{kind}/{matched}"),
        kind.to_string(),
        "all".to_string(),
    ]
}

impl Calibration {
    /// The table shipped in the binary.
    pub fn embedded() -> Arc<Calibration> {
        static TABLE: OnceLock<Arc<Calibration>> = OnceLock::new();
        TABLE
            .get_or_init(|| {
                Arc::new(
                    serde_json::from_str(EMBEDDED)
                        .expect("src/resolve/calibration.json is a calibration table"),
                )
            })
            .clone()
    }

    /// Parses a table written by `gazetteer calibrate --out`.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let table: Calibration = serde_json::from_str(json).map_err(|e| e.to_string())?;
        for (class, curve) in &table.curves {
            curve
                .check()
                .map_err(|why| format!("curve {class:?}: {why}"))?;
        }
        Ok(table)
    }

    /// The curve of the narrowest class that has one.
    fn curve(&self, (entity_kind, match_kind, feature, latin): MentionClass) -> Option<&Curve> {
        let chosen = self.chosen.0.get_or_init(|| {
            let mut chosen =
                vec![None; ENTITY_KINDS * MATCH_KINDS * FEATURE_GROUPS.len() * SCRIPT_GROUPS.len()];
            for kind in EntityKind::ALL {
                for matched in MATCH_KIND_ORDER {
                    for group in 0..FEATURE_GROUPS.len() {
                        for script in 0..SCRIPT_GROUPS.len() {
                            chosen[slot(kind, matched, group, script)] =
                                classes(kind, matched, group, script)
                                    .iter()
                                    .find_map(|class| self.curves.get(class))
                                    .cloned();
                        }
                    }
                }
            }
            chosen
        });
        chosen[slot(
            entity_kind,
            match_kind,
            feature_group(feature),
            script_group(latin),
        )]
        .as_ref()
    }

    /// The calibrated score of a raw one; the raw score when no curve
    /// applies.
    pub fn apply(&self, class: MentionClass, raw: f64) -> f64 {
        self.curve(class).map_or(raw, |curve| curve.apply(raw))
    }

    /// Fits the curves on judged mentions.
    pub fn fit(samples: &[Sample], fitted_on: String) -> Self {
        let mut groups: BTreeMap<String, Vec<(f64, bool)>> = BTreeMap::new();
        for s in samples {
            let (group, script) = (feature_group(s.feature), script_group(s.written_in_latin));
            for class in classes(s.entity_kind, s.match_kind, group, script) {
                groups.entry(class).or_default().push((s.raw, s.right));
            }
        }
        let curves = groups
            .into_iter()
            .filter(|(_, points)| points.len() >= MIN_CLASS_SAMPLES)
            .map(|(class, mut points)| (class, Curve::fit(&mut points)))
            .collect();
        Self {
            fitted_on,
            curves,
            chosen: ChosenCurves::default(),
        }
    }
}

impl Curve {
    fn check(&self) -> Result<(), String> {
        if self.raw.is_empty() || self.raw.len() != self.calibrated.len() {
            return Err("needs as many calibrated as raw points, at least one".into());
        }
        let finite = |x: &f64| x.is_finite() && (0.0..=1.0).contains(x);
        if !self.raw.iter().all(finite) || !self.calibrated.iter().all(finite) {
            return Err("points must lie in [0, 1]".into());
        }
        if self.raw.windows(2).any(|w| w[0] > w[1])
            || self.calibrated.windows(2).any(|w| w[0] > w[1])
        {
            return Err("points must be non-decreasing".into());
        }
        Ok(())
    }

    /// Linear between points, flat beyond the ends.
    pub fn apply(&self, raw: f64) -> f64 {
        let (xs, ys) = (&self.raw, &self.calibrated);
        let after = xs.partition_point(|&x| x <= raw);
        if after == 0 {
            return ys[0];
        }
        if after == xs.len() {
            return ys[xs.len() - 1];
        }
        let (x0, x1, y0, y1) = (xs[after - 1], xs[after], ys[after - 1], ys[after]);
        if x1 <= x0 {
            return y1;
        }
        y0 + (y1 - y0) * (raw - x0) / (x1 - x0)
    }

    /// Isotonic regression (pool adjacent violators) on (raw, right),
    /// with blocks of at least [`MIN_POINT_SAMPLES`] and each block's
    /// share smoothed by one right and one wrong pseudo-mention.
    fn fit(points: &mut [(f64, bool)]) -> Self {
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        // Block: (sum of raw, right, count, highest raw).
        let mut blocks: Vec<(f64, f64, f64, f64)> = Vec::new();
        for &(raw, right) in points.iter() {
            let right = f64::from(u8::from(right));
            match blocks.last_mut() {
                // Equal raw scores cannot be told apart: one block.
                Some(last) if last.3 == raw => {
                    last.0 += raw;
                    last.1 += right;
                    last.2 += 1.0;
                }
                _ => blocks.push((raw, right, 1.0, raw)),
            }
            while blocks.len() >= 2 {
                let b = blocks[blocks.len() - 1];
                let a = blocks[blocks.len() - 2];
                let too_small = a.2 < MIN_POINT_SAMPLES as f64;
                if too_small || a.1 / a.2 >= b.1 / b.2 {
                    blocks.pop();
                    let last = blocks.len() - 1;
                    blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2, b.3);
                } else {
                    break;
                }
            }
        }
        // The last block may be short: pool it with its neighbour.
        while blocks.len() >= 2 && blocks[blocks.len() - 1].2 < MIN_POINT_SAMPLES as f64 {
            let b = blocks.pop().expect("two blocks");
            let last = blocks.len() - 1;
            let a = blocks[last];
            blocks[last] = (a.0 + b.0, a.1 + b.1, a.2 + b.2, b.3);
        }
        let mut raw = Vec::with_capacity(blocks.len());
        let mut calibrated: Vec<f64> = Vec::with_capacity(blocks.len());
        for (sum, right, n, _) in blocks {
            raw.push(sum / n);
            let share = (right + 1.0) / (n + 2.0);
            // Smoothing can undo the order of two close blocks.
            calibrated.push(calibrated.last().map_or(share, |&prev| share.max(prev)));
        }
        Self {
            samples: points.len(),
            raw,
            calibrated,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(raw: f64, right: usize, wrong: usize, kind: MatchKind) -> Vec<Sample> {
        written(true, raw, right, wrong, kind)
    }

    fn written(latin: bool, raw: f64, right: usize, wrong: usize, kind: MatchKind) -> Vec<Sample> {
        let one = |right| Sample {
            entity_kind: EntityKind::Place,
            match_kind: kind,
            feature: FeatureClass::City,
            written_in_latin: latin,
            raw,
            right,
        };
        (0..right)
            .map(|_| one(true))
            .chain((0..wrong).map(|_| one(false)))
            .collect()
    }

    #[test]
    fn curve_is_monotone_and_follows_the_data() {
        let mut all = samples(0.2, 10, 90, MatchKind::Exact);
        all.extend(samples(0.5, 50, 50, MatchKind::Exact));
        all.extend(samples(0.9, 95, 5, MatchKind::Exact));
        let table = Calibration::fit(&all, "test".into());
        let class = (
            EntityKind::Place,
            MatchKind::Exact,
            FeatureClass::City,
            true,
        );
        let exact = |raw| table.apply(class, raw);
        assert!((exact(0.2) - 11.0 / 102.0).abs() < 1e-9);
        assert!((exact(0.5) - 51.0 / 102.0).abs() < 1e-9);
        assert!((exact(0.9) - 96.0 / 102.0).abs() < 1e-9);
        // Between points, linear; beyond the ends, flat.
        assert!(exact(0.35) > exact(0.2) && exact(0.35) < exact(0.5));
        assert!((exact(0.0) - exact(0.2)).abs() < 1e-9);
        assert!((exact(1.0) - exact(0.9)).abs() < 1e-9);
    }

    #[test]
    fn violators_are_pooled() {
        // A higher raw score that is right less often is pooled with its
        // neighbour: the curve never goes down.
        let mut all = samples(0.3, 60, 40, MatchKind::Alias);
        all.extend(samples(0.6, 40, 60, MatchKind::Alias));
        let table = Calibration::fit(&all, "test".into());
        let curve = &table.curves["place/alias/city"];
        assert_eq!(curve.raw.len(), 1);
        assert!((curve.calibrated[0] - 101.0 / 202.0).abs() < 1e-9);
    }

    #[test]
    fn small_classes_fall_back_to_their_kind_then_to_all() {
        let mut all = samples(0.5, 80, 20, MatchKind::Exact);
        all.extend(samples(0.5, 1, 9, MatchKind::Variant));
        let table = Calibration::fit(&all, "test".into());
        assert!(!table.curves.contains_key("place/variant"));
        let city = FeatureClass::City;
        let place = table.apply((EntityKind::Place, MatchKind::Variant, city, true), 0.5);
        assert!((place - 82.0 / 112.0).abs() < 1e-9);
        let person_class = (
            EntityKind::Person,
            MatchKind::Exact,
            FeatureClass::Other,
            true,
        );
        let person = table.apply(person_class, 0.5);
        assert_eq!(person, place, "no person curve: the pooled one");
    }

    #[test]
    fn aliases_in_another_script_get_their_own_curve() {
        // English aliases of towns mostly wrong, Russian names mostly
        // right, at the same raw score.
        let mut all = written(true, 0.7, 20, 80, MatchKind::Alias);
        all.extend(written(false, 0.7, 90, 10, MatchKind::Alias));
        let table = Calibration::fit(&all, "test".into());
        let alias = |latin| {
            table.apply(
                (
                    EntityKind::Place,
                    MatchKind::Alias,
                    FeatureClass::City,
                    latin,
                ),
                0.7,
            )
        };
        assert!((alias(true) - 21.0 / 102.0).abs() < 1e-9);
        assert!((alias(false) - 91.0 / 102.0).abs() < 1e-9);
    }

    #[test]
    fn every_class_has_its_own_slot() {
        let mut seen = std::collections::HashSet::new();
        for kind in EntityKind::ALL {
            for matched in MATCH_KIND_ORDER {
                for group in 0..FEATURE_GROUPS.len() {
                    for script in 0..SCRIPT_GROUPS.len() {
                        let at = slot(kind, matched, group, script);
                        let slots =
                            ENTITY_KINDS * MATCH_KINDS * FEATURE_GROUPS.len() * SCRIPT_GROUPS.len();
                        assert!(at < slots);
                        assert!(seen.insert(at), "{kind:?} {matched:?} {group} {script}");
                    }
                }
            }
        }
    }

    #[test]
    fn embedded_table_parses_and_is_monotone() {
        let table = Calibration::embedded();
        for (class, curve) in &table.curves {
            curve.check().unwrap_or_else(|why| panic!("{class}: {why}"));
        }
    }

    #[test]
    fn malformed_tables_are_refused() {
        let bad = r#"{"fitted_on":"x","curves":{"all":{"samples":1,"raw":[0.5,0.2],"calibrated":[0.1,0.2]}}}"#;
        let err = Calibration::from_json(bad).unwrap_err();
        assert!(err.contains("non-decreasing"), "{err}");
    }
}
