//! The Wikidata JSON dump importer on a hand-written fixture in the dump
//! format (`tests/fixtures/wikidata/`), as a library and through
//! `gazetteer build`. The gzip and bzip2 copies are made at run time.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use gazetteer::entity::{EntityKind, EntityRecord, NameKind};
use gazetteer::index::Index;
use gazetteer::ingest::{WikidataImport, WikidataOptions, WikidataStats};
use gazetteer::resolve::ResolveOptions;

use crate::common::{
    assert_malformed_lines_skipped, assert_offsets, cli_lookup as lookup, describe, path_str as p,
    run_gazetteer as gazetteer, snapshot, succeeded as success, MalformedSource,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/wikidata")
        .join(name)
}

fn geonames_fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geonames")
        .join(name)
}

/// The records of an import by ID, their IDs in emission order, the stats
/// and the reported skips.
type Imported = (
    BTreeMap<String, EntityRecord>,
    Vec<String>,
    WikidataStats,
    Vec<String>,
);

/// Runs an import; an error as its message.
fn import(path: &Path, strict: bool) -> Result<Imported, String> {
    let reported = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&reported);
    let mut import = WikidataImport::open(
        path,
        WikidataOptions { strict },
        Box::new(move |e| sink.borrow_mut().push(e.to_string())),
    )
    .map_err(|e| e.to_string())?;
    let mut records = BTreeMap::new();
    let mut order = Vec::new();
    for record in &mut import {
        let record = record.map_err(|e| e.to_string())?;
        let id = record.entity.id.clone();
        order.push(id.clone());
        assert!(records.insert(id.clone(), record).is_none(), "{id} twice");
    }
    let stats = import.stats().clone();
    let reported = reported.borrow().clone();
    Ok((records, order, stats, reported))
}

fn names(record: &EntityRecord) -> Vec<(&str, Option<&str>)> {
    record
        .names
        .iter()
        .map(|n| (n.text.as_str(), n.lang.as_deref()))
        .collect()
}

fn external(record: &EntityRecord, scheme: &str) -> Option<String> {
    record
        .entity
        .external_ids
        .iter()
        .find(|e| e.scheme == scheme)
        .map(|e| e.id.clone())
}

#[test]
fn keeps_people_places_and_organisations_with_their_facts() {
    let (records, _, stats, reported) = import(&fixture("latest-all.json"), false).unwrap();
    assert!(reported.is_empty(), "{reported:?}");
    let kinds: BTreeMap<&str, EntityKind> = records
        .iter()
        .map(|(id, r)| (id.as_str(), r.entity.kind))
        .collect();
    use EntityKind::{Organization, Person, Place};
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("wikidata:Q1065", Organization),
            ("wikidata:Q159", Place),
            ("wikidata:Q1953", Place),
            ("wikidata:Q3616", Place),
            ("wikidata:Q58217", Person),
            ("wikidata:Q64", Place),
            ("wikidata:Q649", Place),
            ("wikidata:Q656", Place),
            ("wikidata:Q7747", Person),
            ("wikidata:Q794", Place),
            ("wikidata:Q399", Place),
            ("wikidata:Q900001", Organization),
            ("wikidata:Q900002", Person),
            ("wikidata:Q900005", Place),
            ("wikidata:Q900007", Place),
            ("wikidata:Q900008", Person),
        ])
    );
    // House cat (a taxon), an island without a location and a human whose
    // only Q5 statement is deprecated are of other classes; Q900003 has no
    // label; P31 is a property.
    assert_eq!(stats.unkept_class, 3);
    assert_eq!(stats.no_label, 1);
    assert_eq!(stats.not_items, 1);
    assert_eq!(stats.file.rows, 21);
    assert_eq!(stats.file.skipped_total(), 0);
    assert_eq!(stats.entities[&Place], 10);
    assert_eq!(stats.entities[&Person], 4);
    assert_eq!(stats.entities[&Organization], 2);
    let name_total: usize = records.values().map(|r| r.names.len()).sum();
    assert_eq!(stats.names.values().sum::<u64>(), name_total as u64);
    assert_eq!(stats.file.sha256.len(), 64);

    let tehran = &records["wikidata:Q3616"];
    let e = &tehran.entity;
    assert_eq!(e.name, "Tehran");
    assert_eq!(tehran.names[0].kind, NameKind::Primary);
    assert_eq!(tehran.names[0].lang.as_deref(), Some("en"));
    let tehran_names = names(tehran);
    for expected in [
        ("تهران", Some("fa")),
        ("Тегеран", Some("ru")),
        ("Teheran", Some("de")),
        ("Téhéran", Some("fr")),
        ("طهران", Some("ar")),
        ("テヘラン", Some("ja")),
        ("Tehran City", Some("en")),
    ] {
        assert!(
            tehran_names.contains(&expected),
            "{expected:?} in {tehran_names:?}"
        );
    }
    // Each text once, with the language it was first listed in.
    assert_eq!(tehran_names.iter().filter(|n| n.0 == "Teheran").count(), 1);
    assert_eq!(external(tehran, "geonames").as_deref(), Some("112931"));
    assert_eq!(e.country_code.as_deref(), Some("IR"));
    assert_eq!(e.coordinates, Some((35.689167, 51.388889)));
    // The latest of three populations (2006, 2016, 2011).
    assert_eq!(e.population, 8693706);
    assert_eq!(tehran.prominence, 12);

    // Yerevan comes before Armenia: its country code waits for Armenia's P297.
    assert_eq!(
        records["wikidata:Q1953"].entity.country_code.as_deref(),
        Some("AM")
    );
    // Germany is not in the dump: Berlin has no country code.
    assert_eq!(records["wikidata:Q64"].entity.country_code, None);
    assert_eq!(stats.countries_unresolved, 1);
    assert_eq!(
        records["wikidata:Q794"].entity.country_code.as_deref(),
        Some("IR")
    );

    let lavrov = &records["wikidata:Q58217"];
    assert_eq!(lavrov.entity.name, "Sergey Lavrov");
    assert_eq!(lavrov.prominence, 11);
    assert_eq!(lavrov.entity.population, 0);
    assert!(names(lavrov).contains(&("Сергей Викторович Лавров", Some("ru"))));
    // No English label: the `mul` label, untagged; else the first language.
    let zorvan = &records["wikidata:Q900002"];
    assert_eq!(names(zorvan)[0], ("Zorvan Example", None));
    assert_eq!(records["wikidata:Q900001"].entity.name, "Beispielpartei");
    // Empty maps written as `[]`.
    assert_eq!(records["wikidata:Q900008"].prominence, 0);
    // Coordinates on the Moon are not coordinates on Earth.
    assert_eq!(records["wikidata:Q900007"].entity.coordinates, None);
}

fn compressed_copies(dir: &Path) -> [PathBuf; 2] {
    let plain = std::fs::read(fixture("latest-all.json")).unwrap();
    let gz = dir.join("latest-all.json.gz");
    let mut encoder = flate2::write::GzEncoder::new(
        std::fs::File::create(&gz).unwrap(),
        flate2::Compression::default(),
    );
    encoder.write_all(&plain).unwrap();
    encoder.finish().unwrap();
    let bz2 = dir.join("latest-all.json.bz2");
    // Two streams, as parallel compressors write them.
    let mut file = std::fs::File::create(&bz2).unwrap();
    let half = plain.len() / 2;
    for part in [&plain[..half], &plain[half..]] {
        let mut encoder = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
        encoder.write_all(part).unwrap();
        file.write_all(&encoder.finish().unwrap()).unwrap();
    }
    [gz, bz2]
}

#[test]
fn gzip_bzip2_and_json_lines_read_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let (plain, plain_order, plain_stats, _) = import(&fixture("latest-all.json"), true).unwrap();
    for path in compressed_copies(dir.path()) {
        let (records, order, stats, reported) = import(&path, true).unwrap();
        assert!(reported.is_empty(), "{reported:?}");
        assert_eq!(records, plain, "{}", path.display());
        assert_eq!(order, plain_order);
        assert_eq!(stats.file.rows, plain_stats.file.rows);
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(stats.file.sha256, gazetteer::sha256_hex(&bytes));
    }
    let (lines, _, _, _) = import(&fixture("entities.jsonl"), true).unwrap();
    assert_eq!(lines.len(), 3);
    for (id, record) in &lines {
        // Without Russia in the file, Lavrov and Putin have no country.
        assert_eq!(record, &plain[id], "{id}");
    }
}

#[test]
fn malformed_lines_are_reported_with_file_and_line() {
    let path = fixture("latest-all_malformed.json");
    let (records, _, stats, reported) = import(&path, false).unwrap();
    let ids: Vec<&str> = records.keys().map(String::as_str).collect();
    assert_eq!(ids, ["wikidata:Q58217", "wikidata:Q7747"]);
    let at = |line: usize, reason: &str| format!("{}:{line}: {reason}", path.display());
    assert_eq!(reported.len(), 4, "{reported:?}");
    assert!(
        reported[0].starts_with(&at(3, "invalid JSON")),
        "{reported:?}"
    );
    assert!(
        reported[1].starts_with(&at(4, "missing id")),
        "{reported:?}"
    );
    assert!(reported[2].starts_with(&at(5, "bad id")), "{reported:?}");
    assert!(
        reported[3].starts_with(&at(6, "invalid JSON")),
        "{reported:?}"
    );
    assert_eq!(
        stats.file.skipped,
        BTreeMap::from([("bad id", 1), ("invalid JSON", 2), ("missing id", 1)])
    );
    let err = import(&path, true).unwrap_err();
    assert!(err.starts_with(&at(3, "invalid JSON")), "{err}");
}

#[test]
fn a_missing_file_fails_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("latest-all.json.bz2");
    let err = import(&missing, false).unwrap_err();
    assert!(err.contains(&missing.display().to_string()), "{err}");
}

// ---- through the CLI ----

#[test]
fn cli_builds_from_wikidata_alone_and_resolves_people_and_places() {
    let dir = tempfile::tempdir().unwrap();
    let [gz, _] = compressed_copies(dir.path());
    let out = dir.path().join("index");
    let stderr = success(&gazetteer(&[
        "build",
        "--wikidata",
        p(&gz),
        "--out",
        p(&out),
    ]));
    assert!(
        stderr.contains(
            "wikidata: 16 entities: place 10 (44 names), person 4 (16 names), organization 2 (7 names)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "skipped 3 items of other classes, 1 without a label, 1 entities that are not items"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("21 entity lines, 0 malformed lines skipped"),
        "{stderr}"
    );
    assert!(
        stderr.contains("7 GeoNames IDs; countries: 7 as ISO codes, 1 without one in the dump"),
        "{stderr}"
    );

    let index = Index::open(&out).unwrap();
    let text = "Сергей Лавров прилетел в Тегеран; 🙂 Lavrov met Vladimir Putin in Téhéran.";
    let mentions = gazetteer::resolve::resolve(&index, text, &ResolveOptions::default()).unwrap();
    let found: Vec<(&str, &str)> = mentions
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.id.as_str()))
        .collect();
    for expected in [
        ("Сергей Лавров", "wikidata:Q58217"),
        ("Тегеран", "wikidata:Q3616"),
        ("Vladimir Putin", "wikidata:Q7747"),
        ("Téhéran", "wikidata:Q3616"),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} in {:?}",
            describe(&mentions)
        );
    }
    for m in &mentions {
        assert_offsets(text, m);
    }
    let tehran = &lookup(&out, "Tehran")[0]["entity"];
    assert_eq!(tehran["id"], "wikidata:Q3616");
    assert_eq!(tehran["countryCode"], "IR");
    assert_eq!(tehran["population"], 8693706);
    assert_eq!(
        tehran["externalIds"],
        serde_json::json!([{"scheme": "geonames", "id": "112931"}])
    );
    assert_eq!(
        lookup(&out, "United Nations")[0]["entity"]["kind"],
        "organization"
    );
}

#[test]
fn cli_merges_items_into_the_geonames_places_of_their_geonames_id() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    // The main file alone: the QIDs can only come from Wikidata.
    let stderr = success(&gazetteer(&[
        "build",
        "--geonames",
        p(&geonames_fixture("allCountries.txt")),
        "--wikidata",
        p(&fixture("latest-all.json")),
        "--out",
        p(&out),
    ]));
    // Yerevan, Tehran, Iran, Russia, Moscow and Berlin; Armenia's
    // GeoNames place is not in the main file.
    assert!(
        stderr.contains("6 Wikidata items merged into GeoNames places"),
        "{stderr}"
    );
    // An Armenian name only Wikidata lists finds the GeoNames place.
    let matches = lookup(&out, "Թեհրան");
    assert_eq!(matches.len(), 1, "{matches:?}");
    let tehran = &matches[0]["entity"];
    assert_eq!(tehran["id"], "geonames:112931");
    assert_eq!(tehran["name"], "Tehran");
    assert_eq!(
        tehran["externalIds"],
        serde_json::json!([{"scheme": "wikidata", "id": "Q3616"}])
    );
    // GeoNames keeps its own population and coordinates.
    assert_eq!(tehran["population"], 7153309);
    assert!(lookup(&out, "Tehran")
        .iter()
        .all(|m| m["entity"]["id"] != "wikidata:Q3616"));
    assert_eq!(lookup(&out, "Armenia")[0]["entity"]["id"], "wikidata:Q399");
    assert_eq!(
        lookup(&out, "Sergey Lavrov")[0]["entity"]["id"],
        "wikidata:Q58217"
    );
}

#[test]
fn cli_merges_an_item_without_a_geonames_id_through_the_wkdt_crosswalk() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let stderr = success(&gazetteer(&[
        "build",
        "--geonames",
        p(&geonames_fixture("allCountries.txt")),
        "--alternate-names",
        p(&geonames_fixture("alternateNamesV2.txt")),
        "--wikidata",
        p(&fixture("latest-all.json")),
        "--out",
        p(&out),
    ]));
    // Saint Petersburg (Q656) has no P1566; GeoNames lists Q656 for 498817.
    assert!(
        stderr.contains("7 Wikidata items merged into GeoNames places"),
        "{stderr}"
    );
    let matches = lookup(&out, "Սանկտ Պետերբուրգ");
    assert_eq!(matches.len(), 1, "{matches:?}");
    assert_eq!(matches[0]["entity"]["id"], "geonames:498817");
    assert_eq!(
        matches[0]["entity"]["externalIds"],
        serde_json::json!([{"scheme": "wikidata", "id": "Q656"}])
    );
}

#[test]
fn cli_skips_malformed_lines_and_strict_or_a_missing_file_leaves_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let bad = fixture("latest-all_malformed.json");
    let before = assert_malformed_lines_skipped(
        &MalformedSource {
            flag: "--wikidata",
            file: &bad,
            skipped: "4: missing id",
            summary: "4 malformed lines skipped (bad id 1, invalid JSON 2, missing id 1)",
            strict_error: "3: invalid JSON",
        },
        &out,
    );

    let missing = dir.path().join("latest-all.json.gz");
    let output = gazetteer(&[
        "build",
        "--wikidata",
        p(&missing),
        "--geonames",
        p(&geonames_fixture("allCountries.txt")),
        "--out",
        p(&out),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(p(&missing)), "{stderr}");
    assert_eq!(snapshot(&out), before);
}
