//! The `gazetteer` binary: resolve (file, stdin, JSON Lines), build,
//! lookup, inspect, and its exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::common::{fixture, path_str, snapshot};

const TEHRAN: &str = "geonames:112931";

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

fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = gazetteer()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("the binary finishes")
}

fn stdout_json(output: &Output) -> Value {
    assert_success(output);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })
}

fn assert_success(output: &Output) {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Builds the fixture index with the CLI into `dir/name`.
fn build_fixture_index(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(name);
    let output = run(&[
        "build",
        "--jsonl",
        path_str(&fixture("entities.jsonl")),
        "--out",
        path_str(&out),
    ]);
    assert_success(&output);
    out
}

fn mention_ids(doc: &Value) -> Vec<(String, String)> {
    doc["mentions"]
        .as_array()
        .expect("mentions array")
        .iter()
        .map(|m| {
            (
                m["surface"].as_str().unwrap().to_string(),
                m["entity"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn resolve_file_prints_mentions_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.txt");
    let text = "🇮🇷 Ministers met in Teheran\u{2019}s north on Tuesday.\n";
    std::fs::write(&file, text).unwrap();
    let doc = stdout_json(&run(&["resolve", path_str(&file)]));
    assert_eq!(doc["docId"], path_str(&file));
    assert!(!doc["indexVersion"].as_str().unwrap().is_empty());
    assert_eq!(
        mention_ids(&doc),
        [("Teheran".to_string(), TEHRAN.to_string())]
    );
    let m = &doc["mentions"][0];
    assert_eq!(m["entity"]["name"], "Tehran");
    assert_eq!(m["entity"]["countryCode"], "IR");
    assert_eq!(m["matchKind"], "MATCH_KIND_ALIAS");
    assert_eq!(m["matchedName"], "Teheran");
    let span = &m["span"];
    let (start, end) = (
        span["start"].as_u64().unwrap(),
        span["end"].as_u64().unwrap(),
    );
    let (byte_start, byte_end) = (
        span["byteStart"].as_u64().unwrap() as usize,
        span["byteEnd"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[byte_start..byte_end], "Teheran");
    assert_eq!(end - start, 7);
    assert_eq!(start, 20);
    // The flag is two non-BMP code points: two extra UTF-16 units.
    assert_eq!(span["utf16Start"].as_u64().unwrap(), start + 2);
}

#[test]
fn resolve_reads_stdin_when_no_file_is_given() {
    let output = run_with_stdin(&["resolve"], "Тегеран и Москва провели переговоры.");
    let doc = stdout_json(&output);
    assert_eq!(doc["docId"], "<stdin>");
    assert_eq!(
        mention_ids(&doc),
        [
            ("Тегеран".to_string(), TEHRAN.to_string()),
            ("Москва".to_string(), "geonames:524901".to_string())
        ]
    );
    // Code point offsets, not bytes, in "start"/"end".
    assert_eq!(doc["mentions"][1]["span"]["start"], 10);
    assert_eq!(doc["mentions"][1]["span"]["byteStart"], 18);
}

#[test]
fn resolve_include_demonyms_reports_demonyms() {
    let text = "Iranian diplomats arrived in Moscow.";
    let plain = stdout_json(&run_with_stdin(&["resolve"], text));
    assert_eq!(
        mention_ids(&plain),
        [("Moscow".to_string(), "geonames:524901".to_string())]
    );
    let with = stdout_json(&run_with_stdin(&["resolve", "--include-demonyms"], text));
    assert_eq!(
        mention_ids(&with),
        [
            ("Iranian".to_string(), "geonames:130758".to_string()),
            ("Moscow".to_string(), "geonames:524901".to_string())
        ]
    );
    assert_eq!(with["mentions"][0]["matchKind"], "MATCH_KIND_DEMONYM");
}

#[test]
fn resolve_jsonl_prints_one_line_per_input_line() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_fixture_index(dir.path(), "index");
    let input = concat!(
        "{\"text\":\"Talks in Teheran.\",\"doc_id\":\"wire-1\"}\n",
        "Nach Moskau und Baku.\n",
        "{\"text\":\"nothing to see\"}\n",
        "{not json, so this line is the text: Paris}\n",
    );
    let output = run_with_stdin(&["resolve", "--jsonl", "--index", path_str(&index)], input);
    assert_success(&output);
    let stdout = String::from_utf8(output.stdout).unwrap();
    let docs: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert_eq!(docs.len(), 4, "{stdout}");
    let doc_ids: Vec<&str> = docs.iter().map(|d| d["docId"].as_str().unwrap()).collect();
    assert_eq!(doc_ids, ["wire-1", "2", "3", "4"]);
    assert_eq!(
        mention_ids(&docs[0]),
        [("Teheran".to_string(), TEHRAN.to_string())]
    );
    assert_eq!(
        mention_ids(&docs[1]),
        [
            ("Moskau".to_string(), "geonames:524901".to_string()),
            ("Baku".to_string(), "geonames:587084".to_string())
        ]
    );
    assert!(mention_ids(&docs[2]).is_empty());
    assert_eq!(
        mention_ids(&docs[3]),
        [("Paris".to_string(), "geonames:2988507".to_string())]
    );
    // Offsets index into the document text, not into the JSON line.
    assert_eq!(docs[0]["mentions"][0]["span"]["start"], 9);
    // Every document reports the version of the index that answered.
    let version = docs[0]["indexVersion"].as_str().unwrap();
    assert!(docs.iter().all(|d| d["indexVersion"] == version));
}

#[test]
fn build_then_lookup_inspect_and_resolve_with_the_built_index() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_fixture_index(dir.path(), "index");
    assert!(index.join("meta.json").is_file());

    let lookup = stdout_json(&run(&["lookup", "Teheran", "--index", path_str(&index)]));
    let matches = lookup.as_array().expect("array of matches");
    assert_eq!(matches.len(), 1, "{lookup}");
    assert_eq!(matches[0]["entity"]["id"], TEHRAN);
    assert_eq!(matches[0]["matchedName"], "Teheran");
    assert_eq!(matches[0]["entity"]["externalIds"][0]["id"], "Q3616");

    // Prefix lookup over the Cyrillic names.
    let prefix = stdout_json(&run(&[
        "lookup",
        "Те",
        "--prefix",
        "--index",
        path_str(&index),
    ]));
    let ids: Vec<&str> = prefix
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["entity"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [TEHRAN], "{prefix}");

    // The person entry of the fixture.
    let person = stdout_json(&run(&[
        "lookup",
        "Сергей Лавров",
        "--index",
        path_str(&index),
    ]));
    assert_eq!(person[0]["entity"]["id"], "example:test-person-lavrov");
    assert_eq!(person[0]["entity"]["kind"], "person");

    let inspect = stdout_json(&run(&["inspect", path_str(&index)]));
    assert_eq!(inspect["entity_count"], 11);
    assert_eq!(inspect["format_version"], gazetteer::index::FORMAT_VERSION);
    assert_eq!(inspect["entities_by_kind"]["place"], 9);
    assert_eq!(inspect["entities_by_kind"]["person"], 1);
    assert_eq!(inspect["entities_by_kind"]["organization"], 1);
    assert_eq!(inspect["sources"][0]["name"], "entities.jsonl");
    assert_eq!(inspect["sources"][0]["records"], 11);
    assert_eq!(inspect["location"], path_str(&index));
    let fixture_bytes = std::fs::read(fixture("entities.jsonl")).unwrap();
    assert_eq!(
        inspect["sources"][0]["sha256"],
        gazetteer::sha256_hex(&fixture_bytes)
    );

    let file = dir.path().join("doc.txt");
    std::fs::write(&file, "Sergey Lavrov flew from Moscow to Teheran.").unwrap();
    let doc = stdout_json(&run(&[
        "resolve",
        path_str(&file),
        "--index",
        path_str(&index),
    ]));
    assert_eq!(
        mention_ids(&doc),
        [
            (
                "Sergey Lavrov".to_string(),
                "example:test-person-lavrov".to_string()
            ),
            ("Moscow".to_string(), "geonames:524901".to_string()),
            ("Teheran".to_string(), TEHRAN.to_string()),
        ]
    );
    assert_eq!(doc["indexVersion"], inspect["version"]);

    // The index directory can also come from the environment.
    let output = gazetteer()
        .args(["lookup", "Nizza"])
        .env("GAZETTEER_INDEX", &index)
        .output()
        .unwrap();
    let nizza = stdout_json(&output);
    assert_eq!(nizza[0]["entity"]["id"], "geonames:2990440");
}

#[test]
fn rebuilding_the_same_input_gives_the_same_version() {
    let dir = tempfile::tempdir().unwrap();
    let first = build_fixture_index(dir.path(), "a");
    let second = build_fixture_index(dir.path(), "b");
    let v1 = stdout_json(&run(&["inspect", path_str(&first)]))["version"].clone();
    let v2 = stdout_json(&run(&["inspect", path_str(&second)]))["version"].clone();
    assert!(v1.as_str().is_some_and(|v| !v.is_empty()));
    assert_eq!(v1, v2);
}

#[test]
fn malformed_line_fails_the_build_and_leaves_the_old_index_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let index = build_fixture_index(dir.path(), "index");
    let before = snapshot(&index);

    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        concat!(
            "{\"id\":\"geonames:2988507\",\"kind\":\"place\",\"name\":\"Paris\"}\n",
            "\n",
            "{\"id\":\"geonames:2990440\",\"kind\":\"place\",\"name\":\"Nice\",\n",
        ),
    )
    .unwrap();
    let output = run(&[
        "build",
        "--jsonl",
        path_str(&bad),
        "--out",
        path_str(&index),
    ]);
    assert!(
        !output.status.success(),
        "build of a malformed file succeeded"
    );
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.contains(&format!("{}:3:", bad.display())), "{err}");

    assert_eq!(snapshot(&index), before, "the existing index changed");
    // No staging directory is left behind.
    let mut entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["bad.jsonl", "index"]);
}

#[test]
fn invalid_record_errors_name_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("coords.jsonl");
    std::fs::write(
        &bad,
        concat!(
            "{\"id\":\"geonames:2988507\",\"kind\":\"place\",\"name\":\"Paris\"}\n",
            "{\"id\":\"geonames:1\",\"kind\":\"place\",\"name\":\"Nowhere\",\"lat\":91,\"lon\":0}\n",
        ),
    )
    .unwrap();
    let out = dir.path().join("index");
    let output = run(&["build", "--jsonl", path_str(&bad), "--out", path_str(&out)]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains(&format!("{}:2:", bad.display())), "{err}");
    assert!(err.contains("[-90, 90]"), "{err}");
    assert!(!out.exists(), "a failed build created its output");
}

#[test]
fn duplicate_ids_across_inputs_fail_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra.jsonl");
    std::fs::write(
        &extra,
        "{\"id\":\"geonames:112931\",\"kind\":\"place\",\"name\":\"Tehran again\"}\n",
    )
    .unwrap();
    let out = dir.path().join("index");
    let output = run(&[
        "build",
        "--jsonl",
        path_str(&fixture("entities.jsonl")),
        path_str(&extra),
        "--out",
        path_str(&out),
    ]);
    assert!(!output.status.success());
    let err = stderr(&output);
    assert!(err.contains("duplicate"), "{err}");
    assert!(err.contains(TEHRAN), "{err}");
    assert!(err.contains("extra.jsonl"), "{err}");
    assert!(!out.exists());
}

#[test]
fn build_refuses_to_replace_a_directory_that_is_not_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("precious");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("notes.txt"), "keep me").unwrap();
    let output = run(&[
        "build",
        "--jsonl",
        path_str(&fixture("entities.jsonl")),
        "--out",
        path_str(&out),
    ]);
    assert!(!output.status.success());
    assert!(
        stderr(&output).contains("not an index directory"),
        "{}",
        stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).unwrap(),
        "keep me"
    );
    assert_eq!(snapshot(&out).len(), 1);
}

#[test]
fn usage_errors_exit_64() {
    let unknown = run(&["resolve", "--no-such-flag"]);
    assert_eq!(unknown.status.code(), Some(64), "{}", stderr(&unknown));
    assert!(
        stderr(&unknown).contains("--no-such-flag"),
        "{}",
        stderr(&unknown)
    );

    let no_command = run(&[]);
    assert_eq!(no_command.status.code(), Some(64));

    let missing_out = run(&["build", "--jsonl", "x.jsonl"]);
    assert_eq!(missing_out.status.code(), Some(64));

    let bad_limit = run(&["serve", "--max-text-bytes", "0"]);
    assert_eq!(bad_limit.status.code(), Some(64));

    // Help and version are not errors.
    let help = run(&["--help"]);
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&help.stdout).contains("resolve"));
    let version = run(&["--version"]);
    assert_eq!(version.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&version.stdout).contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn runtime_errors_exit_1_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-index-here");
    let output = run(&["lookup", "Paris", "--index", path_str(&missing)]);
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains("rebuild"), "{err}");

    let missing_file = run(&["resolve", path_str(&dir.path().join("absent.txt"))]);
    assert_eq!(missing_file.status.code(), Some(1));
    assert!(stderr(&missing_file).contains("absent.txt"));

    let empty_name = run(&["lookup", "  "]);
    assert_eq!(empty_name.status.code(), Some(1));
    assert!(stderr(&empty_name).contains("NAME is empty"));
}
