//! Alternate names that GeoNames lists for a town but that name someone
//! else in prose (former names, neighbourhoods, namesakes) are not taken on
//! their own; real alternate spellings and exonyms still are.

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
