//! `gazetteer eval`: the readers on hand-written fixtures, the scoring
//! arithmetic on hand-made predictions, the command end to end (in-process
//! and against a server), and sanity runs on the real corpora in
//! `../shared/eval` when they are present.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use gazetteer::eval::{
    self, char_slice, haversine_km, Corpus, EvalDocument, Format, GoldKind, GoldMention,
    IndexCoverage, Metrics, Prediction, Prf, ScoreOptions,
};
use gazetteer::resolve::{resolve, ResolveOptions};
use serde_json::Value;

use crate::common::{fixture, index};

fn eval_fixture(name: &str) -> PathBuf {
    fixture("eval").join(name)
}

fn assert_anchored(corpus: &Corpus) {
    for doc in &corpus.documents {
        for g in &doc.gold {
            if g.label.is_some() && g.surface != char_slice(&doc.text, g.start, g.end) {
                // discontinuous brat spans take the text between the parts
                continue;
            }
            assert_eq!(
                char_slice(&doc.text, g.start, g.end),
                g.surface,
                "doc {} gold {}..{}",
                doc.id,
                g.start,
                g.end
            );
        }
    }
}

#[test]
fn gritta_reader_reads_ids_coordinates_and_reanchors() {
    let corpus = eval::read_gritta(&eval_fixture("gritta.xml")).unwrap();
    assert_eq!(corpus.documents.len(), 2);
    assert_eq!(corpus.stats.reanchored, 1, "Japan slipped by two");
    assert_eq!(corpus.stats.unanchored, 1, "Atlantis occurs nowhere");
    assert_anchored(&corpus);

    let a1 = &corpus.documents[0];
    assert_eq!(a1.id, "a1");
    assert!(a1.text.contains("Tehran & Moscow"), "&amp; is unescaped");
    let surfaces: Vec<&str> = a1.gold.iter().map(|g| g.surface.as_str()).collect();
    assert_eq!(surfaces, ["Tehran", "Moscow", "Springfield"]);
    assert_eq!(a1.gold[0].ids, ["geonames:112931"]);
    assert_eq!(a1.gold[0].coordinates, Some((35.69439, 51.42151)));
    assert_eq!(a1.gold[1].start, 36);
    assert!(a1.gold[2].ids.is_empty(), "no gaztag: a span without an ID");
    assert!(a1.gold.iter().all(|g| g.kind == GoldKind::Place));

    let a2 = &corpus.documents[1];
    let surfaces: Vec<&str> = a2.gold.iter().map(|g| g.surface.as_str()).collect();
    assert_eq!(surfaces, ["Zürich", "Japan", "Zürich"]);
    let japan = &a2.gold[1];
    assert_eq!(
        (japan.start, japan.end),
        (40, 45),
        "moved to the exact occurrence"
    );
    assert_eq!(japan.ids, ["geonames:1861060"]);
}

#[test]
fn brat_reader_maps_types_links_and_discontinuous_spans() {
    let corpus = eval::read_brat_dir(&eval_fixture("brat")).unwrap();
    assert_eq!(corpus.documents.len(), 2);
    assert_eq!(corpus.documents[0].id, "001_text");
    assert_eq!(corpus.stats.discontinuous, 1);
    assert_eq!(corpus.stats.reanchored, 1, "Берлин slipped by one");
    assert_eq!(corpus.stats.unanchored, 1, "Лондоне occurs nowhere");
    assert_anchored(&corpus);

    let d1 = &corpus.documents[0];
    let find = |doc: &EvalDocument, s: &str| -> GoldMention {
        doc.gold.iter().find(|g| g.surface == s).cloned().unwrap()
    };
    let russia = find(d1, "России");
    assert_eq!(russia.kind, GoldKind::Place);
    assert_eq!(russia.label.as_deref(), Some("COUNTRY"));
    assert_eq!(russia.ids, ["wikidata:Q159"]);
    assert_eq!(find(d1, "Москве").ids, ["wikidata:Q649"]);
    assert_eq!(find(d1, "Президент").kind, GoldKind::Other);

    let d2 = &corpus.documents[1];
    let ministry = &d2.gold[0];
    assert_eq!(ministry.kind, GoldKind::Organization);
    assert_eq!(
        (ministry.start, ministry.end),
        (0, 47),
        "first start to last end"
    );
    assert_eq!(ministry.surface, char_slice(&d2.text, 0, 47));
    let person = find(d2, "Иван Петров");
    assert_eq!(person.kind, GoldKind::Person);
    assert!(person.ids.is_empty(), "Wikidata:NULL is no ID");
    let berlin = find(d2, "Берлин");
    assert_eq!(char_slice(&d2.text, berlin.start, berlin.end), "Берлин");
    assert_eq!(berlin.ids, ["wikidata:Q64"]);
    assert!(d2.gold.iter().all(|g| g.surface != "Лондоне"));
}

#[test]
fn elevant_reader_skips_coreference_and_outside_labels() {
    let corpus = eval::read_elevant(&eval_fixture("elevant.jsonl")).unwrap();
    assert_eq!(corpus.documents.len(), 2);
    assert_eq!(corpus.stats.coreference_skipped, 2, "She, the company");
    assert_eq!(corpus.stats.outside_eval_span, 1, "Berlin");
    assert_anchored(&corpus);

    let d1 = &corpus.documents[0];
    assert_eq!(d1.id, "1");
    let kinds: Vec<(&str, GoldKind)> = d1
        .gold
        .iter()
        .map(|g| (g.surface.as_str(), g.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            ("Angela Merkel", GoldKind::Person),
            ("Paris", GoldKind::Place),
            ("Friday", GoldKind::Other),
            ("Paris", GoldKind::Place),
            ("France", GoldKind::Place),
        ]
    );
    assert_eq!(d1.gold[0].ids, ["wikidata:Q567"]);
    assert!(d1.gold[2].ids.is_empty(), "<NIL>");

    let d2 = &corpus.documents[1];
    assert_eq!(d2.id, "doc-2");
    assert_eq!(d2.eval_span, Some((25, d2.text.chars().count())));
    let acme = &d2.gold[0];
    assert_eq!(
        (acme.surface.as_str(), acme.kind),
        ("Acme Corp", GoldKind::Organization)
    );
    assert!(acme.ids.is_empty());
}

#[test]
fn formats_are_detected_from_the_path() {
    assert_eq!(
        Format::detect(&eval_fixture("gritta.xml")),
        Some(Format::Gritta)
    );
    assert_eq!(Format::detect(&eval_fixture("brat")), Some(Format::Brat));
    assert_eq!(
        Format::detect(&eval_fixture("elevant.jsonl")),
        Some(Format::Elevant)
    );
    assert_eq!(Format::detect(&eval_fixture("README.md")), None);
}

#[test]
fn readers_reject_malformed_input() {
    assert!(eval::parse_gritta("<articles><article><text>x</text>", "t").is_err());
    assert!(eval::parse_gritta(
        "<articles><article><text>x</text><toponyms><toponym><start>a</start></toponym></toponyms></article></articles>",
        "t"
    )
    .is_err());
    assert!(eval::parse_elevant("{not json", "t").is_err());
    assert!(eval::read_gritta(Path::new("/nonexistent/x.xml")).is_err());
}

fn gold(start: usize, surface: &str, kind: GoldKind, ids: &[&str]) -> GoldMention {
    GoldMention {
        start,
        end: start + surface.chars().count(),
        surface: surface.to_string(),
        kind,
        label: None,
        ids: ids.iter().map(|s| s.to_string()).collect(),
        coordinates: None,
    }
}

fn pred(start: usize, surface: &str, ids: &[&str]) -> Prediction {
    Prediction {
        start,
        end: start + surface.chars().count(),
        surface: surface.to_string(),
        kind: GoldKind::Place,
        ids: ids.iter().map(|s| s.to_string()).collect(),
        name: surface.to_string(),
        coordinates: None,
        score: 0.5,
        match_kind: None,
        feature_code: None,
    }
}

fn close(a: Option<f64>, b: f64) {
    let a = a.expect("a value");
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

/// Gold: Paris (strict hit), Berlin (right span, wrong ID), Xland (no
/// ID, predicted), Ohio (found two code points off: lenient only), Smith
/// (a person, not predicted). Predictions add one spurious "Nowh".
fn hand_made() -> (Vec<EvalDocument>, Vec<Vec<Prediction>>) {
    let text = "Paris and Berlin, Xland; Nowh. Smith of Ohio  went";
    let mut paris = gold(0, "Paris", GoldKind::Place, &["geonames:1"]);
    paris.coordinates = Some((48.8566, 2.3522));
    let mut berlin = gold(10, "Berlin", GoldKind::Place, &["geonames:2"]);
    berlin.coordinates = Some((52.52, 13.405));
    let doc = EvalDocument {
        id: "d".into(),
        text: text.into(),
        gold: vec![
            paris,
            berlin,
            gold(18, "Xland", GoldKind::Place, &[]),
            gold(31, "Smith", GoldKind::Person, &["wikidata:Q7"]),
            gold(38, "Ohio", GoldKind::Place, &["geonames:5"]),
        ],
        eval_span: None,
    };
    let mut p1 = pred(0, "Paris", &["geonames:1", "wikidata:Q90"]);
    p1.coordinates = Some((48.86, 2.34));
    let mut p2 = pred(10, "Berlin", &["geonames:3"]);
    p2.coordinates = Some((40.71, -74.0));
    let preds = vec![
        p1,
        p2,
        pred(18, "Xland", &["geonames:4"]),
        pred(25, "Nowh", &["geonames:6"]),
        pred(40, "Ohio", &["geonames:5"]),
    ];
    (vec![doc], vec![preds])
}

fn covered(id: &str) -> bool {
    ["geonames:1", "geonames:2", "wikidata:Q7"].contains(&id)
}

#[test]
fn thresholds_and_reliability_bins_follow_the_scores() {
    let (docs, mut preds) = hand_made();
    // Paris (right) 0.95, Berlin (wrong ID) 0.55, Xland (neutral) 0.9,
    // Nowh (spurious) 0.15, Ohio (lenient only, strictly wrong) 0.45.
    for (p, score) in preds[0].iter_mut().zip([0.95, 0.55, 0.9, 0.15, 0.45]) {
        p.score = score;
    }
    let report = eval::score(&docs, &preds, &covered, &ScoreOptions::default());
    let at = |t: f64| {
        report
            .thresholds
            .iter()
            .find(|row| (row.min_score - t).abs() < 1e-9)
            .expect("a row")
            .strict
    };
    // No threshold: the strict score itself.
    assert_eq!(at(0.0), report.overall.strict);
    // From 0.5: Paris and Berlin kept, one right of two; recall 1 of 4.
    close(at(0.5).precision, 0.5);
    close(at(0.5).recall, 0.25);
    // From 0.6: Paris alone.
    close(at(0.6).precision, 1.0);
    // From 0.9: still Paris alone (Xland, neutral, never counts).
    assert_eq!((at(0.9).predicted, at(0.9).predicted_matched), (1, 1));
    assert_eq!(report.thresholds.len(), 10);
    let bin = |low: f64| {
        report
            .reliability
            .iter()
            .find(|b| (b.low - low).abs() < 1e-9)
            .expect("a bin")
    };
    // The neutral Xland prediction is left out of the bins too.
    assert_eq!(bin(0.9).predictions, 1);
    close(Some(bin(0.9).precision), 1.0);
    assert_eq!(bin(0.5).predictions, 1);
    close(Some(bin(0.5).precision), 0.0);
    assert_eq!(bin(0.1).predictions, 1);
    assert_eq!(
        report
            .reliability
            .iter()
            .map(|b| b.predictions)
            .sum::<usize>(),
        4
    );
}

#[test]
fn scoring_counts_strict_lenient_span_accuracy_distance_and_coverage() {
    let (docs, preds) = hand_made();
    let report = eval::score(&docs, &preds, &covered, &ScoreOptions::default());
    let all = &report.overall;
    assert_eq!((all.gold, all.gold_with_id, all.predicted), (5, 4, 5));

    // strict: Paris only; Xland's prediction is neutral (gold without ID)
    assert_eq!(
        (
            all.strict.gold,
            all.strict.gold_matched,
            all.strict.predicted,
            all.strict.predicted_matched
        ),
        (4, 1, 4, 1)
    );
    close(all.strict.precision, 0.25);
    close(all.strict.recall, 0.25);
    close(all.strict.f1, 0.25);
    // lenient: Paris and Ohio (midpoints 2 apart, same surface and ID)
    close(all.lenient.precision, 0.5);
    close(all.lenient.recall, 0.5);
    // span: Paris, Berlin, Xland
    close(all.span.precision, 0.6);
    close(all.span.recall, 0.6);
    // lenient span: and Ohio
    close(all.lenient_span.f1, 0.8);
    // ID accuracy over found gold with an ID: Paris, Berlin, Ohio → 2 of 3
    assert_eq!((all.found_with_id, all.found_correct_id), (3, 2));
    close(all.id_accuracy, 2.0 / 3.0);
    // acc@161: Paris near, Berlin predicted in New York
    assert_eq!((all.geo_found, all.geo_within_161km), (2, 1));
    close(all.acc_at_161km, 0.5);
    // coverage: Paris, Berlin, Smith of the four with IDs
    close(all.coverage, 0.75);
    close(all.strict_recall_covered, 1.0 / 3.0);

    let row = |name: &str| -> &Metrics { report.by_kind.iter().find(|m| m.name == name).unwrap() };
    let person = row("person");
    assert_eq!((person.gold, person.predicted), (1, 0));
    assert_eq!(person.strict.precision, None);
    close(person.strict.recall, 0.0);
    let place = row("place");
    assert_eq!((place.gold, place.predicted), (4, 5));

    let cases: Vec<(&str, &str)> = report
        .errors
        .iter()
        .map(|e| (e.case, e.surface.as_str()))
        .collect();
    assert_eq!(
        cases,
        [
            ("wrong_id", "Berlin"),
            ("missed", "Smith"),
            ("false_positive", "Nowh")
        ]
    );
    assert!(report.errors[2].context.contains("[Nowh]"));
    let text = eval::render_errors(&report, 5);
    assert!(text.contains("Berlin") && text.contains("Nowh") && text.contains("Smith"));
    let table = eval::render_table(&report, &Default::default(), "hand-made");
    assert!(table.contains("0.250/0.250/0.250"), "{table}");
}

#[test]
fn scoring_respects_kinds_and_the_evaluated_part() {
    let (docs, preds) = hand_made();
    let people = ScoreOptions {
        kinds: vec![GoldKind::Person],
    };
    let report = eval::score(&docs, &preds, &covered, &people);
    assert_eq!((report.overall.gold, report.overall.predicted), (1, 0));

    let mut docs = docs;
    docs[0].eval_span = Some((20, 50));
    let report = eval::score(&docs, &preds, &covered, &ScoreOptions::default());
    assert_eq!(report.overall.predicted, 2, "only Nowh and Ohio lie inside");
}

#[test]
fn prf_and_distance_arithmetic() {
    let p = Prf::new(10, 5, 4, 4, true);
    close(p.precision, 1.0);
    close(p.recall, 0.5);
    close(p.f1, 2.0 / 3.0);
    let zero = Prf::new(3, 0, 2, 0, true);
    close(zero.f1, 0.0);
    assert_eq!(Prf::new(0, 0, 0, 0, true).f1, None);
    assert_eq!(Prf::new(3, 1, 0, 0, false).precision, None);

    let paris = (48.8566, 2.3522);
    let london = (51.5074, -0.1278);
    let d = haversine_km(paris, london);
    assert!((d - 343.5).abs() < 2.0, "{d}");
    assert!(haversine_km(paris, paris) < 1e-9);
}

#[test]
fn coverage_counts_canonical_and_external_ids() {
    let index = index();
    let coverage = IndexCoverage::new(&index);
    use gazetteer::eval::Coverage;
    assert!(coverage.covers("geonames:112931"));
    assert!(coverage.covers("wikidata:Q17"), "Japan's Wikidata ID");
    assert!(coverage.covers("wikidata:Q649"), "Moscow's Wikidata ID");
    assert!(!coverage.covers("wikidata:Q0"));
    assert!(!coverage.covers("geonames:0"));
}

// ---- the command ----

fn gazetteer() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazetteer"));
    command
        .env_remove("GAZETTEER_INDEX")
        .env_remove("GAZETTEER_LOG")
        .stdin(Stdio::null());
    command
}

fn run(args: &[&str]) -> Output {
    gazetteer().args(args).output().expect("the binary runs")
}

fn json_of(output: &Output) -> Value {
    assert!(
        output.status.success(),
        "exit {:?}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is JSON")
}

fn assert_unit_interval(v: &Value) {
    match v {
        Value::Object(map) => {
            for (key, value) in map {
                let ratio = matches!(
                    key.as_str(),
                    "precision"
                        | "recall"
                        | "f1"
                        | "id_accuracy"
                        | "acc_at_161km"
                        | "coverage"
                        | "strict_recall_covered"
                );
                if ratio {
                    if let Some(x) = value.as_f64() {
                        assert!((0.0..=1.0).contains(&x), "{key} = {x}");
                    }
                } else {
                    assert_unit_interval(value);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(assert_unit_interval),
        _ => {}
    }
}

#[test]
fn cli_scores_a_gritta_fixture_as_json() {
    let path = eval_fixture("gritta.xml");
    let out = json_of(&run(&[
        "eval",
        path.to_str().unwrap(),
        "--json",
        "--errors",
        "3",
    ]));
    assert_eq!(out["format"], "gritta");
    assert_eq!(out["readStats"]["reanchored"], 1);
    assert_eq!(out["readStats"]["unanchored"], 1);
    let all = &out["report"]["overall"];
    assert_eq!(all["gold"], 6);
    assert_eq!(all["gold_with_id"], 5);
    assert!(
        all["strict"]["gold_matched"].as_u64().unwrap() >= 2,
        "Tehran and Moscow: {all}"
    );
    assert!(out["errors"].is_array());
    assert_unit_interval(&out);
}

#[test]
fn cli_prints_a_table_and_errors_for_each_format() {
    for name in ["gritta.xml", "brat", "elevant.jsonl"] {
        let path = eval_fixture(name);
        let output = run(&["eval", path.to_str().unwrap(), "--errors", "2"]);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(stdout.contains("strict P/R/F1"), "{name}: {stdout}");
        assert!(stdout.contains("\nplace "), "{name}: {stdout}");
        assert!(stdout.contains("Missed gold mentions"), "{name}: {stdout}");
    }
    let brat = eval_fixture("brat");
    let stdout = run(&[
        "eval",
        "--format",
        "brat",
        brat.to_str().unwrap(),
        "--kinds",
        "place",
    ])
    .stdout;
    let stdout = String::from_utf8_lossy(&stdout);
    assert!(stdout.contains("COUNTRY"), "per-type rows: {stdout}");
    assert!(!stdout.contains("\nperson "), "{stdout}");
}

#[test]
fn cli_rejects_bad_arguments() {
    let readme = eval_fixture("README.md");
    let output = run(&["eval", readme.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--format"));
    let xml = eval_fixture("gritta.xml");
    let output = run(&["eval", xml.to_str().unwrap(), "--kinds", "planet"]);
    assert_eq!(output.status.code(), Some(64));
    let output = run(&["eval", xml.to_str().unwrap(), "--min-score", "2"]);
    assert_eq!(output.status.code(), Some(64));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cli_scores_a_running_server_like_in_process() {
    let index = tokio::task::spawn_blocking(index).await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(gazetteer::server::serve(
        listener,
        index,
        gazetteer::grpc::Limits::default(),
        async {
            let _ = rx.await;
        },
    ));
    let path = eval_fixture("elevant.jsonl");
    let (remote, local) = tokio::task::spawn_blocking(move || {
        let p = path.to_str().unwrap();
        let remote = json_of(&run(&["eval", p, "--json", "--server", &addr.to_string()]));
        let local = json_of(&run(&["eval", p, "--json"]));
        (remote, local)
    })
    .await
    .unwrap();
    tx.send(()).ok();
    server.await.unwrap().unwrap();
    let strict = |v: &Value| v["report"]["overall"]["strict"].clone();
    let span = |v: &Value| v["report"]["overall"]["span"].clone();
    assert_eq!(strict(&remote), strict(&local));
    assert_eq!(span(&remote), span(&local));
    assert!(remote["resolver"].as_str().unwrap().starts_with("server"));
}

// ---- the real corpora, when present ----

fn shared(rel: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/eval")
        .join(rel);
    if path.exists() {
        Some(path)
    } else {
        eprintln!(
            "skipping: {} is absent (the evaluation corpora live in ../shared/eval)",
            path.display()
        );
        None
    }
}

fn sanity_run(path: &Path, format: Format) {
    let corpus = eval::read_corpus(path, format).unwrap();
    assert!(!corpus.documents.is_empty());
    let gold: usize = corpus.documents.iter().map(|d| d.gold.len()).sum();
    assert!(gold > 0);
    let index = index();
    let predictions: Vec<Vec<Prediction>> = corpus
        .documents
        .iter()
        .map(|d| {
            resolve(&index, &d.text, &ResolveOptions::default())
                .unwrap()
                .iter()
                .map(Prediction::from_mention)
                .collect()
        })
        .collect();
    let coverage = IndexCoverage::new(&index);
    let report = eval::score(
        &corpus.documents,
        &predictions,
        &coverage,
        &ScoreOptions::default(),
    );
    assert!(report.overall.gold > 0);
    let json = serde_json::to_value(&report).unwrap();
    assert_unit_interval(&json);
    eprintln!(
        "{}",
        eval::render_table(&report, &corpus.stats, &path.display().to_string())
    );
}

#[test]
fn real_lgl_corpus_scores_sanely() {
    if let Some(path) = shared("lgl/lgl.xml") {
        sanity_run(&path, Format::Gritta);
    }
}

#[test]
fn real_nerel_dev_corpus_scores_sanely() {
    if let Some(path) = shared("nerel-dev") {
        sanity_run(&path, Format::Brat);
    }
}

#[test]
fn real_elevant_corpus_scores_sanely() {
    if let Some(path) = shared("elevant/news-fair.benchmark.jsonl") {
        sanity_run(&path, Format::Elevant);
    }
}
