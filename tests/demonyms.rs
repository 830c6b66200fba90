//! Everyday country names of the default gazetteer, and demonyms as their
//! own name kind: matched only with `include_demonyms`, reported as
//! `MatchKind::Demonym`, kept apart in the index and on the wire.

use gazetteer::entity::{Entity, EntityKind, EntityRecord, Name, NameKind};
use gazetteer::index::{BuildSource, Index, IndexBuilder, DEMONYMS_FST};
use gazetteer::ingest::read_jsonl_str;
use gazetteer::resolve::{resolve, MatchKind, Mention, OverlapPolicy, ResolveOptions};

use crate::common::{assert_offsets, index, mentions};

const RUSSIA: &str = "geonames:2017370";
const IRAN: &str = "geonames:130758";
const SOUTH_KOREA: &str = "geonames:1835841";
const SAUDI_ARABIA: &str = "geonames:102358";
const BRAZIL: &str = "geonames:3469034";
const JAPAN: &str = "geonames:1861060";
const FRANCE: &str = "geonames:3017382";

fn with_demonyms() -> ResolveOptions {
    ResolveOptions {
        include_demonyms: true,
        ..ResolveOptions::default()
    }
}

fn found(text: &str, options: &ResolveOptions) -> Vec<(String, String, MatchKind)> {
    let found: Vec<Mention> = resolve(&index(), text, options).expect("resolve succeeds");
    for m in &found {
        assert_offsets(text, m);
    }
    found
        .into_iter()
        .map(|m| (m.surface, m.entity.id.clone(), m.match_kind))
        .collect()
}

fn ids(text: &str) -> Vec<(String, String)> {
    mentions(text)
        .into_iter()
        .inspect(|m| assert_offsets(text, m))
        .map(|m| (m.surface, m.entity.id.clone()))
        .collect()
}

fn pair(surface: &str, id: &str) -> (String, String) {
    (surface.to_string(), id.to_string())
}

#[test]
fn everyday_russian_country_names_resolve() {
    // rigour lists Russia as "россия" (lowercase) and the stem "Росси":
    // the name is now written "Россия", and the stem is gone.
    assert_eq!(
        ids("Россия и Иран подписали договор."),
        vec![pair("Россия", RUSSIA), pair("Иран", IRAN)]
    );
    assert_eq!(
        ids("Бразилия и Япония."),
        vec![pair("Бразилия", BRAZIL), pair("Япония", JAPAN)]
    );
    // Inflected forms still reach the full name.
    assert_eq!(ids("В России."), vec![pair("России", RUSSIA)]);
    // A Russian abbreviation is Russian: `УК` (the criminal code) is not
    // the UK, in Cyrillic or romanised; `РФ` is Russia, and the Latin `UK`
    // the United Kingdom.
    assert_eq!(
        ids("Статья 105 УК РФ; UK officials 😀 agreed."),
        vec![pair("РФ", RUSSIA), pair("UK", "geonames:2635167")]
    );
    // Everyday names the packages lack (data/sources/country_names.tsv).
    assert_eq!(
        ids("Белоруссия и Америка."),
        vec![
            pair("Белоруссия", "geonames:630336"),
            pair("Америка", "geonames:6252001")
        ]
    );
}

#[test]
fn lowercase_country_name_is_not_a_name() {
    assert!(ids("россия и иран").is_empty());
}

#[test]
fn truncated_stems_are_not_country_names() {
    // rigour's stems "Росси", "Франц", "Герман" named Russia, France and
    // Germany; in text they are a surname and two given names.
    assert_eq!(ids("Валентино Росси выиграл гонку."), vec![]);
    let countries = [RUSSIA, FRANCE, "geonames:2921044"];
    let found = ids("Франц Кафка и Герман Греф.");
    assert!(
        found
            .iter()
            .all(|(_, id)| !countries.contains(&id.as_str())),
        "{found:?}"
    );
    assert_eq!(ids("Франция."), vec![pair("Франция", FRANCE)]);
}

#[test]
fn demonyms_match_only_when_asked() {
    let text = "Iranian and Russian officials met; the Iranians left.";
    assert!(found(text, &ResolveOptions::default()).is_empty());
    assert_eq!(
        found(text, &with_demonyms()),
        vec![
            ("Iranian".into(), IRAN.into(), MatchKind::Demonym),
            ("Russian".into(), RUSSIA.into(), MatchKind::Demonym),
            ("Iranians".into(), IRAN.into(), MatchKind::Demonym),
        ]
    );
}

#[test]
fn a_demonym_is_never_read_as_a_place_name() {
    // `German` is also a parish on the Isle of Man, `Thai` a town in
    // Malaysia, and other sources list `Israeli` as a name of Israel:
    // without the option none is a mention, with it each is its country's
    // demonym.
    const GERMANY: &str = "geonames:2921044";
    const THAILAND: &str = "geonames:1605651";
    const ISRAEL: &str = "geonames:294640";
    let text = "German, Thai and Israeli officials met in Paris.";
    let plain = found(text, &ResolveOptions::default());
    assert_eq!(
        plain.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
        ["Paris"],
        "{plain:?}"
    );
    let with = found(text, &with_demonyms());
    let demonyms: Vec<(&str, &str)> = with
        .iter()
        .filter(|m| m.2 == MatchKind::Demonym)
        .map(|m| (m.0.as_str(), m.1.as_str()))
        .collect();
    assert_eq!(
        demonyms,
        [("German", GERMANY), ("Thai", THAILAND), ("Israeli", ISRAEL)]
    );
}

#[test]
fn a_given_name_is_no_demonym() {
    // `Finn` is left out of Finland's demonyms (`Finns`, `Finnish` stay).
    let text = "Finn Russell kicked the winning goal; the Finns cheered.";
    let with = found(text, &with_demonyms());
    assert_eq!(
        with.iter().map(|m| m.0.as_str()).collect::<Vec<_>>(),
        ["Finns"],
        "{with:?}"
    );
}

#[test]
fn lowercase_demonyms_never_match() {
    assert!(found("an iranian diplomat and russian oil", &with_demonyms()).is_empty());
}

#[test]
fn russian_country_adjectives_match_in_every_case_and_in_lowercase() {
    const UK: &str = "geonames:2635167";
    const US: &str = "geonames:6252001";
    const NORTH_KOREA: &str = "geonames:1873107";
    let text = "По данным британской полиции, американских дипломатов и \
                Северокорейский посол видели в российском посольстве.";
    assert_eq!(
        found(text, &with_demonyms()),
        vec![
            ("британской".into(), UK.into(), MatchKind::Demonym),
            ("американских".into(), US.into(), MatchKind::Demonym),
            (
                "Северокорейский".into(),
                NORTH_KOREA.into(),
                MatchKind::Demonym
            ),
            ("российском".into(), RUSSIA.into(), MatchKind::Demonym),
        ]
    );
    let got = resolve(&index(), text, &with_demonyms()).unwrap();
    assert_eq!(got[0].matched_name, "британский");
    // Adjectives are demonyms: without the option, nothing.
    assert!(found(text, &ResolveOptions::default()).is_empty());
    // Words with adjective endings that are no country's adjective.
    assert!(found("большой красной синими новыми", &with_demonyms()).is_empty());
}

#[test]
fn russian_adjectives_of_cities_and_regions_are_their_demonyms() {
    const LONDON: &str = "geonames:2643743";
    const UFA: &str = "geonames:479561";
    const MOSCOW: &str = "geonames:524901";
    const BEIJING: &str = "geonames:1816670";
    const CALIFORNIA: &str = "geonames:5332921";
    // Derived by rule (`Лондон` → `лондонский`, `Калифорния` →
    // `калифорнийский`) and listed where irregular (`Уфа` → `уфимский`,
    // `Москва` → `московский`) or not a city (`советский`), in any case
    // and number, after astral and right-to-left text.
    const NEW_YORK: &str = "geonames:5128581";
    const SOVIET_UNION: &str = "wikidata:Q15180";
    let text = "𝐍 «لندن» В лондонском районе, уфимской больнице, \
                Московский университет, по пекинскому времени, в калифорнийской синагоге, \
                в нью-йоркском театре, встреча советских войск.";
    let demonyms: Vec<_> = found(text, &with_demonyms())
        .into_iter()
        .filter(|m| m.2 == MatchKind::Demonym)
        .collect();
    assert_eq!(
        demonyms,
        vec![
            ("лондонском".into(), LONDON.into(), MatchKind::Demonym),
            ("уфимской".into(), UFA.into(), MatchKind::Demonym),
            ("Московский".into(), MOSCOW.into(), MatchKind::Demonym),
            ("пекинскому".into(), BEIJING.into(), MatchKind::Demonym),
            (
                "калифорнийской".into(),
                CALIFORNIA.into(),
                MatchKind::Demonym
            ),
            // Inflected and written with a hyphen: the whole adjective.
            ("нью-йоркском".into(), NEW_YORK.into(), MatchKind::Demonym),
            ("советских".into(), SOVIET_UNION.into(), MatchKind::Demonym),
        ]
    );
    // Demonyms only: without the option, none of them.
    assert!(found(text, &ResolveOptions::default())
        .iter()
        .all(|m| m.0 == "لندن"));
    // A rule-made form that is mostly another word is left out:
    // `славянский` is Slavic, not of Sloviansk.
    assert!(found("славянской письменности", &with_demonyms()).is_empty());
}

#[test]
fn russian_adjective_offsets_after_astral_and_right_to_left_text() {
    let text = "𠀀 طهران 😀 иранской";
    let got = resolve(&index(), text, &with_demonyms()).unwrap();
    let adjective = got
        .iter()
        .find(|m| m.match_kind == MatchKind::Demonym)
        .expect("the adjective is found");
    assert_eq!(adjective.entity.id, IRAN);
    assert_eq!(adjective.surface, "иранской");
    assert_eq!((adjective.span.start, adjective.span.end), (10, 18));
    assert_eq!(
        (adjective.span.utf16_start, adjective.span.utf16_end),
        (12, 20)
    );
    for m in &got {
        assert_offsets(text, m);
    }
}

#[test]
fn multi_word_demonyms_are_longest_and_keep_names() {
    let text = "South Korean and Saudi Arabian ministers met in Tehran; an Iranian's view.";
    let got = found(text, &with_demonyms());
    assert_eq!(
        got,
        vec![
            (
                "South Korean".into(),
                SOUTH_KOREA.into(),
                MatchKind::Demonym
            ),
            (
                "Saudi Arabian".into(),
                SAUDI_ARABIA.into(),
                MatchKind::Demonym
            ),
            ("Tehran".into(), "geonames:112931".into(), MatchKind::Exact),
            ("Iranian".into(), IRAN.into(), MatchKind::Demonym),
        ]
    );
    // Without the option the demonyms are not names at all, not even in
    // part: "Korean" and "Saudi" are demonyms too.
    assert_eq!(
        found(text, &ResolveOptions::default()),
        vec![("Tehran".into(), "geonames:112931".into(), MatchKind::Exact)]
    );
}

#[test]
fn demonym_offsets_in_three_units_after_astral_characters() {
    let text = "𠀀😀 Iranians and 𪚥 Russians";
    let got = resolve(&index(), text, &with_demonyms()).unwrap();
    assert_eq!(got.len(), 2);
    let m = &got[0];
    assert_eq!((m.span.start, m.span.end), (3, 11));
    assert_eq!((m.span.byte_start, m.span.byte_end), (9, 17));
    assert_eq!((m.span.utf16_start, m.span.utf16_end), (5, 13));
    assert_eq!(m.matched_name, "Iranians");
    for m in &got {
        assert_offsets(text, m);
    }
}

#[test]
fn demonyms_obey_kinds_min_score_and_all() {
    let people_only = ResolveOptions {
        kinds: vec![EntityKind::Person],
        ..with_demonyms()
    };
    assert!(found("Iranian officials", &people_only).is_empty());
    let strict = ResolveOptions {
        min_score: 0.99,
        ..with_demonyms()
    };
    assert!(found("Iranian officials", &strict).is_empty());
    let all = ResolveOptions {
        overlap: OverlapPolicy::All,
        ..with_demonyms()
    };
    let got = found("Iranian officials", &all);
    assert_eq!(
        got,
        vec![("Iranian".into(), IRAN.into(), MatchKind::Demonym)]
    );
}

#[test]
fn jsonl_demonym_kind_reaches_the_index_and_not_the_names() {
    let jsonl = r#"{"id":"x:1","kind":"place","name":"Freedonia","names":[{"name":"Freedonian","lang":"en","kind":"demonym"},{"name":"Fredonia","kind":"alias"}],"feature_code":"PCLI"}"#;
    let records = read_jsonl_str("t.jsonl", jsonl).unwrap();
    let names = &records[0].names;
    assert!(names[1].demonym && names[1].kind == NameKind::Alias);
    assert!(!names[2].demonym);
    let index = build(records);
    assert_eq!(index.demonyms("freedonian").len(), 1);
    // Not a name: lookup and the default resolve do not see it.
    assert!(index.find_key("freedonian").is_none());
    assert!(
        resolve(&index, "Freedonian troops", &ResolveOptions::default())
            .unwrap()
            .is_empty()
    );
    let got = resolve(&index, "Freedonian troops", &with_demonyms()).unwrap();
    assert_eq!(got[0].entity.id, "x:1");
    assert_eq!(got[0].match_kind, MatchKind::Demonym);
}

#[test]
fn jsonl_rejects_an_unknown_name_kind() {
    let jsonl = r#"{"id":"x:1","kind":"place","name":"Freedonia","names":[{"name":"Freedonian","kind":"nickname"}]}"#;
    let err = read_jsonl_str("t.jsonl", jsonl).unwrap_err().to_string();
    assert!(err.contains("nickname") && err.contains("demonym"), "{err}");
}

#[test]
fn demonyms_are_written_to_their_own_file() {
    let record = EntityRecord {
        entity: Entity {
            id: "x:2".into(),
            kind: EntityKind::Place,
            name: "Ruritania".into(),
            external_ids: Vec::new(),
            country_code: None,
            feature_code: None,
            coordinates: None,
            population: 0,
            admin1: None,
        },
        names: vec![
            Name {
                text: "Ruritania".into(),
                lang: None,
                kind: NameKind::Primary,
                demonym: false,
            },
            Name {
                text: "Ruritanians".into(),
                lang: Some("en".into()),
                kind: NameKind::Alias,
                demonym: true,
            },
        ],
        prominence: 0,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("index");
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: "t".into(),
            sha256: String::new(),
            records: vec![record],
        })
        .unwrap();
    builder
        .finish("2024-01-01T00:00:00Z".into())
        .unwrap()
        .write_dir(&out)
        .unwrap();
    assert!(out.join(DEMONYMS_FST).is_file());
    let index = Index::open(&out).unwrap();
    assert_eq!(index.demonyms("ruritanians").len(), 1);
    let got = resolve(&index, "Ruritanians vote.", &with_demonyms()).unwrap();
    assert_eq!(got[0].matched_name, "Ruritanians");
}

fn build(records: Vec<EntityRecord>) -> Index {
    let mut builder = IndexBuilder::new();
    builder
        .add_source(BuildSource {
            name: "t".into(),
            sha256: String::new(),
            records,
        })
        .unwrap();
    Index::from_files(
        builder.finish("2024-01-01T00:00:00Z".into()).unwrap(),
        "test",
    )
    .unwrap()
}
