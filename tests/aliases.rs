//! Alternate names that GeoNames lists for a town but that name someone
//! else in prose (former names, neighbourhoods, namesakes) are not taken on
//! their own; real alternate spellings and exonyms still are.

use gazetteer::entity::EntityKind;

use crate::common::{describe, mentions};

#[test]
fn unrelated_aliases_of_small_towns_are_not_mentions() {
    // Turner: a former name of West Chicago; Keith: listed for Bay Shore;
    // Hughes: listed for Brighton, Colorado.
    let text = "Senator Turner met Keith Hughes on Tuesday.";
    let found = mentions(text);
    let towns = ["West Chicago", "Bay Shore", "Brighton"];
    assert!(
        found
            .iter()
            .all(|m| !towns.contains(&m.entity.name.as_str())),
        "{:?}",
        describe(&found)
    );
}

#[test]
fn short_aliases_are_words_unless_capitals_periods_or_big_cities_say_otherwise() {
    use crate::common::{assert_offsets, mention_of};
    // `Wal` (Waal), `Hal` (Halle), `Tai` (Thailand), `SUV` (Suva, 77,000
    // people), `Поп` (Pop), `Кин` (Keene), `Суд` (Sud, reached by
    // romanising): short words first.
    for text in [
        "Wal-Mart hired Hal; the Tai chef left, and his SUV broke.",
        "Поп и Кин уехали, сказал Суд.",
    ] {
        let found = mentions(text);
        assert!(
            found.iter().all(|m| m.entity.kind != EntityKind::Place),
            "{text}: {:?}",
            describe(&found)
        );
    }
    // Capitals, a listed period, a city of 100,000 or more: names, after
    // astral and right-to-left text too.
    let text = "😀 «تهران» US and EU envoys flew from Рим to Уфа and Topeka, Kan., today.";
    let found = mentions(text);
    for (surface, name) in [
        ("US", "United States"),
        ("EU", "European Union"),
        ("Рим", "Rome"),
        ("Уфа", "Ufa"),
        ("Kan.", "Kansas"),
    ] {
        let m = mention_of(&found, surface);
        assert_eq!(m.entity.name, name);
        assert_offsets(text, m);
    }
}

#[test]
fn exonyms_spelling_variants_and_big_cities_other_names_still_match() {
    let text = "Flights from Cologne and Vegas to Bombay, Peking and D.C. resumed.";
    let found = mentions(text);
    let names: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.name.as_str()))
        .collect();
    for expected in [
        ("Cologne", "Köln"),
        ("Vegas", "Las Vegas"),
        ("Bombay", "Mumbai"),
        ("Peking", "Beijing"),
        ("D.C.", "Washington"),
    ] {
        assert!(names.contains(&expected), "{expected:?} in {names:?}");
    }
}

#[test]
fn a_small_capital_named_by_a_frequent_word_needs_more_than_a_capital_letter() {
    // The Valley (Anguilla, about 1,000 people) lists `Valley`.
    let found = mentions("A storm is moving into the Red River Valley tonight.");
    assert!(
        found.iter().all(|m| m.entity.name != "The Valley"),
        "{:?}",
        describe(&found)
    );
    // A capital of 100,000 people or more is still named by one word.
    let found = mentions("Talks in Victoria and Kingston went on.");
    assert!(
        found.iter().any(|m| m.entity.name == "Kingston"),
        "{:?}",
        describe(&found)
    );
}
