//! Scoring: pure functions of gold documents and predictions.
//!
//! - **strict**: span equal and an ID in common;
//! - **lenient** (EUPEG): same lowercased surface, midpoints within
//!   [`LENIENT_MIDPOINT_WINDOW`] code points, an ID in common;
//! - **span**: span equal, IDs ignored; **lenient span**: the lenient rule
//!   without IDs.
//!
//! Gold mentions without an ID take part in the span scores only: in the
//! strict and lenient scores they are left out of recall, and a prediction
//! on such a span counts neither for nor against precision.
//!
//! Rows: `all`, one per kind (recall by the gold kind, precision by the
//! predicted entity's kind), and one per corpus type label (`CITY`), which
//! have recall only since predictions carry no such label.

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::{Coverage, EvalDocument, GoldKind, GoldMention, Prediction};
use crate::resolve::MatchKind;
use crate::text::written_in_latin;

/// Greatest distance between gold and predicted midpoints, code points,
/// under the lenient rule.
pub const LENIENT_MIDPOINT_WINDOW: f64 = 10.0;
/// acc@161: the share of resolved places within this many km of the gold.
pub const ACC_DISTANCE_KM: f64 = 161.0;
/// Code points of context on each side in error cases.
const CONTEXT_CHARS: usize = 40;

/// What to score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreOptions {
    /// Kinds scored; gold and predictions of other kinds are ignored.
    /// Empty means place, person and organisation.
    pub kinds: Vec<GoldKind>,
}

impl Default for ScoreOptions {
    fn default() -> Self {
        Self {
            kinds: vec![GoldKind::Place, GoldKind::Person, GoldKind::Organization],
        }
    }
}

impl ScoreOptions {
    fn scored(&self, kind: GoldKind) -> bool {
        if self.kinds.is_empty() {
            kind != GoldKind::Other
        } else {
            self.kinds.contains(&kind)
        }
    }
}

/// Precision, recall and F1, with the counts behind them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Gold mentions in the denominator of recall.
    pub gold: usize,
    /// Of which matched.
    pub gold_matched: usize,
    /// Predictions in the denominator of precision.
    pub predicted: usize,
    /// Of which matched.
    pub predicted_matched: usize,
    /// `predicted_matched / predicted`; `None` when nothing was predicted
    /// or the row has no predictions (type-label rows).
    pub precision: Option<f64>,
    /// `gold_matched / gold`; `None` without gold.
    pub recall: Option<f64>,
    /// Harmonic mean of the two; `None` when either is.
    pub f1: Option<f64>,
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Prf {
    /// From counts; `with_precision` false for rows without predictions.
    pub fn new(
        gold: usize,
        gold_matched: usize,
        predicted: usize,
        predicted_matched: usize,
        with_precision: bool,
    ) -> Self {
        let precision = if with_precision {
            ratio(predicted_matched, predicted)
        } else {
            None
        };
        let recall = ratio(gold_matched, gold);
        let f1 = match (precision, recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        Self {
            gold,
            gold_matched,
            predicted,
            predicted_matched,
            precision,
            recall,
            f1,
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// `all`, a kind (`place`) or a corpus type label (`CITY`).
    pub name: String,
    /// Gold mentions.
    pub gold: usize,
    /// Of which with an ID.
    pub gold_with_id: usize,
    /// Predictions (for type-label rows: 0, they have none).
    pub predicted: usize,
    /// Strict: span and ID.
    pub strict: Prf,
    /// Lenient (EUPEG): surface, midpoints within 10, ID.
    pub lenient: Prf,
    /// Span equal, IDs ignored.
    pub span: Prf,
    /// Lenient without IDs.
    pub lenient_span: Prf,
    /// Gold mentions with an ID that were found (lenient span).
    pub found_with_id: usize,
    /// Of which with a correct ID.
    pub found_correct_id: usize,
    /// `found_correct_id / found_with_id`.
    pub id_accuracy: Option<f64>,
    /// Found places where gold and prediction both have coordinates.
    pub geo_found: usize,
    /// Of which within 161 km.
    pub geo_within_161km: usize,
    /// `geo_within_161km / geo_found`.
    pub acc_at_161km: Option<f64>,
    /// Gold mentions with an ID that the gazetteer holds.
    pub covered: usize,
    /// `covered / gold_with_id`: the ceiling of strict recall.
    pub coverage: Option<f64>,
    /// Strict recall over the covered gold mentions only.
    pub strict_recall_covered: Option<f64>,
}

/// One error case, for `--errors`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorCase {
    /// `missed` (gold not found), `wrong_id` (found with another ID) or
    /// `false_positive` (prediction on no gold span).
    pub case: &'static str,
    /// Document.
    pub doc_id: String,
    /// Start, code points.
    pub start: usize,
    /// End, code points.
    pub end: usize,
    /// The text of the span.
    pub surface: String,
    /// Gold kind (missed, wrong_id) or predicted kind (false_positive).
    pub kind: GoldKind,
    /// Gold IDs.
    pub gold_ids: Vec<String>,
    /// Whether the gazetteer holds a gold ID.
    pub covered: bool,
    /// Predicted entity ID.
    pub predicted_id: Option<String>,
    /// Predicted entity name.
    pub predicted_name: Option<String>,
    /// Prediction score.
    pub score: Option<f64>,
    /// The text around it, the mention in brackets.
    pub context: String,
}

/// The report: rows and error cases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreReport {
    /// Documents scored.
    pub documents: usize,
    /// Kinds scored.
    pub kinds: Vec<GoldKind>,
    /// Everything scored.
    pub overall: Metrics,
    /// One row per kind with gold or predictions.
    pub by_kind: Vec<Metrics>,
    /// One row per corpus type label (brat), recall only.
    pub by_label: Vec<Metrics>,
    /// Strict scores had the resolver been called with each `min_score`
    /// from 0.0 to 0.9: what a threshold buys and costs.
    pub thresholds: Vec<ThresholdRow>,
    /// Predictions by score decile with their strict precision: how far a
    /// score is from the share of right answers it stands for.
    pub reliability: Vec<ReliabilityBin>,
    /// Every prediction judged by the strict rule (neutral ones left
    /// out), for fitting score calibration.
    #[serde(skip)]
    pub judged: Vec<Judged>,
    /// Every error case, in document order.
    #[serde(skip)]
    pub errors: Vec<ErrorCase>,
}

/// Strict precision, recall and F1 over the predictions scoring at least
/// `min_score` (predictions on gold spans without an ID left out, as in
/// the strict score).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ThresholdRow {
    /// The threshold.
    pub min_score: f64,
    /// The strict scores of the predictions kept.
    pub strict: Prf,
}

/// Predictions with a score in `[low, high)` (the last bin includes 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReliabilityBin {
    /// Lowest score of the bin.
    pub low: f64,
    /// Highest score of the bin (exclusive but for the last).
    pub high: f64,
    /// Predictions in the bin.
    pub predictions: usize,
    /// Their mean score.
    pub mean_score: f64,
    /// Share of them strictly right (span and ID); 0 when empty.
    pub precision: f64,
}

/// One prediction judged by the strict rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    /// Kind of the predicted entity.
    pub kind: GoldKind,
    /// How it matched, when the resolver said.
    pub match_kind: Option<MatchKind>,
    /// The entity's GeoNames feature code, when it has one.
    pub feature_code: Option<String>,
    /// The span is written in Latin script.
    pub written_in_latin: bool,
    /// Its score.
    pub score: f64,
    /// Right span and ID.
    pub right: bool,
    /// On a gold span whose entity the gazetteer lacks: it could not have
    /// been right, so it says nothing about the score.
    pub unreachable: bool,
}

/// Threshold rows and reliability bins from (score, strictly right) pairs
/// and the number of gold mentions with an ID.
fn calibration(
    scored: &[(f64, bool)],
    gold_with_id: usize,
) -> (Vec<ThresholdRow>, Vec<ReliabilityBin>) {
    let thresholds = (0..10)
        .map(|step| {
            let min_score = f64::from(step) / 10.0;
            let kept = scored.iter().filter(|(score, _)| *score >= min_score);
            let (predicted, right) = kept.fold((0, 0), |(n, r), (_, ok)| (n + 1, r + *ok as usize));
            ThresholdRow {
                min_score,
                strict: Prf::new(gold_with_id, right, predicted, right, true),
            }
        })
        .collect();
    let bins = (0..10)
        .map(|step| {
            let (low, high) = (f64::from(step) / 10.0, f64::from(step + 1) / 10.0);
            let inside: Vec<&(f64, bool)> = scored
                .iter()
                .filter(|(score, _)| {
                    *score >= low && (*score < high || (step == 9 && *score <= high))
                })
                .collect();
            let n = inside.len();
            let mean = |f: &dyn Fn(&(f64, bool)) -> f64| {
                if n == 0 {
                    0.0
                } else {
                    inside.iter().map(|p| f(p)).sum::<f64>() / n as f64
                }
            };
            ReliabilityBin {
                low,
                high,
                predictions: n,
                mean_score: mean(&|p| p.0),
                precision: mean(&|p| f64::from(u8::from(p.1))),
            }
        })
        .collect();
    (thresholds, bins)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    gold: usize,
    gold_matched: usize,
    predicted: usize,
    predicted_matched: usize,
}

#[derive(Default)]
struct Acc {
    gold: usize,
    gold_with_id: usize,
    predicted: usize,
    strict: Counts,
    lenient: Counts,
    span: Counts,
    lenient_span: Counts,
    found_with_id: usize,
    found_correct_id: usize,
    geo_found: usize,
    geo_ok: usize,
    covered: usize,
    covered_strict: usize,
}

impl Acc {
    fn finish(&self, name: &str, with_precision: bool) -> Metrics {
        let prf = |c: Counts| {
            Prf::new(
                c.gold,
                c.gold_matched,
                c.predicted,
                c.predicted_matched,
                with_precision,
            )
        };
        Metrics {
            name: name.to_string(),
            gold: self.gold,
            gold_with_id: self.gold_with_id,
            predicted: self.predicted,
            strict: prf(self.strict),
            lenient: prf(self.lenient),
            span: prf(self.span),
            lenient_span: prf(self.lenient_span),
            found_with_id: self.found_with_id,
            found_correct_id: self.found_correct_id,
            id_accuracy: ratio(self.found_correct_id, self.found_with_id),
            geo_found: self.geo_found,
            geo_within_161km: self.geo_ok,
            acc_at_161km: ratio(self.geo_ok, self.geo_found),
            covered: self.covered,
            coverage: ratio(self.covered, self.gold_with_id),
            strict_recall_covered: ratio(self.covered_strict, self.covered),
        }
    }
}

/// Great-circle distance in km between two (lat, lon) points in degrees.
pub fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    const R: f64 = 6371.0088;
    let (la1, lo1) = (a.0.to_radians(), a.1.to_radians());
    let (la2, lo2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * R * h.sqrt().min(1.0).asin()
}

fn ids_match(gold: &GoldMention, pred: &Prediction) -> bool {
    gold.ids.iter().any(|g| pred.ids.iter().any(|p| p == g))
}

fn midpoint(start: usize, end: usize) -> f64 {
    (start + end) as f64 / 2.0
}

fn lenient_distance(gold: &GoldMention, pred: &Prediction) -> Option<f64> {
    let d = (midpoint(gold.start, gold.end) - midpoint(pred.start, pred.end)).abs();
    (d <= LENIENT_MIDPOINT_WINDOW && gold.surface.to_lowercase() == pred.surface.to_lowercase())
        .then_some(d)
}

/// One-to-one matching, closest pairs first: `cost` gives the distance of
/// a pair or `None` when it cannot match. Returns gold → pred and
/// pred → gold.
fn match_pairs(
    gold: &[&GoldMention],
    preds: &[&Prediction],
    cost: impl Fn(&GoldMention, &Prediction) -> Option<f64>,
) -> (Vec<Option<usize>>, Vec<Option<usize>>) {
    let mut pairs = Vec::new();
    for (gi, g) in gold.iter().enumerate() {
        for (pi, p) in preds.iter().enumerate() {
            if let Some(c) = cost(g, p) {
                pairs.push((c, gi, pi));
            }
        }
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut g2p = vec![None; gold.len()];
    let mut p2g = vec![None; preds.len()];
    for (_, gi, pi) in pairs {
        if g2p[gi].is_none() && p2g[pi].is_none() {
            g2p[gi] = Some(pi);
            p2g[pi] = Some(gi);
        }
    }
    (g2p, p2g)
}

fn exact_span(g: &GoldMention, p: &Prediction) -> Option<f64> {
    (g.start == p.start && g.end == p.end).then_some(0.0)
}

fn context(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    let from = start.saturating_sub(CONTEXT_CHARS);
    let to = (end + CONTEXT_CHARS).min(chars.len());
    let clean = |s: &[char]| -> String {
        s.iter()
            .map(|&c| if c.is_whitespace() { ' ' } else { c })
            .collect()
    };
    format!(
        "{}{}[{}]{}{}",
        if from > 0 { "…" } else { "" },
        clean(&chars[from..start]),
        clean(&chars[start..end]),
        clean(&chars[end..to]),
        if to < chars.len() { "…" } else { "" }
    )
}

/// Scores predictions against gold. `predictions[i]` belongs to
/// `documents[i]` (missing entries count as no predictions).
pub fn score(
    documents: &[EvalDocument],
    predictions: &[Vec<Prediction>],
    coverage: &dyn Coverage,
    options: &ScoreOptions,
) -> ScoreReport {
    let mut kind_rows: BTreeMap<GoldKind, Acc> = BTreeMap::new();
    let mut label_rows: BTreeMap<String, Acc> = BTreeMap::new();
    let mut overall = Acc::default();
    let mut errors = Vec::new();
    let mut covered_cache: std::collections::HashMap<String, bool> = Default::default();
    let mut scored_predictions: Vec<(f64, bool)> = Vec::new();
    let mut judged = Vec::new();
    let empty = Vec::new();

    for (di, doc) in documents.iter().enumerate() {
        let chars: Vec<char> = doc.text.chars().collect();
        let gold: Vec<&GoldMention> = doc.gold.iter().filter(|g| options.scored(g.kind)).collect();
        let preds: Vec<&Prediction> = predictions
            .get(di)
            .unwrap_or(&empty)
            .iter()
            .filter(|p| options.scored(p.kind))
            .filter(|p| {
                doc.eval_span
                    .is_none_or(|(s, e)| p.start >= s && p.end <= e)
            })
            .collect();

        let (span_g, span_p) = match_pairs(&gold, &preds, exact_span);
        let (lspan_g, lspan_p) = match_pairs(&gold, &preds, lenient_distance);
        let with_id = |g: &GoldMention| !g.ids.is_empty();
        let (strict_g, strict_p) = match_pairs(&gold, &preds, |g, p| {
            (with_id(g) && ids_match(g, p)).then_some(())?;
            exact_span(g, p)
        });
        let (len_g, len_p) = match_pairs(&gold, &preds, |g, p| {
            (with_id(g) && ids_match(g, p)).then_some(())?;
            lenient_distance(g, p)
        });
        // Predictions on a span whose gold has no ID are neutral in the
        // strict (exact span) and lenient (lenient span) scores.
        let no_id_spans: HashSet<(usize, usize)> = gold
            .iter()
            .filter(|g| !with_id(g))
            .map(|g| (g.start, g.end))
            .collect();
        let no_id_gold: Vec<&GoldMention> = gold.iter().copied().filter(|g| !with_id(g)).collect();

        for (gi, g) in gold.iter().enumerate() {
            let is_covered = g.ids.iter().any(|id| {
                *covered_cache
                    .entry(id.clone())
                    .or_insert_with(|| coverage.covers(id))
            });
            let found = lspan_g[gi].map(|pi| preds[pi]);
            let add = |acc: &mut Acc| {
                acc.gold += 1;
                acc.span.gold += 1;
                acc.span.gold_matched += span_g[gi].is_some() as usize;
                acc.lenient_span.gold += 1;
                acc.lenient_span.gold_matched += lspan_g[gi].is_some() as usize;
                if with_id(g) {
                    acc.gold_with_id += 1;
                    acc.strict.gold += 1;
                    acc.strict.gold_matched += strict_g[gi].is_some() as usize;
                    acc.lenient.gold += 1;
                    acc.lenient.gold_matched += len_g[gi].is_some() as usize;
                    if is_covered {
                        acc.covered += 1;
                        acc.covered_strict += strict_g[gi].is_some() as usize;
                    }
                    if let Some(p) = found {
                        acc.found_with_id += 1;
                        acc.found_correct_id += ids_match(g, p) as usize;
                        if let (Some(a), Some(b)) = (g.coordinates, p.coordinates) {
                            acc.geo_found += 1;
                            acc.geo_ok += (haversine_km(a, b) <= ACC_DISTANCE_KM) as usize;
                        }
                    }
                }
            };
            add(&mut overall);
            add(kind_rows.entry(g.kind).or_default());
            if let Some(label) = &g.label {
                add(label_rows.entry(label.clone()).or_default());
            }
            let case = match found {
                None => Some("missed"),
                Some(p) if with_id(g) && !ids_match(g, p) => Some("wrong_id"),
                _ => None,
            };
            if let Some(case) = case {
                errors.push(ErrorCase {
                    case,
                    doc_id: doc.id.clone(),
                    start: g.start,
                    end: g.end,
                    surface: g.surface.clone(),
                    kind: g.kind,
                    gold_ids: g.ids.clone(),
                    covered: is_covered,
                    predicted_id: found.map(|p| p.ids[0].clone()),
                    predicted_name: found.map(|p| p.name.clone()),
                    score: found.map(|p| p.score),
                    context: context(&chars, g.start, g.end),
                });
            }
        }

        for (pi, p) in preds.iter().enumerate() {
            let neutral_strict = strict_p[pi].is_none() && no_id_spans.contains(&(p.start, p.end));
            let neutral_lenient =
                len_p[pi].is_none() && no_id_gold.iter().any(|g| lenient_distance(g, p).is_some());
            let add = |acc: &mut Acc| {
                acc.predicted += 1;
                acc.span.predicted += 1;
                acc.span.predicted_matched += span_p[pi].is_some() as usize;
                acc.lenient_span.predicted += 1;
                acc.lenient_span.predicted_matched += lspan_p[pi].is_some() as usize;
                if !neutral_strict {
                    acc.strict.predicted += 1;
                    acc.strict.predicted_matched += strict_p[pi].is_some() as usize;
                }
                if !neutral_lenient {
                    acc.lenient.predicted += 1;
                    acc.lenient.predicted_matched += len_p[pi].is_some() as usize;
                }
            };
            add(&mut overall);
            add(kind_rows.entry(p.kind).or_default());
            // A prediction on a gold span whose entity the gazetteer lacks
            // (or lacks the ID scheme of) could not have been right.
            let unreachable = span_p[pi].is_some_and(|gi| {
                let g = gold[gi];
                with_id(g) && !g.ids.iter().any(|id| covered_cache.get(id) == Some(&true))
            });
            if !neutral_strict {
                let right = strict_p[pi].is_some();
                scored_predictions.push((p.score, right));
                judged.push(Judged {
                    kind: p.kind,
                    match_kind: p.match_kind,
                    feature_code: p.feature_code.clone(),
                    written_in_latin: written_in_latin(&p.surface),
                    score: p.score,
                    right,
                    unreachable,
                });
            }
            if lspan_p[pi].is_none() {
                errors.push(ErrorCase {
                    case: "false_positive",
                    doc_id: doc.id.clone(),
                    start: p.start,
                    end: p.end,
                    surface: p.surface.clone(),
                    kind: p.kind,
                    gold_ids: Vec::new(),
                    covered: false,
                    predicted_id: p.ids.first().cloned(),
                    predicted_name: Some(p.name.clone()),
                    score: Some(p.score),
                    context: context(&chars, p.start, p.end),
                });
            }
        }
    }
    let kinds = if options.kinds.is_empty() {
        ScoreOptions::default().kinds
    } else {
        options.kinds.clone()
    };
    let (thresholds, reliability) = calibration(&scored_predictions, overall.strict.gold);
    ScoreReport {
        documents: documents.len(),
        kinds,
        thresholds,
        reliability,
        judged,
        overall: overall.finish("all", true),
        by_kind: kind_rows
            .iter()
            .map(|(k, acc)| acc.finish(k.as_str(), true))
            .collect(),
        by_label: label_rows
            .iter()
            .map(|(l, acc)| acc.finish(l, false))
            .collect(),
        errors,
    }
}
