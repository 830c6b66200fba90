//! The human-readable table and the grouped error list.

use std::collections::HashMap;
use std::fmt::Write;

use serde::Serialize;

use super::{ErrorCase, Metrics, Prf, ReadStats, ScoreReport};

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "  –  ".to_string(), |v| format!("{v:.3}"))
}

fn prf(p: &Prf) -> String {
    format!("{}/{}/{}", num(p.precision), num(p.recall), num(p.f1))
}

fn row(out: &mut String, m: &Metrics) {
    let _ = writeln!(
        out,
        "{:<18} {:>6} {:>6} {:>6}  {:<19} {:<19} {:<19} {:<19}  {:>6} {:>6} {:>6} {:>7}",
        m.name,
        m.gold,
        m.gold_with_id,
        m.predicted,
        prf(&m.strict),
        prf(&m.lenient),
        prf(&m.span),
        prf(&m.lenient_span),
        num(m.id_accuracy),
        num(m.acc_at_161km),
        num(m.coverage),
        num(m.strict_recall_covered),
    );
}

/// Renders the report as a table: one row overall, one per kind, one per
/// corpus type label. `title` heads it.
pub fn render_table(report: &ScoreReport, stats: &ReadStats, title: &str) -> String {
    let mut out = String::new();
    let kinds: Vec<&str> = report.kinds.iter().map(|k| k.as_str()).collect();
    let _ = writeln!(
        out,
        "{title}: {} documents; kinds scored: {}",
        report.documents,
        kinds.join(", ")
    );
    let _ = writeln!(
        out,
        "gold spans: {} re-anchored, {} unanchored (dropped), {} coreference skipped, {} outside the evaluated part, {} discontinuous",
        stats.reanchored,
        stats.unanchored,
        stats.coreference_skipped,
        stats.outside_eval_span,
        stats.discontinuous
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<18} {:>6} {:>6} {:>6}  {:<19} {:<19} {:<19} {:<19}  {:>6} {:>6} {:>6} {:>7}",
        "row",
        "gold",
        "w/ID",
        "pred",
        "strict P/R/F1",
        "lenient P/R/F1",
        "span P/R/F1",
        "lenient-span P/R/F1",
        "ID acc",
        "@161km",
        "cover",
        "R|cover",
    );
    row(&mut out, &report.overall);
    for m in &report.by_kind {
        row(&mut out, m);
    }
    if !report.by_label.is_empty() {
        let _ = writeln!(
            out,
            "by corpus type (recall only; precision needs a predicted type):"
        );
        for m in &report.by_label {
            row(&mut out, m);
        }
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "by min_score (strict P/R/F1)      score decile: predictions, mean score, strict precision"
    );
    for (t, b) in report.thresholds.iter().zip(&report.reliability) {
        let _ = writeln!(
            out,
            "  >= {:.1}  {} {} {}        [{:.1}, {:.1}{}  {:>6}  {:.3}  {:.3}",
            t.min_score,
            three(t.strict.precision),
            three(t.strict.recall),
            three(t.strict.f1),
            b.low,
            b.high,
            if b.high >= 1.0 { "]" } else { ")" },
            b.predictions,
            b.mean_score,
            b.precision,
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "strict: span and ID equal; lenient: same lowercased surface, midpoints within 10 code points, same ID; \
         span: span equal; lenient-span: lenient without IDs. Gold without an ID counts in the span scores only. \
         ID acc: correct ID among gold with an ID found (lenient span); @161km: found places within 161 km of the gold point; \
         cover: gold IDs the gazetteer holds; R|cover: strict recall over covered gold."
    );
    out
}

/// A ratio with three decimals, `  -  ` when undefined.
fn three(value: Option<f64>) -> String {
    value.map_or_else(|| "  -  ".to_string(), |v| format!("{v:.3}"))
}

/// case, lowercased surface, gold IDs, predicted ID.
type GroupKey<'a> = (&'a str, String, Vec<String>, Option<String>);

/// Error cases of one kind grouped by what went wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorGroup {
    /// `missed`, `wrong_id` or `false_positive`.
    pub case: &'static str,
    /// How many times.
    pub count: usize,
    /// The first occurrence.
    pub example: ErrorCase,
}

/// Groups error cases by case, lowercased surface, gold IDs and predicted
/// ID, and keeps the `n` most frequent of each case (ties: the
/// higher-scoring prediction, then first seen).
pub fn group_errors(errors: &[ErrorCase], n: usize) -> Vec<ErrorGroup> {
    let mut groups: Vec<ErrorGroup> = Vec::new();
    let mut at: HashMap<GroupKey<'_>, usize> = HashMap::new();
    for e in errors {
        let key = (
            e.case,
            e.surface.to_lowercase(),
            e.gold_ids.clone(),
            e.predicted_id.clone(),
        );
        match at.get(&key) {
            Some(&i) => groups[i].count += 1,
            None => {
                at.insert(key, groups.len());
                groups.push(ErrorGroup {
                    case: e.case,
                    count: 1,
                    example: e.clone(),
                });
            }
        }
    }
    let mut out = Vec::new();
    for case in ["missed", "wrong_id", "false_positive"] {
        let mut of_case: Vec<&ErrorGroup> = groups.iter().filter(|g| g.case == case).collect();
        of_case.sort_by(|a, b| {
            b.count.cmp(&a.count).then(
                b.example
                    .score
                    .unwrap_or(0.0)
                    .total_cmp(&a.example.score.unwrap_or(0.0)),
            )
        });
        out.extend(of_case.into_iter().take(n).cloned());
    }
    out
}

/// Renders the `n` most frequent misses, wrong IDs and false positives,
/// each with its context.
pub fn render_errors(report: &ScoreReport, n: usize) -> String {
    let groups = group_errors(&report.errors, n);
    let mut out = String::new();
    for (case, heading) in [
        ("missed", "Missed gold mentions (no prediction on the span)"),
        ("wrong_id", "Found with the wrong ID"),
        (
            "false_positive",
            "False positives (prediction on no gold span)",
        ),
    ] {
        let total = report.errors.iter().filter(|e| e.case == case).count();
        let _ = writeln!(out, "{heading}: {total} in all, most frequent first");
        for g in groups.iter().filter(|g| g.case == case) {
            let e = &g.example;
            let gold = if e.gold_ids.is_empty() {
                String::new()
            } else {
                format!(
                    " gold {}{}",
                    e.gold_ids.join(","),
                    if e.covered { "" } else { " (not in gazetteer)" }
                )
            };
            let pred = match (&e.predicted_id, &e.predicted_name) {
                (Some(id), Some(name)) => {
                    format!(" → {id} {name} ({:.2})", e.score.unwrap_or(0.0))
                }
                _ => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:>4}× {:?} [{}]{gold}{pred}\n        {}: {}",
                g.count, e.surface, e.kind, e.doc_id, e.context
            );
        }
        let _ = writeln!(out);
    }
    out
}
