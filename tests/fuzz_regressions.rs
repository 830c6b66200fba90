//! Replays the fuzz inputs kept in the repository through the fuzz targets'
//! own bodies and checks (`fuzz/src/lib.rs`, included here), so `cargo test`
//! keeps them passing without cargo-fuzz: the hand-written seeds in
//! `fuzz/seeds/TARGET/` and every input that once failed, in
//! `fuzz/regressions/TARGET/`. A crash found by `scripts/fuzz.sh` becomes a
//! file in `fuzz/regressions/` and, when it needs a fix elsewhere, a named
//! test below.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

#[path = "../fuzz/src/lib.rs"]
#[allow(dead_code)]
mod targets;

use targets::{GeonamesDir, GeonamesFile};

/// The inputs of `target`: seeds, then regressions, each sorted by name.
fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut all = Vec::new();
    for kind in ["seeds", "regressions"] {
        let dir = fuzz.join(kind).join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut files: Vec<_> = entries
            .map(|e| e.expect("a readable directory entry").path())
            .collect();
        files.sort();
        for path in files {
            let data = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            all.push((format!("{kind}/{target}/{}", name_of(&path)), data));
        }
    }
    all
}

fn name_of(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Runs every input of `target` through `body`; fails naming each input
/// that panics.
fn replay(target: &str, body: impl Fn(&[u8])) {
    let inputs = inputs(target);
    assert!(!inputs.is_empty(), "no inputs for fuzz target {target}");
    let failures: Vec<String> = inputs
        .iter()
        .filter_map(|(name, data)| {
            catch_unwind(AssertUnwindSafe(|| body(data)))
                .err()
                .map(|panic| format!("{name}: {}", panic_message(&panic)))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "fuzz inputs of {target} fail:\n{}",
        failures.join("\n")
    );
}

fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "non-string panic".into())
}

#[test]
fn normalize_inputs() {
    replay("normalize", targets::normalize);
}

#[test]
fn wikidata_inputs() {
    replay("wikidata", targets::wikidata);
}

#[test]
fn tokenize_inputs() {
    replay("tokenize", targets::tokenize_text);
}

#[test]
fn resolve_default_inputs() {
    replay("resolve_default", targets::resolve_default);
}

#[test]
fn resolve_fixture_inputs() {
    replay("resolve_fixture", targets::resolve_fixture);
}

#[test]
fn jsonl_inputs() {
    replay("jsonl", targets::jsonl);
}

#[test]
fn geonames_inputs() {
    for (target, file) in [
        ("geonames_main", GeonamesFile::Main),
        ("geonames_alternate_names", GeonamesFile::AlternateNames),
        ("geonames_admin1", GeonamesFile::Admin1),
        ("geonames_country_info", GeonamesFile::CountryInfo),
    ] {
        // A fresh directory per target: each fuzzes one file, the others fixed.
        let dir = GeonamesDir::new();
        replay(target, |data| dir.import(file, data));
    }
}
