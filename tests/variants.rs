//! Unlisted spelling variants (MATCH_KIND_VARIANT) and people named again
//! by surname or initial (MATCH_KIND_COREFERENCE), on sentences written
//! for the tests. Offsets are checked in all three units, with non-BMP and
//! right-to-left text before the names.

use gazetteer::resolve::{resolve, MatchKind, Mention, ResolveOptions};

use crate::common::{assert_offsets, describe, index, mentions};

const ISFAHAN: &str = "geonames:418863";
const SHIRAZ: &str = "geonames:115019";
const TABRIZ: &str = "geonames:113646";
const IRAN: &str = "geonames:130758";
const LAVROV: &str = "wikidata:Q58217";

fn find<'m>(found: &'m [Mention], surface: &str) -> &'m Mention {
    found
        .iter()
        .find(|m| m.surface == surface)
        .unwrap_or_else(|| panic!("no mention {surface:?} in {:?}", describe(found)))
}

fn assert_found(text: &str, surface: &str, id: &str, kind: MatchKind) {
    let found = mentions(text);
    let m = find(&found, surface);
    assert_eq!(
        (m.entity.id.as_str(), m.match_kind),
        (id, kind),
        "{text}: {:?}",
        describe(&found)
    );
    assert_offsets(text, m);
}

#[test]
fn unlisted_spellings_reach_their_city_beside_its_country() {
    for (text, surface, id) in [
        ("Talks in Isfahaan, Iran, went on.", "Isfahaan", ISFAHAN),
        ("Talks in Shiraaz and Isfahan went on.", "Shiraaz", SHIRAZ),
        ("🇮🇷 Iran: protests in Tabreez grew.", "Tabreez", TABRIZ),
        ("«ایران» — talks in Isfahaan, Iran.", "Isfahaan", ISFAHAN),
    ] {
        assert_found(text, surface, id, MatchKind::Variant);
    }
    // Two unlisted spellings of places in one country support each other.
    let text = "𝐍𝐞𝐰𝐬: Shiraaz and Isfahaan.";
    let found = mentions(text);
    for (surface, id) in [("Shiraaz", SHIRAZ), ("Isfahaan", ISFAHAN)] {
        let m = find(&found, surface);
        assert_eq!(
            (m.entity.id.as_str(), m.match_kind),
            (id, MatchKind::Variant)
        );
        assert_offsets(text, m);
    }
    // The country is a listed name, not a variant.
    assert_found("Talks in Isfahaan, Iran.", "Iran", IRAN, MatchKind::Exact);
}

#[test]
fn variants_are_scored_below_listed_names() {
    let found = mentions("Talks in Shiraaz, Iran, and in Shiraz.");
    let variant = find(&found, "Shiraaz");
    let listed = find(&found, "Shiraz");
    assert_eq!(variant.entity.id, listed.entity.id);
    assert!(
        variant.score < listed.score,
        "{} vs {}",
        variant.score,
        listed.score
    );
    assert_eq!(variant.matched_name, "Shiraz");
}

/// Asserts that no mention of `text` matched in one of the ways `kinds`.
fn assert_none_matched_as(text: &str, kinds: &[MatchKind]) {
    let found = mentions(text);
    assert!(
        found.iter().all(|m| !kinds.contains(&m.match_kind)),
        "{text}: {:?}",
        describe(&found)
    );
}

#[test]
fn surnames_that_look_like_towns_need_a_place_frame() {
    // Unlisted spellings of towns (Paterson, Hilo, Shiraz) and a Cyrillic
    // name reached only through transliteration, in a subject's place, in
    // documents about their state or country: no preposition, no
    // container, no neighbouring place.
    for text in [
        "New Jersey news. Peterson, who fills the half position, said so.",
        "Hawaii: Hyles unseats Turner for the judgeship.",
        "Iran: Shiraaz said the plan works.",
        "Андреа Ким сказала, что всё хорошо.",
    ] {
        assert_none_matched_as(text, &[MatchKind::Variant, MatchKind::Transliterated]);
    }
    // The same kind of spelling framed as a place stays, offsets intact
    // after right-to-left and astral text.
    for (text, surface, id) in [
        (
            "«طهران» 𝐍: the talks moved to Isfahaan.",
            "Isfahaan",
            ISFAHAN,
        ),
        ("Shiraaz (Iran) 😀 hosted them.", "Shiraaz", SHIRAZ),
    ] {
        assert_found(text, surface, id, MatchKind::Variant);
    }
}

#[test]
fn lone_or_embedded_lookalikes_are_not_variants() {
    for text in [
        // No other mention names Iran: a capitalised word one letter off a
        // city is more often a surname.
        "Talks in Shiraaz ended.",
        // Surnames after given names, and names with letters added.
        "Iran: Gillian Welch and Brian Greene sang in Tehran.",
        "The Georgian delegation left Tbilisi.",
        // Every word frequent: an ordinary phrase, not a misspelt place.
        "The Fire Department in Tehran, Iran, said so.",
    ] {
        assert_none_matched_as(text, &[MatchKind::Variant]);
    }
}

#[test]
fn a_final_h_or_doubled_vowel_and_fused_endings_are_spelling() {
    const HALABJA: &str = "geonames:96205";
    const RAMADI: &str = "geonames:98717";
    const MOGADISHU: &str = "geonames:53654";
    const KIM_JONG_UN: &str = "wikidata:Q56226";
    for (text, surface, id) in [
        ("Talks in Halabjah, Iraq, resumed.", "Halabjah", HALABJA),
        ("«بغداد» 𝐍: talks in Ramadih, Iraq.", "Ramadih", RAMADI),
        ("😀 Talks in Mogadishuu, Somalia.", "Mogadishuu", MOGADISHU),
        // A Russian case ending on a name too short to inflect by rule.
        ("Сеул 😀 ответил Ким Чен Ыну.", "Ким Чен Ыну", KIM_JONG_UN),
    ] {
        assert_found(text, surface, id, MatchKind::Variant);
    }
}

#[test]
fn a_short_first_word_opens_a_variant_of_several_words() {
    for (text, surface, id) in [
        (
            "Talks in Bur Hakaba, Somalia, resumed.",
            "Bur Hakaba",
            "geonames:63571",
        ),
        (
            "«صنعاء» 😀 talks in Dhi Sufaal, Yemen.",
            "Dhi Sufaal",
            "geonames:76154",
        ),
        (
            "Talks in Al Hudaydaa, Yemen, resumed.",
            "Al Hudaydaa",
            "geonames:79415",
        ),
    ] {
        assert_found(text, surface, id, MatchKind::Variant);
    }
}

#[test]
fn derived_words_compounds_and_contradicted_places_are_not_variants() {
    for text in [
        // Derivational endings and words of their own after a name.
        "Britain: London's mayor spoke.",
        "Russia: Kalashnikov said so in Moscow.",
        "Talks in Tennessee. U.S. officials said so.",
        // Parts of a hyphenated compound.
        "Italy: the song Fruli-Pulli played in Rome.",
        "Италия: песня «Фрули-Пулли» звучала в Риме.",
        // The container names another country or region than any
        // candidate's: Mogadishu is in Somalia, Graniteville not in
        // Pennsylvania.
        "Talks in Mogadishuu, Kenya, resumed.",
        "Talks in Grantville, Pennsylvania, resumed.",
    ] {
        assert_none_matched_as(text, &[MatchKind::Variant]);
    }
}

#[test]
fn listed_spellings_only_turns_variants_off() {
    let text = "Talks in Isfahaan, Iran, went on.";
    let options = ResolveOptions {
        listed_spellings_only: true,
        ..ResolveOptions::default()
    };
    let found = resolve(&index(), text, &options).unwrap();
    assert!(
        found.iter().all(|m| m.surface != "Isfahaan"),
        "{:?}",
        describe(&found)
    );
    assert!(found.iter().any(|m| m.surface == "Iran"));
}

#[test]
fn surnames_and_initials_refer_to_the_person_named_in_full() {
    let text = "Сергей Лавров прибыл в Тегеран. Лавров сказал, что Лаврова ждут.";
    let found = mentions(text);
    let full = find(&found, "Сергей Лавров");
    assert_eq!(full.entity.id, LAVROV);
    for surface in ["Лавров", "Лаврова"] {
        let m = find(&found, surface);
        assert_eq!(
            (m.entity.id.as_str(), m.match_kind),
            (LAVROV, MatchKind::Coreference),
            "{surface}"
        );
        assert!(m.score < full.score);
        assert_offsets(text, m);
    }

    // Initials, and the surname in another script, with an RTL word and
    // an emoji before them.
    let text = "Sergei Lavrov spoke. «طهران» 🤝 S. Lavrov and then Лавров agreed.";
    let found = mentions(text);
    for surface in ["S. Lavrov", "Лавров"] {
        let m = find(&found, surface);
        assert_eq!(
            (m.entity.id.as_str(), m.match_kind),
            (LAVROV, MatchKind::Coreference),
            "{surface}: {:?}",
            describe(&found)
        );
        assert_offsets(text, m);
    }
}

#[test]
fn surnames_need_the_full_name_and_a_fitting_initial() {
    // No full name in the document: a surname alone is not a person.
    let found = mentions("Lavrov spoke.");
    assert!(
        found.iter().all(|m| m.entity.id != LAVROV),
        "{:?}",
        describe(&found)
    );
    // Another initial is another person of the same surname.
    let found = mentions("Sergei Lavrov spoke. A. Lavrov, his namesake, did not.");
    assert!(
        found.iter().all(|m| m.surface != "A. Lavrov"),
        "{:?}",
        describe(&found)
    );
}
