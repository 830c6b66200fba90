//! `gazetteer calibrate`: fits the score calibration on annotated corpora
//! and shows how well one threshold carries over between them.
//!
//! Each corpus is resolved with raw scores; its predictions of the kinds
//! its gold annotates are judged by the strict rule (span and ID); the
//! pooled judgements fit one monotone curve per entity kind and match kind.
//! For each corpus the report gives the expected calibration error of the
//! raw scores, of the pooled fit, and of a fit on the other corpora only
//! (the honest figure for a corpus the table has not seen).

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::Context;
use gazetteer::eval::{
    self, Corpus, GoldKind, IndexCoverage, Prediction, Prf, ScoreOptions, ThresholdRow,
};
use gazetteer::index::{FeatureClass, Index};
use gazetteer::resolve::{Calibration, ResolveOptions, Sample};
use gazetteer::text::written_in_latin;

use crate::eval_command::{open_index, read_corpus, resolve_corpus};
use crate::IndexArg;

/// Arguments of `gazetteer calibrate`.
#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// Gold corpora (Gritta XML files, brat directories, ELEVANT JSON
    /// Lines files), formats guessed from their paths.
    #[arg(required = true)]
    pub corpora: Vec<PathBuf>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Write the fitted table here (JSON); `eval --calibration FILE` uses
    /// it, and `src/resolve/calibration.json` is the embedded one.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Also match demonyms while fitting.
    #[arg(long)]
    pub include_demonyms: bool,
}

/// One corpus resolved with raw scores.
struct Resolved {
    name: String,
    corpus: Corpus,
    options: ScoreOptions,
    predictions: Vec<Vec<Prediction>>,
    samples: Vec<Sample>,
}

pub fn calibrate(args: CalibrateArgs) -> anyhow::Result<()> {
    let index = open_index(&args.index)?;
    let raw = ResolveOptions {
        include_demonyms: args.include_demonyms,
        calibration: None,
        ..ResolveOptions::default()
    };
    let mut resolved = Vec::new();
    for path in &args.corpora {
        let (_, corpus) = read_corpus(path, None)?;
        let options = ScoreOptions {
            kinds: annotated_kinds(&corpus),
        };
        let predictions = resolve_corpus(&index, &corpus, &raw)?;
        let samples = judge(&index, &corpus, &predictions, &options);
        resolved.push(Resolved {
            name: path.display().to_string(),
            corpus,
            options,
            predictions,
            samples,
        });
    }
    let all: Vec<Sample> = resolved
        .iter()
        .flat_map(|r| r.samples.iter().cloned())
        .collect();
    let names: Vec<&str> = resolved.iter().map(|r| r.name.as_str()).collect();
    let fitted_on = format!(
        "gazetteer calibrate {} ({} judged mentions; index version {})",
        names.join(" "),
        all.len(),
        index.version()
    );
    let table = Calibration::fit(&all, fitted_on);

    println!("corpus\tjudged\tECE raw\tECE fitted\tECE fitted without it");
    for (i, r) in resolved.iter().enumerate() {
        let others: Vec<Sample> = resolved
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .flat_map(|(_, o)| o.samples.iter().cloned())
            .collect();
        let held_out = Calibration::fit(&others, String::new());
        println!(
            "{}\t{}\t{:.3}\t{:.3}\t{:.3}",
            r.name,
            r.samples.len(),
            calibration_error(&r.samples, None),
            calibration_error(&r.samples, Some(&table)),
            calibration_error(&r.samples, Some(&held_out)),
        );
    }
    println!();
    print_thresholds(&index, &resolved, &table);
    println!();
    println!("class\tjudged\tpoints (raw → calibrated)");
    for (class, curve) in &table.curves {
        let points: Vec<String> = curve
            .raw
            .iter()
            .zip(&curve.calibrated)
            .map(|(x, y)| format!("{x:.2}→{y:.2}"))
            .collect();
        println!("{class}\t{}\t{}", curve.samples, points.join(" "));
    }
    let json = serde_json::to_string_pretty(&table)? + "\n";
    match &args.out {
        Some(out) => {
            std::fs::write(out, json).with_context(|| format!("writing {}", out.display()))?;
            eprintln!("wrote {}", out.display());
        }
        None => print!("\n{json}"),
    }
    Ok(())
}

/// The entity kinds a corpus annotates: predictions of other kinds are
/// neither right nor wrong there.
fn annotated_kinds(corpus: &Corpus) -> Vec<GoldKind> {
    let kinds: BTreeSet<GoldKind> = corpus
        .documents
        .iter()
        .flat_map(|d| d.gold.iter().map(|g| g.kind))
        .filter(|k| k.entity_kind().is_some())
        .collect();
    kinds.into_iter().collect()
}

/// The strict judgement of each prediction with a match kind, less those
/// on gold mentions of entities the gazetteer lacks.
fn judge(
    index: &Index,
    corpus: &Corpus,
    predictions: &[Vec<Prediction>],
    options: &ScoreOptions,
) -> Vec<Sample> {
    let coverage = IndexCoverage::new(index);
    let report = eval::score(&corpus.documents, predictions, &coverage, options);
    report
        .judged
        .iter()
        .filter(|j| !j.unreachable)
        .filter_map(|j| {
            Some(Sample {
                entity_kind: j.kind.entity_kind()?,
                match_kind: j.match_kind?,
                feature: FeatureClass::from_feature_code(j.feature_code.as_deref()),
                written_in_latin: j.written_in_latin,
                raw: j.score,
                right: j.right,
            })
        })
        .collect()
}

/// Expected calibration error over ten equal-width score bins: the mean
/// gap between a bin's mean score and its share of right predictions,
/// weighted by the bin's size.
fn calibration_error(samples: &[Sample], table: Option<&Calibration>) -> f64 {
    let score = |s: &Sample| {
        table.map_or(s.raw, |t| {
            t.apply(
                (s.entity_kind, s.match_kind, s.feature, s.written_in_latin),
                s.raw,
            )
        })
    };
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for s in samples {
        let x = score(s);
        let bin = ((x * 10.0) as usize).min(9);
        bins[bin].0 += x;
        bins[bin].1 += f64::from(u8::from(s.right));
        bins[bin].2 += 1;
    }
    let total = samples.len().max(1) as f64;
    bins.iter()
        .map(|&(sum, right, _)| (sum - right).abs() / total)
        .sum()
}

/// Strict P/R/F1 of one corpus at each calibrated threshold 0.0–0.9.
fn threshold_rows(index: &Index, r: &Resolved, table: &Calibration) -> Vec<ThresholdRow> {
    let calibrated: Vec<Vec<Prediction>> = r
        .predictions
        .iter()
        .map(|doc| {
            doc.iter()
                .map(|p| {
                    let mut p = p.clone();
                    if let (Some(kind), Some(match_kind)) = (p.kind.entity_kind(), p.match_kind) {
                        let feature = FeatureClass::from_feature_code(p.feature_code.as_deref());
                        let latin = written_in_latin(&p.surface);
                        p.score = table.apply((kind, match_kind, feature, latin), p.score);
                    }
                    p
                })
                .collect()
        })
        .collect();
    let coverage = IndexCoverage::new(index);
    eval::score(&r.corpus.documents, &calibrated, &coverage, &r.options).thresholds
}

/// Prints strict F1 by calibrated threshold for each corpus, their mean
/// (each corpus weighs the same) and the F1 of the pooled counts.
fn print_thresholds(index: &Index, resolved: &[Resolved], table: &Calibration) {
    let rows: Vec<Vec<ThresholdRow>> = resolved
        .iter()
        .map(|r| threshold_rows(index, r, table))
        .collect();
    let names: Vec<&str> = resolved.iter().map(|r| r.name.as_str()).collect();
    println!("min score\t{}\tmean F1\tpooled F1", names.join("\t"));
    for step in 0..rows[0].len() {
        let at: Vec<&Prf> = rows.iter().map(|corpus| &corpus[step].strict).collect();
        let f1s: Vec<f64> = at.iter().map(|prf| prf.f1.unwrap_or(0.0)).collect();
        let mean = f1s.iter().sum::<f64>() / f1s.len() as f64;
        let sum = |f: fn(&Prf) -> usize| at.iter().map(|prf| f(prf)).sum::<usize>();
        let pooled = Prf::new(
            sum(|p| p.gold),
            sum(|p| p.gold_matched),
            sum(|p| p.predicted),
            sum(|p| p.predicted_matched),
            true,
        );
        let cells: Vec<String> = f1s.iter().map(|f| format!("{f:.3}")).collect();
        println!(
            "{:.1}\t{}\t{mean:.3}\t{:.3}",
            rows[0][step].min_score,
            cells.join("\t"),
            pooled.f1.unwrap_or(0.0)
        );
    }
}
