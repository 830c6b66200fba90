//! Index directories through the library: build, write, open, and every way
//! an index on disk can be wrong.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use gazetteer::index::{BuildSource, Index, IndexBuilder, IndexError, IndexFiles, FORMAT_VERSION};
use gazetteer::ingest::{read_jsonl_file, read_jsonl_str};
use gazetteer::resolve::{lookup, resolve, LookupOptions, ResolveOptions};

use crate::common::{assert_offsets, fixture};

const TEHRAN: &str = "geonames:112931";

fn fixture_files() -> IndexFiles {
    let path = fixture("entities.jsonl");
    let bytes = std::fs::read(&path).unwrap();
    let records = read_jsonl_file(&path).expect("the fixture parses");
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: "entities.jsonl".into(),
            sha256: gazetteer::sha256_hex(&bytes),
            records,
        })
        .expect("the fixture has no duplicate ids");
    builder
        .finish("2020-01-01T00:00:00Z".into())
        .expect("the fixture builds")
}

/// Writes the fixture index to `<tempdir>/index`.
fn write_fixture(dir: &Path) -> PathBuf {
    let out = dir.join("index");
    fixture_files().write_dir(&out).expect("write_dir");
    out
}

fn open_err(dir: &Path) -> IndexError {
    match Index::open(dir) {
        Ok(_) => panic!("{} opened although it is broken", dir.display()),
        Err(e) => e,
    }
}

fn edit_meta(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let path = dir.join("meta.json");
    let mut meta: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    edit(&mut meta);
    std::fs::write(&path, serde_json::to_vec_pretty(&meta).unwrap()).unwrap();
}

#[test]
fn written_index_opens_and_answers() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    let index = Index::open(&out).expect("the written index opens");
    let meta = index.meta();
    assert_eq!(meta.format_version, FORMAT_VERSION);
    assert_eq!(meta.entity_count, 11);
    assert_eq!(meta.entities_by_kind["place"], 9);
    assert_eq!(meta.entities_by_kind["person"], 1);
    assert_eq!(meta.entities_by_kind["organization"], 1);
    assert_eq!(meta.sources.len(), 1);
    assert_eq!(meta.sources[0].records, 11);
    assert_eq!(meta.built_at, "2020-01-01T00:00:00Z");
    assert_eq!(index.location(), out.display().to_string());

    let tehran = index
        .entity(index.find_id(TEHRAN).expect("Tehran is indexed"))
        .unwrap();
    assert_eq!(tehran.name, "Tehran");
    assert_eq!(tehran.country_code.as_deref(), Some("IR"));
    assert_eq!(tehran.external_ids.len(), 1);
    assert_eq!(
        (
            tehran.external_ids[0].scheme.as_str(),
            tehran.external_ids[0].id.as_str()
        ),
        ("wikidata", "Q3616")
    );
    assert!(index.find_id("geonames:0").is_none());

    let text = "Sergey Lavrov arrived in Teheran; the Foreign Ministry said Москва agreed.";
    let found = resolve(&index, text, &ResolveOptions::default()).unwrap();
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.id.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("Sergey Lavrov", "example:test-person-lavrov"),
            ("Teheran", TEHRAN),
            ("Foreign Ministry", "example:test-org-ministry"),
            ("Москва", "geonames:524901"),
        ]
    );
    for m in &found {
        assert_offsets(text, m);
    }

    let persian = lookup(&index, "تهران", &LookupOptions::default()).unwrap();
    assert_eq!(persian.len(), 1);
    assert_eq!(persian[0].entity.id, TEHRAN);
    assert_eq!(persian[0].matched_name, "تهران");
}

#[test]
fn opened_and_in_memory_indexes_agree() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    let on_disk = Index::open(&out).unwrap();
    let in_memory = Index::from_files(fixture_files(), "memory").unwrap();
    assert_eq!(on_disk.version(), in_memory.version());
    assert_eq!(in_memory.location(), "memory");
    let text = "Von Eriwan über Bakı nach Nizza und 유럽.";
    let a = resolve(&on_disk, text, &ResolveOptions::default()).unwrap();
    let b = resolve(&in_memory, text, &ResolveOptions::default()).unwrap();
    assert_eq!(a, b);
    let ids: Vec<&str> = a.iter().map(|m| m.entity.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "geonames:616052",
            "geonames:587084",
            "geonames:2990440",
            "geonames:6255148"
        ]
    );
}

#[test]
fn version_is_a_content_hash() {
    let a = fixture_files();
    let b = fixture_files();
    assert_eq!(a.meta.version, b.meta.version);
    assert_eq!(a.meta.version.len(), 16);

    let mut builder = IndexBuilder::new();
    let records = read_jsonl_str(
        "one.jsonl",
        r#"{"id":"geonames:2988507","kind":"place","name":"Paris"}"#,
    )
    .unwrap();
    builder
        .add_source(BuildSource {
            name: "one.jsonl".into(),
            sha256: String::new(),
            records,
        })
        .unwrap();
    let other = builder.finish(String::new()).unwrap();
    assert_ne!(other.meta.version, a.meta.version);
}

#[test]
fn another_format_version_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    edit_meta(&out, |meta| meta["format_version"] = 999.into());
    let err = open_err(&out);
    assert!(
        matches!(
            err,
            IndexError::VersionMismatch {
                found: 999,
                expected: FORMAT_VERSION,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains("rebuild"), "{message}");
    assert!(message.contains("999"), "{message}");
}

#[test]
fn truncated_names_fst_asks_for_a_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    let fst = out.join("names.fst");
    let bytes = std::fs::read(&fst).unwrap();
    std::fs::write(&fst, &bytes[..bytes.len() / 2]).unwrap();

    let err = catch_unwind(|| open_err(&out)).expect("opening a truncated index panicked");
    assert!(matches!(err, IndexError::Corrupt { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("rebuild"), "{message}");
    assert!(message.contains("names.fst"), "{message}");
}

/// The same truncation with meta.json updated to match, so the size check
/// passes and the FST itself must be rejected (or at least never panic).
#[test]
fn truncated_names_fst_with_matching_meta_never_panics() {
    for keep in [0usize, 1, 7, 8, 24, 2, 3] {
        let dir = tempfile::tempdir().unwrap();
        let out = write_fixture(dir.path());
        let fst = out.join("names.fst");
        let bytes = std::fs::read(&fst).unwrap();
        let cut = if keep == 2 || keep == 3 {
            bytes.len() / keep
        } else {
            keep
        };
        std::fs::write(&fst, &bytes[..cut]).unwrap();
        edit_meta(&out, |meta| {
            meta["file_sizes"]["names.fst"] = (cut as u64).into()
        });

        let outcome = catch_unwind(AssertUnwindSafe(|| match Index::open(&out) {
            Err(e) => Some(e.to_string()),
            Ok(index) => {
                // If the reader accepts it, using it must still not panic.
                let _ = resolve(
                    &index,
                    "Talks in Teheran and Paris.",
                    &ResolveOptions::default(),
                );
                let _ = lookup(
                    &index,
                    "Te",
                    &LookupOptions {
                        prefix: true,
                        ..Default::default()
                    },
                );
                None
            }
        }));
        let result = outcome.unwrap_or_else(|_| panic!("names.fst cut to {cut} bytes: panic"));
        if let Some(message) = result {
            assert!(message.contains("rebuild"), "cut to {cut}: {message}");
        }
    }
}

#[test]
fn missing_meta_json_is_not_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    std::fs::remove_file(out.join("meta.json")).unwrap();
    let err = open_err(&out);
    let message = err.to_string();
    assert!(message.contains("meta.json"), "{message}");
    assert!(message.contains("missing"), "{message}");
    assert!(message.contains("rebuild"), "{message}");

    // A directory that does not exist at all fails the same way.
    let err = open_err(&dir.path().join("nothing"));
    assert!(err.to_string().contains("meta.json"), "{err}");
}

#[test]
fn missing_or_resized_data_files_are_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    std::fs::remove_file(out.join("postings.bin")).unwrap();
    let message = open_err(&out).to_string();
    assert!(message.contains("postings.bin"), "{message}");
    assert!(message.contains("missing"), "{message}");
    assert!(message.contains("rebuild"), "{message}");

    let out = {
        let d = dir.path().join("second");
        fixture_files().write_dir(&d).unwrap();
        d
    };
    let mut entities = std::fs::read(out.join("entities.bin")).unwrap();
    entities.push(0);
    std::fs::write(out.join("entities.bin"), entities).unwrap();
    let message = open_err(&out).to_string();
    assert!(message.contains("entities.bin"), "{message}");
    assert!(message.contains("rebuild"), "{message}");
}

#[test]
fn unreadable_meta_json_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    std::fs::write(out.join("meta.json"), "{\"format_version\": ").unwrap();
    let err = open_err(&out);
    assert!(matches!(err, IndexError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("rebuild"), "{err}");
}

#[test]
fn inconsistent_posting_table_is_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let out = write_fixture(dir.path());
    let path = out.join("postings.bin");
    let mut postings = std::fs::read(&path).unwrap();
    // The key count, same file length.
    postings[0] = postings[0].wrapping_add(1);
    std::fs::write(&path, postings).unwrap();
    let err = catch_unwind(|| open_err(&out)).expect("no panic");
    assert!(err.to_string().contains("postings.bin"), "{err}");
    assert!(err.to_string().contains("rebuild"), "{err}");
}

#[test]
fn duplicate_id_fails_the_build() {
    let text = concat!(
        "{\"id\":\"geonames:2988507\",\"kind\":\"place\",\"name\":\"Paris\"}\n",
        "{\"id\":\"geonames:2990440\",\"kind\":\"place\",\"name\":\"Nice\"}\n",
        "{\"id\":\"geonames:2988507\",\"kind\":\"place\",\"name\":\"Paris, again\"}\n",
    );
    let records = read_jsonl_str("dupes.jsonl", text).unwrap();
    let mut builder = IndexBuilder::new();
    let err = builder
        .add_source(BuildSource {
            name: "dupes.jsonl".into(),
            sha256: String::new(),
            records,
        })
        .unwrap_err();
    assert!(matches!(err, IndexError::InvalidInput(_)), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("duplicate"), "{message}");
    assert!(message.contains("geonames:2988507"), "{message}");
    assert!(message.contains("dupes.jsonl"), "{message}");
}

#[test]
fn malformed_jsonl_names_the_label_and_line() {
    let text = "{\"id\":\"geonames:2988507\",\"kind\":\"place\",\"name\":\"Paris\"}\n\n{\"id\":";
    let err = read_jsonl_str("broken.jsonl", text)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("broken.jsonl:3:"), "{err}");
    let unknown_field = r#"{"id":"x:1","kind":"place","name":"A","colour":"red"}"#;
    let err = read_jsonl_str("f.jsonl", unknown_field)
        .unwrap_err()
        .to_string();
    assert!(err.contains("colour"), "{err}");
}

#[test]
fn write_dir_refuses_a_non_empty_directory_that_is_not_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("documents");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("thesis.txt"), "irreplaceable").unwrap();
    let err = fixture_files().write_dir(&out).unwrap_err();
    assert!(err.to_string().contains("not an index directory"), "{err}");
    assert_eq!(
        std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "irreplaceable"
    );
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 1);

    // A plain file is not replaced either.
    let file = dir.path().join("file");
    std::fs::write(&file, "data").unwrap();
    assert!(fixture_files().write_dir(&file).is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "data");
}

#[test]
fn write_dir_fills_an_empty_directory_and_replaces_an_index() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    std::fs::create_dir(&out).unwrap();
    fixture_files()
        .write_dir(&out)
        .expect("an empty directory is replaceable");
    let first = Index::open(&out).unwrap().version().to_string();

    // Replace it with a different index.
    let records = read_jsonl_str(
        "small.jsonl",
        r#"{"id":"geonames:2988507","kind":"place","name":"Paris"}"#,
    )
    .unwrap();
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: "small.jsonl".into(),
            sha256: String::new(),
            records,
        })
        .unwrap();
    builder
        .finish(String::new())
        .unwrap()
        .write_dir(&out)
        .unwrap();
    let replaced = Index::open(&out).unwrap();
    assert_ne!(replaced.version(), first);
    assert_eq!(replaced.meta().entity_count, 1);

    // Nothing but the index is left in the parent.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["index"]);
}

#[test]
fn empty_index_opens_and_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("empty");
    IndexBuilder::new()
        .finish(String::new())
        .unwrap()
        .write_dir(&out)
        .unwrap();
    let index = Index::open(&out).expect("an empty index opens");
    assert_eq!(index.meta().entity_count, 0);
    assert!(
        resolve(&index, "Paris and Tehran", &ResolveOptions::default())
            .unwrap()
            .is_empty()
    );
    assert!(lookup(&index, "Paris", &LookupOptions::default())
        .unwrap()
        .is_empty());
}
