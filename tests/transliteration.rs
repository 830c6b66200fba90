//! Names reached across scripts through romanisation, on an index built for
//! the test where each name exists in one script only.

use gazetteer::entity::{Entity, EntityKind, EntityRecord, Name, NameKind};
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::resolve::{resolve, MatchKind, ResolveOptions};

use crate::common::{assert_offsets, describe};

fn place(id: &str, name: &str) -> EntityRecord {
    EntityRecord {
        entity: Entity {
            id: id.to_string(),
            kind: EntityKind::Place,
            name: name.to_string(),
            external_ids: Vec::new(),
            country_code: None,
            feature_code: Some("PPL".into()),
            coordinates: None,
            population: 100_000,
            admin1: None,
        },
        names: vec![Name {
            text: name.to_string(),
            lang: None,
            kind: NameKind::Primary,
            demonym: false,
        }],
        prominence: 0,
    }
}

fn index() -> Index {
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: "one-script names".into(),
            sha256: String::new(),
            records: vec![
                place("test:gyumri", "Gyumri"),
                place("test:moskva", "Москва"),
                place("test:teheran", "Teheran"),
                place("test:thessaloniki", "Thessaloniki"),
                place("test:tbilisi", "Tbilisi"),
                place("test:athina", "Αθήνα"),
                // Romanised Japanese particles and endings spell these.
                place("test:kara", "Kara"),
                place("test:made", "Made"),
                place("test:nado", "Nado"),
            ],
        })
        .expect("adds");
    Index::from_files(builder.finish(String::new()).expect("builds"), "test").expect("opens")
}

#[test]
fn text_in_one_script_reaches_names_listed_in_another() {
    let index = index();
    let rows = [
        ("Встреча прошла в Гюмри.", "Гюмри", "test:gyumri"),
        ("Talks were held in Moskva today.", "Moskva", "test:moskva"),
        ("テヘランで会談", "テヘラン", "test:teheran"),
        (
            "Συνάντηση στη Θεσσαλονίκη.",
            "Θεσσαλονίκη",
            "test:thessaloniki",
        ),
        ("შეხვედრა თბილისი", "თბილისი", "test:tbilisi"),
        ("Flights to Athina resumed.", "Athina", "test:athina"),
    ];
    let mut failures = Vec::new();
    for (text, surface, id) in rows {
        let mentions = resolve(&index, text, &ResolveOptions::default()).expect("resolves");
        match mentions.iter().find(|m| m.surface == surface) {
            Some(m) if m.entity.id == id && m.match_kind == MatchKind::Transliterated => {
                assert_offsets(text, m)
            }
            _ => failures.push(format!(
                "{text:?}: want {surface} → {id}; got {:?}",
                describe(&mentions)
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn abjad_and_han_text_is_not_romanised() {
    // Consonant skeletons would match noise; these must find nothing here.
    let index = index();
    for text in ["في طهران", "בטהרן", "在德黑兰"] {
        let mentions = resolve(&index, text, &ResolveOptions::default()).expect("resolves");
        assert!(mentions.is_empty(), "{text}: {:?}", describe(&mentions));
    }
}

#[test]
fn hiragana_particles_are_not_romanised_into_places() {
    // から, まで and など romanise to Kara, Made and Nado: grammar, not
    // names, which Japanese writes in kanji or katakana.
    let index = index();
    let text = "テヘランから東京まで、ソウルなどへ。";
    let mentions = resolve(&index, text, &ResolveOptions::default()).expect("resolves");
    let found: Vec<(&str, &str)> = mentions
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.id.as_str()))
        .collect();
    assert_eq!(
        found,
        [("テヘラン", "test:teheran")],
        "{:?}",
        describe(&mentions)
    );
    assert_offsets(text, &mentions[0]);
}
