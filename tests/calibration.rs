//! Score calibration: `min_score` judges calibrated scores, calibration
//! changes scores and nothing else, and `gazetteer calibrate` writes a
//! table that `gazetteer eval --calibration` reads.

use std::sync::Arc;

use gazetteer::resolve::{resolve, Calibration, Mention, ResolveOptions};

use crate::common::{fixture, index, path_str, run_gazetteer, succeeded};

/// A table that maps every raw score to `to`.
fn flat_table(to: f64) -> Arc<Calibration> {
    let json = format!(
        r#"{{"fitted_on":"test","curves":{{"all":{{"samples":1,"raw":[0.0,1.0],"calibrated":[{to},{to}]}}}}}}"#
    );
    Arc::new(Calibration::from_json(&json).expect("a valid table"))
}

fn resolve_with(text: &str, calibration: Option<Arc<Calibration>>, min_score: f64) -> Vec<Mention> {
    let options = ResolveOptions {
        calibration,
        min_score,
        ..ResolveOptions::default()
    };
    resolve(&index(), text, &options).expect("resolves")
}

const TEXT: &str = "Talks in Tehran and Moscow; later in Alexandria.";

#[test]
fn min_score_judges_the_calibrated_score() {
    let raw = resolve_with(TEXT, None, 0.0);
    assert!(raw.len() >= 3, "{raw:?}");
    assert!(raw.iter().any(|m| m.score > 0.5), "raw scores: {raw:?}");

    let flat = flat_table(0.2);
    let calibrated = resolve_with(TEXT, Some(flat.clone()), 0.0);
    assert_eq!(calibrated.len(), raw.len());
    assert!(calibrated.iter().all(|m| (m.score - 0.2).abs() < 1e-12));
    // Kept at 0.1 and dropped at 0.3 whatever the raw scores were.
    assert_eq!(resolve_with(TEXT, Some(flat.clone()), 0.1).len(), raw.len());
    assert!(resolve_with(TEXT, Some(flat), 0.3).is_empty());
}

#[test]
fn calibration_changes_scores_only() {
    // Right-to-left, non-BMP and Latin text: the same spans and entities
    // with raw and with embedded calibrated scores.
    let texts = [
        TEXT,
        "وزير الخارجية في طهران وموسكو 𝒳 اليوم",
        "🙂 Встреча в Тегеране и Москве; 𝒳 Alexandria (Virginia).",
    ];
    for text in texts {
        let raw = resolve_with(text, None, 0.0);
        let calibrated = resolve_with(text, Some(Calibration::embedded()), 0.0);
        let key = |ms: &[Mention]| -> Vec<_> {
            ms.iter()
                .map(|m| {
                    let runner_ups: Vec<_> =
                        m.candidates.iter().map(|c| c.entity.id.clone()).collect();
                    (m.span, m.entity.id.clone(), m.match_kind, runner_ups)
                })
                .collect()
        };
        assert_eq!(key(&raw), key(&calibrated), "{text}");
        for m in &calibrated {
            assert!((0.0..=1.0).contains(&m.score), "{m:?}");
            let total: f64 = m.score + m.candidates.iter().map(|c| c.score).sum::<f64>();
            assert!(total <= 1.0 + 1e-9, "scores add up to {total}: {m:?}");
            assert!(m.candidates.iter().all(|c| c.score <= m.score), "{m:?}");
            assert!(
                m.candidates.windows(2).all(|w| w[0].score >= w[1].score),
                "runner-ups stay in order: {m:?}"
            );
        }
    }
}

#[test]
fn calibrate_writes_a_table_that_eval_reads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("table.json");
    let corpora = fixture("eval");
    let gritta = corpora.join("gritta.xml");
    let brat = corpora.join("brat");
    let output = run_gazetteer(&[
        "calibrate",
        path_str(&gritta),
        path_str(&brat),
        "--out",
        path_str(&out),
    ]);
    succeeded(&output);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("ECE raw"), "{stdout}");
    assert!(stdout.contains("mean F1"), "{stdout}");
    let table = Calibration::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        table.fitted_on.contains("gritta.xml"),
        "{}",
        table.fitted_on
    );

    let output = run_gazetteer(&["eval", path_str(&gritta), "--calibration", path_str(&out)]);
    succeeded(&output);

    // A file that is not a table is refused, naming the file.
    let readme = corpora.join("README.md");
    let output = run_gazetteer(&[
        "eval",
        path_str(&gritta),
        "--calibration",
        path_str(&readme),
    ]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("README.md") && stderr.contains("calibration"),
        "{stderr}"
    );
}
