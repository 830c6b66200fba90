//! The bodies of the fuzz targets and the invariants they check. Each
//! `fuzz_targets/NAME.rs` calls the function of the same name here; the
//! main test suite (`tests/fuzz_regressions.rs`) includes this file to
//! replay the seed and crash inputs through the same functions, so no
//! cargo-fuzz is needed to keep them passing.
//!
//! A target fails (panics) only on a broken invariant the crate documents:
//! spans inside the text and on character boundaries, the three offset units
//! describing the same characters, ordered and disjoint spans under
//! `LONGEST`, scores in [0, 1], options obeyed, importers that skip or
//! reject bad input instead of panicking.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gazetteer::entity::EntityKind;
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::ingest::{GeonamesFiles, GeonamesImport, GeonamesOptions};
use gazetteer::resolve::{lookup, resolve, LookupOptions, Mention, OverlapPolicy, ResolveOptions};
use gazetteer::text::{name_key, normalize_into, romanize, starts_lowercase, tokenize};

/// Target `normalize`: the normaliser, the lowercase-start test and
/// romanisation never panic; `normalize` agrees with `normalize_into`
/// character by character; ASCII stays ASCII of the same length.
pub fn normalize(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let whole = gazetteer::text::normalize(text);
    let mut by_char = String::new();
    for c in text.chars() {
        normalize_into(c, &mut by_char);
    }
    assert_eq!(
        whole, by_char,
        "normalize differs from normalize_into per character"
    );
    if text.is_ascii() {
        assert!(
            whole.is_ascii() && whole.len() == text.len(),
            "ASCII changed length: {whole:?}"
        );
        assert!(
            !whole.bytes().any(|b| b.is_ascii_uppercase()),
            "uppercase left: {whole:?}"
        );
    }
    let _ = starts_lowercase(text);
    if let Some(roman) = romanize(text) {
        assert!(roman.is_ascii(), "romanisation is not ASCII: {roman:?}");
    }
}

/// Target `tokenize`: tokens inside the text, on character boundaries, in
/// order and disjoint, each with a non-empty surface and normalised form;
/// the join tests and `name_key` never panic and agree on emptiness.
pub fn tokenize_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tokens = tokenize(text);
    let mut previous_end = 0;
    for i in 0..tokens.len() {
        let t = tokens.token(i);
        assert!(
            previous_end <= t.start && t.start < t.end && t.end <= text.len(),
            "token {i} at {}..{} after {previous_end} in {} bytes",
            t.start,
            t.end,
            text.len()
        );
        assert!(
            text.is_char_boundary(t.start) && text.is_char_boundary(t.end),
            "token {i} at {}..{} splits a character",
            t.start,
            t.end
        );
        assert_eq!(tokens.surface(i), &text[t.start..t.end]);
        assert!(
            !tokens.normalized(i).is_empty(),
            "token {i} normalises to nothing"
        );
        if i > 0 {
            let _ = tokens.is_tight(i);
            let _ = tokens.can_join(i);
        }
        previous_end = t.end;
    }
    match name_key(text) {
        Some(key) => assert!(
            !tokens.is_empty() && !key.is_empty(),
            "key {key:?} without tokens"
        ),
        None => assert!(tokens.is_empty(), "no key for {} tokens", tokens.len()),
    }
}

/// Target `resolve_default`: resolve over the embedded default gazetteer
/// with options from the first two bytes; every invariant of the answer.
pub fn resolve_default(data: &[u8]) {
    let index = gazetteer::default_index().expect("the embedded index builds");
    let (options, text) = resolve_input(data);
    resolve_and_check(&index, &text, &options);
}

/// Target `resolve_fixture`: the same over the small fixture index, plus
/// exact and prefix lookup of the whole text.
pub fn resolve_fixture(data: &[u8]) {
    let index = fixture_index();
    let (options, text) = resolve_input(data);
    resolve_and_check(&index, &text, &options);
    for prefix in [false, true] {
        let options = LookupOptions {
            prefix,
            ..LookupOptions::default()
        };
        lookup(&index, &text, &options).expect("lookup over a valid index succeeds");
    }
}

/// Target `jsonl`: any input is read or rejected with an error; accepted
/// records build an index (or are rejected by the builder with an error) in
/// which every record's id is found and its names resolve with valid
/// offsets.
pub fn jsonl(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(records) = gazetteer::ingest::read_jsonl_str("fuzz.jsonl", text) else {
        return;
    };
    let ids: Vec<String> = records.iter().map(|r| r.entity.id.clone()).collect();
    let names: Vec<String> = records
        .iter()
        .flat_map(|r| r.names.iter().map(|n| n.text.clone()))
        .collect();
    let Some(index) = index_from_records("fuzz.jsonl", records) else {
        return;
    };
    for id in &ids {
        let ordinal = index
            .find_id(id)
            .unwrap_or_else(|| panic!("id {id:?} not in the index"));
        let entity = index
            .entity(ordinal)
            .expect("an entity of a fresh index decodes");
        assert_eq!(&entity.id, id);
    }
    let options = ResolveOptions {
        overlap: OverlapPolicy::All,
        ..ResolveOptions::default()
    };
    for name in &names {
        resolve_and_check(&index, name, &options);
    }
}

/// Target `wikidata`: arbitrary bytes read as a Wikidata JSON dump (plain,
/// gzip or bzip2, told by the first bytes) never panic the importer: bad
/// lines are skipped and counted, a broken compressed stream is an error.
/// Every record has a `wikidata:Q…` ID and its primary name first, and the
/// records build an index (or are rejected by the builder with an error,
/// as a repeated QID is) in which every ID is found.
pub fn wikidata(data: &[u8]) {
    use gazetteer::entity::NameKind;
    use gazetteer::ingest::{WikidataImport, WikidataOptions};
    let Ok(import) = WikidataImport::from_reader(
        Path::new("fuzz.json"),
        Box::new(std::io::Cursor::new(data.to_vec())),
        WikidataOptions::default(),
        Box::new(|_| {}),
    ) else {
        return;
    };
    let mut records = Vec::new();
    for record in import {
        match record {
            Ok(record) => records.push(record),
            Err(_) => return,
        }
    }
    for record in &records {
        assert!(
            record.entity.id.starts_with("wikidata:Q"),
            "{}",
            record.entity.id
        );
        assert_eq!(record.names[0].kind, NameKind::Primary);
        assert_eq!(record.names[0].text, record.entity.name);
    }
    let ids: Vec<String> = records.iter().map(|r| r.entity.id.clone()).collect();
    let Some(index) = index_from_records("fuzz.json", records) else {
        return;
    };
    for id in &ids {
        assert!(index.find_id(id).is_some(), "id {id:?} not in the index");
    }
}

/// Language hints the first input byte chooses from: each turns on a
/// different inflection or clitic path in the matcher.
const LANGUAGE_HINTS: &[&str] = &[
    "", "de", "tr", "az", "ru", "uk", "be", "ar", "fa", "he", "ko", "hy", "ka", "ja", "zh", "en",
];

/// Splits a resolve input into options (from its first two bytes) and text.
/// Inputs that are not UTF-8 are decoded lossily so no input is wasted.
pub fn resolve_input(data: &[u8]) -> (ResolveOptions, String) {
    let (head, rest) = match data {
        [a, b, rest @ ..] => ([*a, *b], rest),
        _ => ([0, 0], data),
    };
    let mut options = ResolveOptions {
        overlap: if head[0] & 1 == 1 {
            OverlapPolicy::All
        } else {
            OverlapPolicy::Longest
        },
        max_candidates: usize::from(head[1] & 0x0f),
        ..ResolveOptions::default()
    };
    let hint = LANGUAGE_HINTS[usize::from(head[0] >> 1) % LANGUAGE_HINTS.len()];
    if !hint.is_empty() {
        options.languages.push(hint.to_string());
    }
    if head[0] & 0x80 != 0 {
        options.kinds.push(EntityKind::Place);
    }
    if head[1] & 0x10 != 0 {
        options.min_score = f64::from(head[1] >> 5) / 7.0;
    }
    (options, String::from_utf8_lossy(rest).into_owned())
}

/// Resolves `text` and checks every documented invariant of the result.
pub fn resolve_and_check(index: &Index, text: &str, options: &ResolveOptions) -> Vec<Mention> {
    let mentions = resolve(index, text, options).expect("resolve over a valid index succeeds");
    check_mentions(text, options, &mentions);
    mentions
}

/// The invariants of [`resolve`]'s answer for `text` under `options`.
pub fn check_mentions(text: &str, options: &ResolveOptions, mentions: &[Mention]) {
    for m in mentions {
        check_span(text, m);
        assert!(
            m.score.is_finite() && (0.0..=1.0).contains(&m.score),
            "score {} of {:?} outside [0, 1]",
            m.score,
            m.surface
        );
        assert!(
            m.score >= options.min_score,
            "score {} of {:?} below min_score {}",
            m.score,
            m.surface,
            options.min_score
        );
        assert!(
            m.candidates.len() <= options.max_candidates,
            "{} candidates for {:?}, max_candidates {}",
            m.candidates.len(),
            m.surface,
            options.max_candidates
        );
        for c in &m.candidates {
            assert!(
                c.score.is_finite() && (0.0..=1.0).contains(&c.score),
                "candidate score {} of {:?} outside [0, 1]",
                c.score,
                m.surface
            );
        }
        if !options.kinds.is_empty() {
            assert!(
                options.kinds.contains(&m.entity.kind),
                "{:?} is a {:?}, not one of {:?}",
                m.surface,
                m.entity.kind,
                options.kinds
            );
        }
    }
    for pair in mentions.windows(2) {
        let (a, b) = (pair[0].span, pair[1].span);
        match options.overlap {
            OverlapPolicy::Longest => assert!(
                a.byte_end <= b.byte_start && a.end <= b.start && a.utf16_end <= b.utf16_start,
                "LONGEST spans overlap or are out of order: {a:?} then {b:?}"
            ),
            OverlapPolicy::All => assert!(
                a.byte_start < b.byte_start
                    || (a.byte_start == b.byte_start && a.byte_end >= b.byte_end),
                "ALL spans out of order: {a:?} then {b:?}"
            ),
        }
    }
}

/// One mention's span: inside the text, on character boundaries, non-empty,
/// slicing to the surface, and the same characters in all three units.
pub fn check_span(text: &str, m: &Mention) {
    let s = m.span;
    assert!(
        s.byte_start < s.byte_end && s.byte_end <= text.len(),
        "byte span {}..{} outside a text of {} bytes",
        s.byte_start,
        s.byte_end,
        text.len()
    );
    assert!(
        text.is_char_boundary(s.byte_start) && text.is_char_boundary(s.byte_end),
        "byte span {}..{} splits a character",
        s.byte_start,
        s.byte_end
    );
    assert_eq!(
        &text[s.byte_start..s.byte_end],
        m.surface,
        "surface differs from the text at its byte span {s:?}"
    );
    let before = &text[..s.byte_start];
    let chars = before.chars().count();
    let units: usize = before.chars().map(char::len_utf16).sum();
    assert_eq!(
        (s.start, s.utf16_start),
        (chars, units),
        "start offsets disagree with byte {}",
        s.byte_start
    );
    assert_eq!(
        (s.end - s.start, s.utf16_end - s.utf16_start),
        (
            m.surface.chars().count(),
            m.surface.chars().map(char::len_utf16).sum()
        ),
        "span lengths disagree with the surface {:?}",
        m.surface
    );
}

/// Builds an in-memory index from JSON Lines text; `None` when the build
/// rejects the records (an error, never a panic).
pub fn index_from_jsonl(label: &str, jsonl: &str) -> Option<Index> {
    let records = gazetteer::ingest::read_jsonl_str(label, jsonl).ok()?;
    index_from_records(label, records)
}

/// Builds an in-memory index from records; `None` when the build rejects
/// them.
pub fn index_from_records(
    label: &str,
    records: Vec<gazetteer::entity::EntityRecord>,
) -> Option<Index> {
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: label.to_string(),
            sha256: String::new(),
            records,
        })
        .ok()?;
    let files = builder.finish("1970-01-01T00:00:00Z".to_string()).ok()?;
    Some(Index::from_files(files, label).expect("a freshly built index opens"))
}

/// The index built from `tests/fixtures/entities.jsonl`, once per process.
pub fn fixture_index() -> Arc<Index> {
    static INDEX: std::sync::OnceLock<Arc<Index>> = std::sync::OnceLock::new();
    INDEX
        .get_or_init(|| {
            let jsonl = include_str!("../../tests/fixtures/entities.jsonl");
            Arc::new(index_from_jsonl("entities.jsonl", jsonl).expect("the fixture builds"))
        })
        .clone()
}

/// Which GeoNames file a target fuzzes; the other three hold the fixed
/// contents below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeonamesFile {
    /// `allCountries.txt`.
    Main,
    /// `alternateNamesV2.txt`.
    AlternateNames,
    /// `admin1CodesASCII.txt`.
    Admin1,
    /// `countryInfo.txt`.
    CountryInfo,
}

/// Three places (a capital, a town, a region) of an invented country `ZZ`.
const MAIN: &str = "\
1\tAlderport\tAlderport\tAlder Port,Ольдерпорт\t10.5\t20.25\tP\tPPLC\tZZ\t\t01\t\t\t\t52000\t\t12\tEtc/UTC\t2024-01-01
2\tBirchford\tBirchford\t\t-33.75\t151.0\tP\tPPL\tZZ\t\t02\t\t\t\t900\t\t\tEtc/UTC\t2024-01-01
3\tCedar Vale\tCedar Vale\tCedarvale\t0\t0\tA\tADM1\tZZ\t\t03\t\t\t\t\t\t\tEtc/UTC\t2024-01-01
";

const ALTERNATE_NAMES: &str = "\
1\t1\tfr\tAulnes-le-Port\t1\t\t\t\t\t
2\t1\twkdt\tQ4242\t\t\t\t\t\t
3\t2\tpost\t4711\t\t\t\t\t\t
4\t3\tru\tКедровая долина\t\t\t\t\t\t
5\t99\ten\tNowhere\t\t\t\t\t\t
";

const ADMIN1: &str = "\
ZZ.03\tCedar Vale\tCedar Vale\t3
ZZ.04\tDunmere\tDunmere\t4
";

const COUNTRY_INFO: &str = "\
# ISO\tISO3\tISO-Numeric\tfips\tCountry\tCapital\tArea(in sq km)\tPopulation\tContinent\ttld\tCurrencyCode\tCurrencyName\tPhone\tPostal Code Format\tPostal Code Regex\tLanguages\tgeonameid\tneighbours\tEquivalentFipsCode
ZZ\tZZZ\t999\tZZ\tZedland\tAlderport\t1000\t60000\tEU\t.zz\tZZD\tZed\t999\t\t\tzz\t5\t\t
";

/// A directory of GeoNames files, one per process, rewritten for each input.
pub struct GeonamesDir {
    _dir: tempfile::TempDir,
    files: GeonamesFiles,
}

impl GeonamesDir {
    /// Writes the fixed files into a fresh temporary directory.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = |name: &str| -> PathBuf { dir.path().join(name) };
        let files = GeonamesFiles {
            main: path("allCountries.txt"),
            alternate_names: Some(path("alternateNamesV2.txt")),
            admin1: Some(path("admin1CodesASCII.txt")),
            country_info: Some(path("countryInfo.txt")),
        };
        for (file, text) in [
            (&files.main, MAIN),
            (files.alternate_names.as_ref().unwrap(), ALTERNATE_NAMES),
            (files.admin1.as_ref().unwrap(), ADMIN1),
            (files.country_info.as_ref().unwrap(), COUNTRY_INFO),
        ] {
            write(file, text.as_bytes());
        }
        Self { _dir: dir, files }
    }

    /// Writes `data` as `which`, imports all four files leniently and
    /// strictly, and checks the import's invariants. (Building an index
    /// from the records is left to the `jsonl` target: the FST builders'
    /// set-up would cut this target's speed tenfold.)
    pub fn import(&self, which: GeonamesFile, data: &[u8]) {
        let path = match which {
            GeonamesFile::Main => &self.files.main,
            GeonamesFile::AlternateNames => self.files.alternate_names.as_ref().unwrap(),
            GeonamesFile::Admin1 => self.files.admin1.as_ref().unwrap(),
            GeonamesFile::CountryInfo => self.files.country_info.as_ref().unwrap(),
        };
        write(path, data);

        let lenient =
            GeonamesImport::open(&self.files, GeonamesOptions::default(), Box::new(|_| {}))
                .expect("a lenient import only fails on I/O errors");
        let mut records = Vec::new();
        let mut import = lenient;
        for record in import.by_ref() {
            records.push(record.expect("a lenient import yields no errors"));
        }
        let skipped: u64 = import.stats().files().map(|f| f.skipped_total()).sum();
        for record in &records {
            let entity = &record.entity;
            assert!(
                entity.id.starts_with("geonames:"),
                "id {:?} is not a GeoNames id",
                entity.id
            );
            assert!(!record.names.is_empty(), "{:?} has no names", entity.id);
            assert_eq!(
                record.names[0].text, entity.name,
                "the first name of {:?} is not its primary name",
                entity.id
            );
            for name in &record.names {
                assert!(
                    !name.text.trim().is_empty(),
                    "{:?} has an empty name",
                    entity.id
                );
            }
            if let Some((lat, lon)) = entity.coordinates {
                assert!(
                    (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon),
                    "{:?} has coordinates ({lat}, {lon})",
                    entity.id
                );
            }
            if let Some(cc) = &entity.country_code {
                assert!(
                    cc.len() == 2 && cc.bytes().all(|b| b.is_ascii_uppercase()),
                    "{:?} has country code {cc:?}",
                    entity.id
                );
            }
        }
        let mut ids: Vec<&str> = records.iter().map(|r| r.entity.id.as_str()).collect();
        ids.sort_unstable();
        let count = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), count, "the import yielded an id twice");

        let strict = GeonamesImport::open(
            &self.files,
            GeonamesOptions {
                strict: true,
                ..GeonamesOptions::default()
            },
            Box::new(|_| {}),
        );
        assert_eq!(
            strict.is_ok(),
            skipped == 0,
            "strict import {} but the lenient one skipped {skipped} rows",
            if strict.is_ok() {
                "succeeded"
            } else {
                "failed"
            }
        );
    }
}

impl Default for GeonamesDir {
    fn default() -> Self {
        Self::new()
    }
}

fn write(path: &Path, data: &[u8]) {
    std::fs::write(path, data).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}
