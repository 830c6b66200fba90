//! The GeoNames importer on hand-written fixtures in the dump formats
//! (`tests/fixtures/geonames/`), as a library and through `gazetteer build`.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::rc::Rc;

use gazetteer::entity::{EntityRecord, NameKind};
use gazetteer::ingest::{
    GeonamesFiles, GeonamesFilter, GeonamesImport, GeonamesOptions, GeonamesStats,
};
use serde_json::Value;

use crate::common::{
    assert_malformed_lines_skipped, cli_lookup as lookup, path_str as p,
    run_gazetteer as gazetteer, snapshot, succeeded as success, MalformedSource,
};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/geonames")
        .join(name)
}

fn all_files() -> GeonamesFiles {
    GeonamesFiles {
        main: fixture("allCountries.txt"),
        alternate_names: Some(fixture("alternateNamesV2.txt")),
        admin1: Some(fixture("admin1CodesASCII.txt")),
        country_info: Some(fixture("countryInfo.txt")),
    }
}

/// Runs an import; returns the records by ID, the stats and the reported
/// skips.
fn import(
    files: &GeonamesFiles,
    options: GeonamesOptions,
) -> (BTreeMap<String, EntityRecord>, GeonamesStats, Vec<String>) {
    let reported = Rc::new(RefCell::new(Vec::new()));
    let sink = Rc::clone(&reported);
    let mut import = GeonamesImport::open(
        files,
        options,
        Box::new(move |e| sink.borrow_mut().push(e.to_string())),
    )
    .expect("import opens");
    let mut records = BTreeMap::new();
    for record in &mut import {
        let record = record.expect("record");
        let id = record.entity.id.clone();
        assert!(records.insert(id.clone(), record).is_none(), "{id} twice");
    }
    let stats = import.stats().clone();
    let reported = reported.borrow().clone();
    (records, stats, reported)
}

fn alias_lang<'a>(record: &'a EntityRecord, text: &str) -> Option<Option<&'a str>> {
    record
        .names
        .iter()
        .find(|n| n.text == text)
        .map(|n| n.lang.as_deref())
}

fn wikidata(record: &EntityRecord) -> Option<&str> {
    record
        .entity
        .external_ids
        .iter()
        .find(|e| e.scheme == "wikidata")
        .map(|e| e.id.as_str())
}

#[test]
fn main_file_with_alternate_names_admin1_and_country_info() {
    let (records, stats, reported) = import(&all_files(), GeonamesOptions::default());
    assert!(reported.is_empty(), "{reported:?}");
    let tehran = &records["geonames:112931"];
    let e = &tehran.entity;
    assert_eq!(e.name, "Tehran");
    assert_eq!(e.country_code.as_deref(), Some("IR"));
    assert_eq!(e.feature_code.as_deref(), Some("PPLC"));
    assert_eq!(e.coordinates, Some((35.69439, 51.42151)));
    assert_eq!(e.population, 7_153_309);
    assert_eq!(tehran.names[0].text, "Tehran");
    assert_eq!(tehran.names[0].kind, NameKind::Primary);
    assert!(tehran.names[1..].iter().all(|n| n.kind == NameKind::Alias));
    // Language tags from alternateNamesV2.txt.
    assert_eq!(alias_lang(tehran, "Teheran"), Some(Some("de")));
    assert_eq!(alias_lang(tehran, "تهران"), Some(Some("fa")));
    assert_eq!(alias_lang(tehran, "Тегеран"), Some(Some("ru")));
    // Pseudo-codes are not names: no IATA code, link or postal code.
    for code in ["THR", "11369", "Q3616"] {
        assert_eq!(alias_lang(tehran, code), None, "{code}");
    }
    assert!(tehran.names.iter().all(|n| !n.text.starts_with("http")));
    // wkdt → Wikidata external ID.
    assert_eq!(wikidata(tehran), Some("Q3616"));
    assert_eq!(wikidata(&records["geonames:524901"]), Some("Q649"));
    // Regional variants and historic names are kept.
    let tokyo = &records["geonames:1850147"];
    assert_eq!(alias_lang(tokyo, "东京"), Some(Some("zh-CN")));
    assert_eq!(alias_lang(tokyo, "東京都"), Some(Some("zh-Hant")));
    let spb = &records["geonames:498817"];
    assert_eq!(alias_lang(spb, "Leningrad"), Some(Some("en")));
    // A name without a language.
    assert_eq!(
        alias_lang(&records["geonames:616052"], "Erivan"),
        Some(None)
    );

    // 22 main rows + 6 admin1 regions + 4 countries missing from it.
    assert_eq!(stats.main.rows, 22);
    assert_eq!(stats.entities_from_admin1, 6);
    assert_eq!(stats.entities_from_country_info, 4);
    assert_eq!(stats.entities, 32);
    assert_eq!(records.len(), 32);
    assert_eq!(
        stats.names,
        records.values().map(|r| r.names.len() as u64).sum::<u64>()
    );
    let codes: Vec<(&str, u64)> = stats
        .pseudo_codes_skipped
        .iter()
        .map(|(k, v)| (k.as_str(), *v))
        .collect();
    assert_eq!(
        codes,
        [
            ("abbr", 1),
            ("faac", 1),
            ("fr_1793", 1),
            ("iata", 2),
            ("icao", 1),
            ("link", 2),
            ("post", 1),
            ("tcid", 1),
            ("unlc", 1)
        ]
    );
    // New York City is not in the main file: its rows are ignored.
    assert_eq!(stats.alternate_names_other_places, 2);
    assert_eq!(stats.wikidata_ids, 10);
    assert_eq!(stats.alternate_names.as_ref().unwrap().rows, 58);
    assert_eq!(stats.main.sha256.len(), 64);
}

#[test]
fn admin1_and_country_info_enrich_and_add_places() {
    let (records, _, _) = import(&all_files(), GeonamesOptions::default());
    // In the main file: admin1 adds its name as an alias.
    let province = &records["geonames:110791"];
    assert_eq!(province.entity.name, "Ostan-e Tehran");
    assert_eq!(alias_lang(province, "Tehran"), Some(None));
    assert_eq!(alias_lang(province, "Tehran Province"), Some(Some("en")));
    // Missing from the main file: a region record from admin1 …
    let idf = &records["geonames:3012874"];
    assert_eq!(idf.entity.name, "Île-de-France");
    assert_eq!(idf.entity.feature_code.as_deref(), Some("ADM1"));
    assert_eq!(idf.entity.country_code.as_deref(), Some("FR"));
    assert_eq!(alias_lang(idf, "Ile-de-France"), Some(None));
    assert_eq!(wikidata(idf), Some("Q13917"));
    // … and a country record from countryInfo, with its alternate names.
    let france = &records["geonames:3017382"];
    assert_eq!(france.entity.name, "France");
    assert_eq!(france.entity.feature_code.as_deref(), Some("PCLI"));
    assert_eq!(france.entity.population, 66_987_244);
    assert_eq!(france.entity.coordinates, None);
    assert_eq!(alias_lang(france, "Frankreich"), Some(Some("de")));
    assert_eq!(wikidata(france), Some("Q142"));
    // A country in both: one record, the main file's.
    assert_eq!(records["geonames:130758"].entity.population, 82_913_893);
    assert_eq!(
        alias_lang(&records["geonames:130758"], "Persia"),
        Some(Some("en"))
    );
}

#[test]
fn without_alternate_names_the_column_gives_untagged_names() {
    let files = GeonamesFiles {
        main: fixture("allCountries.txt"),
        ..GeonamesFiles::default()
    };
    let (records, stats, _) = import(&files, GeonamesOptions::default());
    assert_eq!(records.len(), 22);
    let tehran = &records["geonames:112931"];
    assert_eq!(alias_lang(tehran, "Teheran"), Some(None));
    assert_eq!(alias_lang(tehran, "تهران"), Some(None));
    assert_eq!(wikidata(tehran), None);
    assert!(stats.alternate_names.is_none());
}

#[test]
fn older_eight_column_alternate_names_are_accepted() {
    let files = GeonamesFiles {
        main: fixture("allCountries.txt"),
        alternate_names: Some(fixture("alternateNames.txt")),
        ..GeonamesFiles::default()
    };
    let (records, stats, reported) = import(&files, GeonamesOptions::default());
    assert!(reported.is_empty(), "{reported:?}");
    assert_eq!(stats.alternate_names.unwrap().rows, 8);
    let tehran = &records["geonames:112931"];
    assert_eq!(alias_lang(tehran, "Teheran"), Some(Some("de")));
    // The column is not used when an alternate-names file is given.
    assert_eq!(alias_lang(tehran, "Téhéran"), Some(Some("fr")));
    assert_eq!(alias_lang(tehran, "THR"), None);
}

fn options(classes: &[&str], codes: &[&str], min_population: u64) -> GeonamesOptions {
    GeonamesOptions {
        filter: GeonamesFilter {
            feature_classes: classes.iter().map(|s| s.to_string()).collect(),
            feature_codes: codes.iter().map(|s| s.to_string()).collect(),
            min_population,
        },
        strict: false,
    }
}

#[test]
fn filters_by_class_code_and_population() {
    let (records, stats, _) = import(&all_files(), options(&["P"], &[], 0));
    assert_eq!(records.len(), 17);
    assert!(records
        .values()
        .all(|r| r.entity.feature_code.as_deref().unwrap().starts_with("PPL")));
    assert_eq!(stats.filtered_out, 5);
    assert_eq!(
        stats.entities_from_admin1 + stats.entities_from_country_info,
        0
    );
    // Alternate names of filtered-out places are not kept.
    assert!(stats.alternate_names_other_places > 2);

    let (records, _, _) = import(&all_files(), options(&[], &["PPLC"], 0));
    let ids: Vec<&str> = records.keys().map(String::as_str).collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    assert!(ids.contains(&"geonames:112931") && !ids.contains(&"geonames:498817"));

    let (records, _, _) = import(&all_files(), options(&["A"], &["PCLI"], 80_000_000));
    let ids: Vec<&str> = records.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        [
            "geonames:130758",
            "geonames:1861060",
            "geonames:2017370",
            "geonames:2921044"
        ]
    );

    let (records, _, _) = import(&all_files(), options(&["P", "A"], &[], 5_000_000));
    assert!(records.values().all(|r| r.entity.population >= 5_000_000));
    assert!(records.contains_key("geonames:524901"));
    assert!(!records.contains_key("geonames:551487"));
}

#[test]
fn malformed_rows_are_reported_with_file_and_line_and_counted() {
    let files = GeonamesFiles {
        main: fixture("allCountries_malformed.txt"),
        alternate_names: Some(fixture("alternateNamesV2_malformed.txt")),
        ..GeonamesFiles::default()
    };
    let (records, stats, reported) = import(&files, GeonamesOptions::default());
    let ids: Vec<&str> = records.keys().map(String::as_str).collect();
    assert_eq!(
        ids,
        ["geonames:112931", "geonames:2988507", "geonames:524901"]
    );
    let reasons: Vec<(&str, u64)> = stats.main.skipped.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [
            ("bad coordinates", 2),
            ("bad geonameid", 1),
            ("bad population", 1),
            ("wrong column count", 1)
        ]
    );
    let alt = stats.alternate_names.as_ref().unwrap();
    let reasons: Vec<(&str, u64)> = alt.skipped.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(
        reasons,
        [
            ("bad Wikidata ID", 1),
            ("bad geonameid", 1),
            ("empty name", 1),
            ("wrong column count", 1)
        ]
    );
    assert_eq!(reported.len(), 9, "{reported:?}");
    let main = fixture("allCountries_malformed.txt").display().to_string();
    assert!(reported[0].starts_with(&format!("{main}:2: wrong column count")));
    assert!(reported
        .iter()
        .any(|r| r.starts_with(&format!("{main}:7: bad coordinates"))));
    let alt_path = fixture("alternateNamesV2_malformed.txt")
        .display()
        .to_string();
    assert!(reported
        .iter()
        .any(|r| r.starts_with(&format!("{alt_path}:4: empty name"))));
    // Good rows of the malformed files still count.
    let tehran = &records["geonames:112931"];
    assert_eq!(alias_lang(tehran, "تهران"), Some(Some("fa")));
    assert_eq!(alias_lang(tehran, "テヘラン"), Some(Some("ja")));
    assert_eq!(wikidata(tehran), None);
}

#[test]
fn strict_fails_on_the_first_malformed_row() {
    let files = GeonamesFiles {
        main: fixture("allCountries_malformed.txt"),
        ..GeonamesFiles::default()
    };
    let options = GeonamesOptions {
        strict: true,
        ..GeonamesOptions::default()
    };
    let err = GeonamesImport::open(&files, options, Box::new(|_| panic!("not reported")))
        .unwrap_err()
        .to_string();
    let main = fixture("allCountries_malformed.txt").display().to_string();
    assert!(
        err.starts_with(&format!("{main}:2: wrong column count")),
        "{err}"
    );
}

#[test]
fn a_missing_file_fails_with_its_path_before_reading() {
    let mut files = all_files();
    files.country_info = Some(fixture("no-such-countryInfo.txt"));
    let err = GeonamesImport::open(&files, GeonamesOptions::default(), Box::new(|_| {}))
        .unwrap_err()
        .to_string();
    assert!(err.contains("no-such-countryInfo.txt"), "{err}");
}

// ---- through the CLI ----

fn build_all(out: &Path, extra: &[&str]) -> Output {
    let (main, alt, admin1, countries) = (
        fixture("allCountries.txt"),
        fixture("alternateNamesV2.txt"),
        fixture("admin1CodesASCII.txt"),
        fixture("countryInfo.txt"),
    );
    let mut args = vec![
        "build",
        "--geonames",
        p(&main),
        "--alternate-names",
        p(&alt),
        "--admin1",
        p(&admin1),
        "--country-info",
        p(&countries),
        "--out",
        p(out),
    ];
    args.extend_from_slice(extra);
    gazetteer(&args)
}

#[test]
fn cli_build_then_lookup_finds_tehran() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let stderr = success(&build_all(&out, &[]));
    assert!(stderr.contains("geonames: 32 entities"), "{stderr}");
    assert!(stderr.contains("pseudo-codes skipped: abbr 1"), "{stderr}");
    assert!(stderr.contains("0 malformed rows skipped"), "{stderr}");

    let matches = lookup(&out, "Teheran");
    assert_eq!(matches[0]["entity"]["id"], "geonames:112931", "{matches:?}");
    assert_eq!(matches[0]["entity"]["externalIds"][0]["id"], "Q3616");
    assert_eq!(
        lookup(&out, "Frankreich")[0]["entity"]["id"],
        "geonames:3017382"
    );

    let meta: Value =
        serde_json::from_slice(&std::fs::read(out.join("meta.json")).unwrap()).unwrap();
    let sources: Vec<&str> = meta["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "allCountries.txt",
            "alternateNamesV2.txt",
            "admin1CodesASCII.txt",
            "countryInfo.txt"
        ]
    );
    assert_eq!(meta["entity_count"], 32);
}

#[test]
fn cli_filters_and_rejects_unknown_feature_classes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let stderr = success(&build_all(
        &out,
        &["--feature-class", "P", "--min-population", "2000000"],
    ));
    assert!(stderr.contains("geonames: 9 entities"), "{stderr}");
    assert!(lookup(&out, "Persia").is_empty());
    assert_eq!(lookup(&out, "Teheran").len(), 1);

    let output = build_all(&out, &["--feature-class", "Q"]);
    assert_eq!(output.status.code(), Some(64));
    let output = gazetteer(&["build", "--out", p(&out)]);
    assert_eq!(output.status.code(), Some(64));
}

#[test]
fn cli_skips_malformed_rows_and_strict_fails_leaving_the_index_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let bad = fixture("allCountries_malformed.txt");
    let before = assert_malformed_lines_skipped(
        &MalformedSource {
            flag: "--geonames",
            file: &bad,
            skipped: "3: bad geonameid",
            summary: "5 malformed rows skipped (bad coordinates 2, bad geonameid 1, bad population 1, wrong column count 1)",
            strict_error: "2: wrong column count",
        },
        &out,
    );

    // A missing file: fails with its path, nothing written.
    let missing = dir.path().join("alternateNamesV2.txt");
    let output = gazetteer(&[
        "build",
        "--geonames",
        p(&fixture("allCountries.txt")),
        "--alternate-names",
        p(&missing),
        "--out",
        p(&out),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(p(&missing)), "{stderr}");
    assert_eq!(snapshot(&out), before);
    let fresh = dir.path().join("fresh");
    let output = gazetteer(&["build", "--geonames", p(&missing), "--out", p(&fresh)]);
    assert_eq!(output.status.code(), Some(1));
    assert!(!fresh.exists());
}

#[test]
fn cli_merges_jsonl_records_of_the_same_place() {
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("extra.jsonl");
    std::fs::write(
        &jsonl,
        concat!(
            r#"{"id":"wikidata:Q3616","kind":"place","name":"Tehrān","names":["Tehrun"],"external_ids":{"geonames":"112931"}}"#,
            "\n",
            r#"{"id":"geonames:524901","kind":"place","name":"Moskva","names":[{"name":"Maskva","lang":"be"}]}"#,
            "\n",
            r#"{"id":"example:1","kind":"organization","name":"Example Holdings"}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = dir.path().join("index");
    let stderr = success(&build_all(&out, &["--jsonl", p(&jsonl)]));
    assert!(stderr.contains("2 JSON Lines records merged"), "{stderr}");
    // Tehrān folds to the key of Tehran, which the province shares.
    for name in ["Tehrun", "Tehrān"] {
        let matches = lookup(&out, name);
        assert_eq!(matches[0]["entity"]["id"], "geonames:112931", "{name}");
        assert_eq!(matches[0]["entity"]["name"], "Tehran");
    }
    assert_eq!(lookup(&out, "Tehrun").len(), 1);
    assert_eq!(lookup(&out, "Maskva")[0]["entity"]["id"], "geonames:524901");
    assert_eq!(
        lookup(&out, "Example Holdings")[0]["entity"]["id"],
        "example:1"
    );
}
