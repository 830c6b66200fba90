//! A news wire report and short texts in several languages resolved against
//! the embedded default gazetteer: ids, match kinds and offsets.

use gazetteer::entity::EntityKind;
use gazetteer::resolve::{MatchKind, Mention, OverlapPolicy};

use crate::common::{assert_offsets, char_slice, describe, mention_of, mentions, mentions_with};

/// Written for this test, in the style of a wire report.
const WIRE_REPORT: &str =
    "MOSCOW (Newswire) \u{2014} Russia\u{2019}s foreign minister met his Iranian \
counterpart in Moscow on Tuesday for talks on Syria and Libya, the ministry said.\n\n\
Moscow\u{2019}s and Teheran\u{2019}s positions on the dispute between Azerbaijan and Armenia are \
close, a diplomat said, adding that France and the United States had been briefed. \
Teheran's envoy is due in Baku next week.";

const MOSCOW: &str = "geonames:524901";
const TEHRAN: &str = "geonames:112931";

/// Byte offset and UTF-16 offset of code point `char_index`, computed
/// independently of the library.
fn expected_units(text: &str, char_index: usize) -> (usize, usize) {
    let byte = text
        .char_indices()
        .nth(char_index)
        .map_or(text.len(), |(b, _)| b);
    let utf16 = text.chars().take(char_index).map(char::len_utf16).sum();
    (byte, utf16)
}

fn assert_all_units(text: &str, m: &Mention) {
    assert_offsets(text, m);
    let (byte_start, utf16_start) = expected_units(text, m.span.start);
    let (byte_end, utf16_end) = expected_units(text, m.span.end);
    assert_eq!(
        (
            m.span.byte_start,
            m.span.byte_end,
            m.span.utf16_start,
            m.span.utf16_end
        ),
        (byte_start, byte_end, utf16_start, utf16_end),
        "units disagree with the code point span of {m:?}"
    );
}

#[test]
fn wire_report_links_every_place_to_its_geonames_id() {
    let found = mentions(WIRE_REPORT);
    for m in &found {
        assert_all_units(WIRE_REPORT, m);
    }
    let got: Vec<(&str, &str)> = found
        .iter()
        .map(|m| (m.surface.as_str(), m.entity.id.as_str()))
        .collect();
    let expected = [
        ("MOSCOW", MOSCOW),
        ("Russia", "geonames:2017370"),
        ("Moscow", MOSCOW),
        ("Syria", "geonames:163843"),
        ("Libya", "geonames:2215636"),
        ("Moscow", MOSCOW),
        ("Teheran", TEHRAN),
        ("Azerbaijan", "geonames:587116"),
        ("Armenia", "geonames:174982"),
        ("France", "geonames:3017382"),
        ("United States", "geonames:6252001"),
        ("Teheran", TEHRAN),
        ("Baku", "geonames:587084"),
    ];
    assert_eq!(got, expected, "{:?}", describe(&found));
}

#[test]
fn possessive_apostrophes_are_not_part_of_the_surface() {
    let found = mentions(WIRE_REPORT);
    let teheran: Vec<&Mention> = found.iter().filter(|m| m.entity.id == TEHRAN).collect();
    assert_eq!(teheran.len(), 2, "{:?}", describe(&found));

    // "Teheran’s" with U+2019, then "Teheran's" with an ASCII apostrophe.
    let typographic = WIRE_REPORT.find("Teheran\u{2019}s").unwrap();
    let ascii = WIRE_REPORT.find("Teheran's").unwrap();
    assert_eq!(teheran[0].span.byte_start, typographic);
    assert_eq!(teheran[1].span.byte_start, ascii);
    for m in teheran {
        assert_eq!(m.surface, "Teheran");
        assert_eq!(m.match_kind, MatchKind::Alias);
        assert_eq!(m.matched_name, "Teheran");
        assert_eq!(m.entity.name, "Tehran");
        assert_eq!(m.span.byte_end - m.span.byte_start, "Teheran".len());
        assert!(m.score > 0.0 && m.score <= 1.0, "score {}", m.score);
    }

    let moscow_possessive = WIRE_REPORT.find("Moscow\u{2019}s").unwrap();
    let m = found
        .iter()
        .find(|m| m.span.byte_start == moscow_possessive)
        .expect("Moscow’s is found");
    assert_eq!(
        (m.surface.as_str(), m.entity.id.as_str()),
        ("Moscow", MOSCOW)
    );
    assert_eq!(m.match_kind, MatchKind::Exact);
}

#[test]
fn all_caps_dateline_matches_after_normalisation() {
    let found = mentions(WIRE_REPORT);
    let first = &found[0];
    assert_eq!(first.surface, "MOSCOW");
    assert_eq!(first.entity.id, MOSCOW);
    assert_eq!(first.match_kind, MatchKind::Normalized);
    assert_eq!((first.span.start, first.span.end), (0, 6));
}

/// (text, [(id, surface, char_start, char_end)]) with offsets counted by
/// hand in code points.
type Row = (
    &'static str,
    &'static [(&'static str, &'static str, usize, usize)],
);

const ROWS: &[Row] = &[
    // Russian, Cyrillic, at the very start of the text.
    (
        "Тегеран и Москва провели переговоры.",
        &[(TEHRAN, "Тегеран", 0, 7), (MOSCOW, "Москва", 10, 16)],
    ),
    // Arabic, right to left.
    (
        "اجتمع الوزيران في طهران يوم الثلاثاء",
        &[(TEHRAN, "طهران", 18, 23)],
    ),
    // Persian spelling (keheh and Farsi yeh elsewhere in the sentence).
    ("وزیر خارجه در تهران گفت", &[(TEHRAN, "تهران", 14, 19)]),
    // Chinese: no spaces, the match starts in the middle of a run.
    ("外长会谈在德黑兰举行", &[(TEHRAN, "德黑兰", 5, 8)]),
    // Japanese: katakana followed by a particle.
    ("外相はテヘランで会談した", &[(TEHRAN, "テヘラン", 3, 7)]),
    // Korean.
    ("테헤란 시내에서 회담이 열렸다", &[(TEHRAN, "테헤란", 0, 3)]),
    // German exonym.
    (
        "Die Gespräche in Moskau dauerten zwei Tage.",
        &[(MOSCOW, "Moskau", 17, 23)],
    ),
    // Characters outside the BMP (flag, skin-toned emoji, CJK Extension B)
    // before the names: code points and UTF-16 units differ.
    (
        "🇮🇷👍🏽 Tehran 😀 and 𠀀 Paris",
        &[
            (TEHRAN, "Tehran", 5, 11),
            ("geonames:2988507", "Paris", 20, 25),
        ],
    ),
    // Hebrew, right to left, opening with a RIGHT-TO-LEFT MARK.
    (
        "\u{200F}השיחות ב טהרן ו מוסקבה",
        &[(TEHRAN, "טהרן", 10, 14), (MOSCOW, "מוסקבה", 17, 23)],
    ),
];

#[test]
fn names_in_many_languages_resolve_with_offsets_in_three_units() {
    for &(text, expected) in ROWS {
        let found = mentions(text);
        for m in &found {
            assert_all_units(text, m);
        }
        let got: Vec<(&str, &str, usize, usize)> = found
            .iter()
            .map(|m| {
                (
                    m.entity.id.as_str(),
                    m.surface.as_str(),
                    m.span.start,
                    m.span.end,
                )
            })
            .collect();
        assert_eq!(got, expected, "text {text:?}");
        for &(_, surface, start, end) in expected {
            assert_eq!(
                char_slice(text, start, end),
                surface,
                "row offsets of {text:?}"
            );
        }
    }
}

#[test]
fn non_bmp_prefix_shifts_utf16_and_byte_offsets() {
    let text = "🇮🇷👍🏽 Tehran";
    let found = mentions(text);
    assert_eq!(found.len(), 1, "{:?}", describe(&found));
    let s = found[0].span;
    // Flag = 2 regional indicators, thumbs up + skin tone = 2 code points,
    // each 4 UTF-8 bytes and 2 UTF-16 units; then a space.
    assert_eq!((s.start, s.end), (5, 11));
    assert_eq!((s.utf16_start, s.utf16_end), (9, 15));
    assert_eq!((s.byte_start, s.byte_end), (17, 23));
}

#[test]
fn lowercase_common_word_is_not_a_place() {
    let found = mentions("nice weather today");
    assert!(found.is_empty(), "{:?}", describe(&found));
}

#[test]
fn capitalised_common_word_opening_a_sentence_is_not_a_place() {
    for text in [
        "Police said the suspect fled.",
        "The talks ended. Police said nothing.",
    ] {
        let found = mentions(text);
        assert!(
            found.iter().all(|m| m.surface != "Police"),
            "{text:?}: {:?}",
            describe(&found)
        );
    }
}

#[test]
fn capitalised_common_word_inside_a_sentence_is_a_place() {
    let text = "The delegations held talks in Nice on Monday.";
    let found = mentions(text);
    let nice = found
        .iter()
        .find(|m| m.surface == "Nice")
        .unwrap_or_else(|| panic!("no Nice in {:?}", describe(&found)));
    assert_eq!(nice.entity.id, "geonames:2990440");
    assert_offsets(text, nice);
    assert_eq!((nice.span.start, nice.span.end), (30, 34));
}

#[test]
fn overlap_policy_all_reports_nested_names_and_longest_does_not() {
    let text = "Delegates flew to New York on Friday.";
    let all = mentions_with(text, OverlapPolicy::All);
    let spans: Vec<(&str, usize, usize)> = all
        .iter()
        .map(|m| (m.surface.as_str(), m.span.start, m.span.end))
        .collect();
    assert_eq!(spans, [("New York", 18, 26), ("York", 22, 26)]);
    assert_eq!(all[0].entity.id, "geonames:5128581");
    for m in &all {
        assert_offsets(text, m);
    }

    let longest = mentions_with(text, OverlapPolicy::Longest);
    let spans: Vec<(&str, usize, usize)> = longest
        .iter()
        .map(|m| (m.surface.as_str(), m.span.start, m.span.end))
        .collect();
    assert_eq!(spans, [("New York", 18, 26)]);
    assert_eq!(longest[0].entity.id, "geonames:5128581");
}

#[test]
fn overlap_policy_all_orders_by_start_then_longer_first() {
    let text = "Nach New York und dann テヘラン.";
    let all = mentions_with(text, OverlapPolicy::All);
    for m in &all {
        assert_offsets(text, m);
    }
    for pair in all.windows(2) {
        let (a, b) = (pair[0].span, pair[1].span);
        assert!(
            a.start < b.start || (a.start == b.start && a.end > b.end),
            "order: {:?}",
            describe(&all)
        );
    }
    assert!(all
        .iter()
        .any(|m| m.surface == "テヘラン" && m.entity.id == TEHRAN));
}

#[test]
fn trailing_format_character_is_not_part_of_the_surface() {
    let mut wrong = Vec::new();
    for (text, name) in [
        ("\u{200F}נפגשו היום: טהרן\u{200F}", "טהרן"),
        ("Talks in Tehran\u{200D} today", "Tehran"),
        ("Talks in Tehran\u{2060}, today", "Tehran"),
    ] {
        let found = mentions(text);
        let m = found
            .iter()
            .find(|m| m.entity.id == TEHRAN)
            .unwrap_or_else(|| panic!("no Tehran in {:?}", describe(&found)));
        assert_offsets(text, m);
        if m.surface != name {
            wrong.push((text, m.surface.clone()));
        }
    }
    assert!(
        wrong.is_empty(),
        "surfaces carry invisible format characters: {wrong:?}"
    );
}

#[test]
fn names_listed_with_a_lowercase_initial_match_as_written() {
    // GeoNames lists the Andorran parish town as "les Escaldes".
    let text = "A new bridge opened in les Escaldes on Friday.";
    let found = mentions(text);
    let m = found
        .iter()
        .find(|m| m.entity.id == "geonames:3040051")
        .unwrap_or_else(|| panic!("no les Escaldes in {:?}", describe(&found)));
    assert_eq!(m.surface, "les Escaldes");
    assert_offsets(text, m);
    // The same words in other case are not the name as listed.
    assert!(mentions("The les escaldes event")
        .iter()
        .all(|m| m.entity.id != "geonames:3040051"));
}

#[test]
fn georgian_names_resolve_although_mkhedruli_is_lowercase() {
    let text = "შეხვედრა თეირანი-ში";
    let found = mentions(text);
    assert!(
        found
            .iter()
            .any(|m| m.entity.id == TEHRAN && m.surface == "თეირანი"),
        "{:?}",
        describe(&found)
    );
}

#[test]
fn frequent_words_name_only_prominent_places() {
    // Obscure places named by common words or first names stay out.
    for text in [
        "David Walker of the Center spoke at the Hall on North Street.",
        "Room 30 and Building 14 were closed.",
    ] {
        let found = mentions(text);
        assert!(found.is_empty(), "{text}: {:?}", describe(&found));
    }
    // `Владимира` (an obscure village `Владимир` inflected) leads the name
    // of a person, which is the one mention.
    let text = "По словам Владимира Путина, переговоры продолжатся.";
    let found = mentions(text);
    assert_eq!(found.len(), 1, "{text}: {:?}", describe(&found));
    assert_eq!(found[0].surface, "Владимира Путина");
    assert_eq!(found[0].entity.id, "wikidata:Q7747");
    // Prominent places with common-word names still count, also opening a
    // sentence.
    let text = "Moscow said so. Paris agreed, and talks in Nice went on.";
    let ids: Vec<String> = mentions(text).iter().map(|m| m.entity.id.clone()).collect();
    assert_eq!(
        ids,
        ["geonames:524901", "geonames:2988507", "geonames:2990440"],
        "{text}"
    );
}

#[test]
fn regions_of_small_countries_are_not_prominent_but_namesakes_of_prominent_places_are() {
    // Flores (a department of Uruguay, 3.4M people) and the Barbados
    // parish of Saint Michael are obscure: their names here are people's.
    assert_no_places("Mike Mauro, Flores' stepfather, spoke to Michael after church.");
    // `Florida` names Uruguay's department too, but the US state is
    // prominent: after right-to-left and astral text as well.
    let text = "«فلوريدا» 😀 Storms hit Florida.";
    let found = mentions(text);
    let m = mention_of(&found, "Florida");
    assert_eq!(m.entity.id, "geonames:4155751");
    assert_offsets(text, m);
}

/// Asserts that `text` yields no place mention.
fn assert_no_places(text: &str) {
    let found = mentions(text);
    assert!(
        found.iter().all(|m| m.entity.kind != EntityKind::Place),
        "{text}: {:?}",
        describe(&found)
    );
}

#[test]
fn a_town_after_a_given_name_or_an_initial_is_a_surname() {
    for text in [
        "The motion came from Commissioner Jerry West on Monday.",
        "Police asked who would have wanted Matthew D. Flores dead.",
        "The paper quoted Andrew Trapani at length.",
    ] {
        assert_no_places(text);
    }
    // Words that open place names are no given names, and a sentence may
    // open with one word before a place.
    let text = "Snow fell on Lake Michigan and North Dakota. Flights to Trapani resumed.";
    let names: Vec<String> = mentions(text)
        .iter()
        .map(|m| m.entity.name.clone())
        .collect();
    for expected in ["Michigan", "North Dakota", "Trapani"] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
}

#[test]
fn a_town_before_a_verb_of_speech_or_after_a_title_is_a_person_and_before_county_a_county() {
    for text in [
        "Ripley said the budget is tight. Mr. Trapani agreed; Sheriff Boone did not.",
        // An age between commas follows a person's name.
        "Police found Tasha Nicole Shelton, 33, in the 9400 block.",
        // The gazetteer holds no US counties: better nothing than the town.
        "Officials from Madison County and DeKalb County met.",
    ] {
        assert_no_places(text);
    }
    // A place that a preposition or `city of` introduces stays a place
    // before `said`; offsets hold after right-to-left and astral text.
    let text =
        "«تورنتو» 😀 The 20-year-old from Brampton said it; the city of Sevierville said so.";
    let found = mentions(text);
    for expected in ["Brampton", "Sevierville"] {
        let m = mention_of(&found, expected);
        assert_offsets(text, m);
    }
}

#[test]
fn a_town_the_document_names_as_a_person_is_a_person_throughout() {
    // `Andrew Trapani` makes every bare `Trapani` the man, but not the
    // `Trapani` a preposition frames as a place.
    let text = "The paper quoted Andrew Trapani at length. Later, Trapani left; \
                «ترapani» 😀 flights to Trapani resumed.";
    let found = mentions(text);
    let places: Vec<&Mention> = found
        .iter()
        .filter(|m| m.entity.kind == EntityKind::Place)
        .collect();
    assert_eq!(places.len(), 1, "{:?}", describe(&found));
    let start = text.rfind("Trapani").unwrap();
    assert_eq!(places[0].span.byte_start, start);
    assert_offsets(text, places[0]);
    // A city of note is not a surname for the whole document because one
    // mention reads like one (`The Atlanta Journal`).
    let text = "Don Paulk told The Atlanta Journal he was sad. Atlanta police agreed.";
    assert!(
        mentions(text).iter().any(|m| m.surface == "Atlanta"),
        "{:?}",
        describe(&mentions(text))
    );
}

#[test]
fn a_direction_word_alone_is_no_region() {
    // Iceland's `Northeast` and Zambia's `Eastern` are listed regions, but
    // in prose these words give a direction.
    let found = mentions("Schools in Northeast Ohio reopened; 😀 «شرق» he blended Eastern ideas.");
    let surfaces: Vec<&str> = found.iter().map(|m| m.surface.as_str()).collect();
    assert_eq!(surfaces, ["Ohio"], "{:?}", describe(&found));
    assert_offsets(
        "Schools in Northeast Ohio reopened; 😀 «شرق» he blended Eastern ideas.",
        &found[0],
    );
    // With a region word the whole name is listed and found.
    let found = mentions("Clashes in the Eastern Province of Saudi Arabia.");
    assert!(
        found.iter().any(|m| m.surface == "Eastern Province"),
        "{:?}",
        describe(&found)
    );
}

#[test]
fn abbreviations_keep_their_final_period() {
    let text = "Officials in the U.S. said so.";
    let found = mentions(text);
    let m = found
        .iter()
        .find(|m| m.entity.id == "geonames:6252001")
        .unwrap_or_else(|| panic!("{:?}", describe(&found)));
    assert_eq!(m.surface, "U.S.");
    assert_offsets(text, m);
}

#[test]
fn places_elsewhere_in_the_document_pull_ambiguous_names_to_their_country() {
    let alone = mentions("Police in Alexandria said the port was busy.");
    assert_eq!(
        alone[0].entity.id, "geonames:361058",
        "Egypt's Alexandria by default"
    );
    let text = "Police in Alexandria, Virginia, said Texas and Ohio sent help.";
    let found = mentions(text);
    let m = found
        .iter()
        .find(|m| m.surface == "Alexandria")
        .unwrap_or_else(|| panic!("{:?}", describe(&found)));
    assert_eq!(m.entity.id, "geonames:4744091", "{:?}", describe(&found));
    assert!(m
        .candidates
        .iter()
        .any(|c| c.entity.id == "geonames:361058"));
    // Scores still add up to the mention's confidence.
    let total: f64 = m.score + m.candidates.iter().map(|c| c.score).sum::<f64>();
    assert!(total <= 1.0 + 1e-9, "{total}");
}

#[test]
fn a_place_opening_an_institution_name_is_a_place_and_a_given_name_is_not() {
    // `Texas Department`, `Ohio Supreme Court`: the institution's place,
    // also between right-to-left and astral text.
    let text = "«طهران» 😀 The Texas Department of State Health Services and the \
                Ohio Supreme Court agreed; Moscow Mayor Sergei Sobyanin did not.";
    let found = mentions(text);
    for (surface, id) in [
        ("Texas", "geonames:4736286"),
        ("Ohio", "geonames:5165418"),
        ("Moscow", "geonames:524901"),
    ] {
        let m = mention_of(&found, surface);
        assert_eq!(m.entity.id, id);
        assert_offsets(text, m);
    }
    // Before any other capitalised word a frequent word is still part of
    // another name (`Paris Hilton`, `Moscow Times`).
    assert_no_places("Paris Hilton spoke to the Moscow Times yesterday.");
}

#[test]
fn a_region_keeps_its_place_a_few_words_before_the_institution_word() {
    let text = "😀 She studied at Texas Southern University and the «עברית» \
                Tennessee Arts Commission paid her.";
    let found = mentions(text);
    for (surface, id) in [
        ("Texas", "geonames:4736286"),
        ("Tennessee", "geonames:4662168"),
    ] {
        let m = mention_of(&found, surface);
        assert_eq!(m.entity.id, id);
        assert_offsets(text, m);
    }
    // A town's name so far before it is a person's: schools are named
    // after people.
    assert_no_places("She taught at George Washington High School for years.");
}
