//! Document context on sentences written for the tests: the first-level
//! region (admin1) of every place, `City, Region` / `City (Country)`
//! patterns, and votes of regions and of the cities in them. Offsets are
//! checked in all three units.

use gazetteer::resolve::Mention;

use crate::common::{assert_offsets, describe, index, mentions};

const SPRINGFIELD_IL: &str = "geonames:4250542";
const SPRINGFIELD_MA: &str = "geonames:4951788";
const ILLINOIS: &str = "geonames:4896861";
const USA: &str = "geonames:6252001";
const PARIS_FR: &str = "geonames:2988507";
const PARIS_TX: &str = "geonames:4717560";
const TEXAS: &str = "geonames:4736286";
const ALEXANDRIA_EG: &str = "geonames:361058";
const ALEXANDRIA_VA: &str = "geonames:4744091";
const EGYPT: &str = "geonames:357994";
const VIRGINIA: &str = "geonames:6254928";
const ATHENS_GA: &str = "geonames:4180386";
const GEORGIA_US: &str = "geonames:4197000";
const GEORGIA_COUNTRY: &str = "geonames:614540";
const LONDON_ON: &str = "geonames:6058560";
const ONTARIO: &str = "geonames:6093943";
const DUBLIN_OH: &str = "geonames:5152333";
const DUBLIN_IE: &str = "geonames:2964574";
const OHIO: &str = "geonames:5165418";
const IRELAND: &str = "geonames:2963597";
const PEORIA_IL: &str = "geonames:4905687";
const CHICAGO: &str = "geonames:4887398";
const COLUMBUS_IN: &str = "geonames:4256038";
const INDIANA: &str = "geonames:4921868";
const WASHINGTON_DC: &str = "geonames:4140963";
const DISTRICT_OF_COLUMBIA: &str = "geonames:4138106";
const EUROPEAN_UNION: &str = "wikidata:Q458";
const KANSAS: &str = "geonames:4273857";
const KANSAS_CITY_KS: &str = "geonames:4273837";

fn find<'m>(found: &'m [Mention], surface: &str, nth: usize) -> &'m Mention {
    found
        .iter()
        .filter(|m| m.surface == surface)
        .nth(nth)
        .unwrap_or_else(|| panic!("no mention {surface:?} #{nth} in {:?}", describe(found)))
}

/// Resolves `text` and checks each (surface, id, start in code points):
/// the entity, and the span in all three units.
fn assert_resolved(text: &str, expected: &[(&str, &str, usize)]) {
    let found = mentions(text);
    let mut seen = std::collections::HashMap::new();
    for &(surface, id, start) in expected {
        let nth = seen.entry(surface).or_insert(0);
        let m = find(&found, surface, *nth);
        *nth += 1;
        assert_eq!(
            (m.entity.id.as_str(), m.span.start),
            (id, start),
            "{text}: {surface} in {:?}",
            describe(&found)
        );
        assert_eq!(m.span.end, start + surface.chars().count());
        assert_offsets(text, m);
    }
}

#[test]
fn cities_share_their_region_number_with_their_region() {
    let index = index();
    let ordinal = |id: &str| index.find_id(id).unwrap_or_else(|| panic!("{id}"));
    let region = |id: &str| index.admin1(ordinal(id));
    assert!(region(ILLINOIS).is_some());
    assert_eq!(region(SPRINGFIELD_IL), region(ILLINOIS));
    assert!(region(SPRINGFIELD_MA).is_some());
    assert_ne!(region(SPRINGFIELD_MA), region(ILLINOIS));
    // A country lies in no first-level region.
    assert_eq!(region(USA), None);
    // The payload keeps the code itself.
    let entity = index.entity(ordinal(SPRINGFIELD_IL)).expect("decodes");
    assert_eq!(entity.admin1.as_deref(), Some("US.IL"));
    let entity = index.entity(ordinal(ILLINOIS)).expect("decodes");
    assert_eq!(entity.admin1.as_deref(), Some("US.IL"));
}

#[test]
fn a_city_followed_by_its_region_is_the_city_in_that_region() {
    assert_resolved(
        "The fair in Springfield, Illinois, drew crowds.",
        &[
            ("Springfield", SPRINGFIELD_IL, 12),
            ("Illinois", ILLINOIS, 25),
        ],
    );
    assert_resolved(
        "She moved to Paris, Texas, last year.",
        &[("Paris", PARIS_TX, 13), ("Texas", TEXAS, 20)],
    );
    // Both names settle: Georgia is the US state, not the country.
    assert_resolved(
        "🎓 Students in Athens, Georgia, cheered.",
        &[("Athens", ATHENS_GA, 14), ("Georgia", GEORGIA_US, 22)],
    );
    // A region of another country than the bigger namesake's.
    assert_resolved(
        "Snow fell on London, Ontario, overnight.",
        &[("London", LONDON_ON, 13), ("Ontario", ONTARIO, 21)],
    );
    assert_resolved(
        "Schools in Dublin, Ohio, and in Dublin, Ireland, closed.",
        &[
            ("Dublin", DUBLIN_OH, 11),
            ("Ohio", OHIO, 19),
            ("Dublin", DUBLIN_IE, 32),
            ("Ireland", IRELAND, 40),
        ],
    );
}

#[test]
fn us_state_abbreviations_name_their_state_after_a_city() {
    // AP style, listed as the states' alternate names; the span keeps the
    // final period.
    assert_resolved(
        "Officials in Columbus, Ind., said so.",
        &[("Columbus", COLUMBUS_IN, 13), ("Ind.", INDIANA, 23)],
    );
    assert_resolved(
        "‘Ünïcode’ school in Washington, D.C., opened.",
        &[
            ("Washington", WASHINGTON_DC, 20),
            ("D.C.", DISTRICT_OF_COLUMBIA, 32),
        ],
    );
    // Abbreviations that are frequent words without their period name the
    // state only with it: `Springfield, Ill.` is Illinois' Springfield
    // (after astral and right-to-left text too), a capitalised `Ill` or
    // `Mass` no state.
    assert_resolved(
        "😀 «شيكاغو» Springfield, Ill., voted.",
        &[
            ("شيكاغو", CHICAGO, 3),
            ("Springfield", SPRINGFIELD_IL, 11),
            ("Ill.", ILLINOIS, 24),
        ],
    );
    // An abbreviation that is also a town's name (`Kan`, in Iran) takes its
    // period once the pair has settled it as the state.
    assert_resolved(
        "«تهران» 𝐍 Kansas City, Kan., police said.",
        &[("Kansas City", KANSAS_CITY_KS, 10), ("Kan.", KANSAS, 23)],
    );
    for text in ["Ill health forced him out.", "Mass was held at noon."] {
        let found = mentions(text);
        assert!(found.is_empty(), "{text}: {:?}", describe(&found));
    }
}

#[test]
fn abbreviations_in_capitals_are_names_where_the_word_is_not() {
    // `US` and `EU` in capitals, even opening a sentence; `us` is a word.
    assert_resolved(
        "US officials met EU envoys. They told us.",
        &[("US", USA, 0), ("EU", EUROPEAN_UNION, 17)],
    );
    assert_eq!(
        mentions("US officials met EU envoys. They told us.").len(),
        2
    );
}

#[test]
fn a_city_followed_by_its_country_in_parentheses() {
    assert_resolved(
        "Ein Treffen in Alexandria (Egypt) begann.",
        &[("Alexandria", ALEXANDRIA_EG, 15), ("Egypt", EGYPT, 27)],
    );
    assert_resolved(
        "«Вести»: a meeting in Alexandria (Virginia) began.",
        &[
            ("Alexandria", ALEXANDRIA_VA, 22),
            ("Virginia", VIRGINIA, 34),
        ],
    );
    // The settled pair is confident: the city holds nearly all the score.
    let found = mentions("She moved to Paris, Texas, last year.");
    let paris = find(&found, "Paris", 0);
    assert!(
        paris.candidates.iter().all(|c| c.score < 0.1 * paris.score),
        "{paris:?}"
    );
    assert!(paris.candidates.iter().any(|c| c.entity.id == PARIS_FR));
}

#[test]
fn names_that_do_not_contain_each_other_form_no_pair() {
    // A dateline source; a list of cities.
    assert_resolved(
        "Paris (Reuters) - Talks went on.",
        &[("Paris", PARIS_FR, 0)],
    );
    assert_resolved(
        "Flights to Paris, Dublin, Alexandria and Athens resumed.",
        &[
            ("Paris", PARIS_FR, 11),
            ("Dublin", DUBLIN_IE, 18),
            ("Alexandria", ALEXANDRIA_EG, 26),
        ],
    );
}

#[test]
fn a_region_named_elsewhere_supports_its_cities() {
    // Alone, the most populous Springfield (Missouri) wins; beside
    // Illinois, the one in Illinois.
    let alone = mentions("Springfield officials met on Monday.");
    assert_ne!(alone[0].entity.id, SPRINGFIELD_IL, "{:?}", describe(&alone));
    assert_resolved(
        "Springfield officials met on Monday. Lawmakers from Illinois praised the plan.",
        &[
            ("Springfield", SPRINGFIELD_IL, 0),
            ("Illinois", ILLINOIS, 52),
        ],
    );
    // A city unambiguous enough to vote supports the other cities of its
    // region.
    assert_resolved(
        "Buses from Springfield and Peoria reached Chicago at noon.",
        &[
            ("Springfield", SPRINGFIELD_IL, 11),
            ("Peoria", PEORIA_IL, 27),
            ("Chicago", CHICAGO, 42),
        ],
    );
}

#[test]
fn a_country_nobody_else_names_yields_to_its_namesake_where_the_document_is() {
    // US local news: other US places make `Georgia` the state, however
    // often the name repeats (a name does not vote for itself).
    assert_resolved(
        "Teachers from Chicago and Denver 😀 visited Georgia. Georgia officials met \
         them in Georgia schools.",
        &[
            ("Georgia", GEORGIA_US, 43),
            ("Georgia", GEORGIA_US, 52),
            ("Georgia", GEORGIA_US, 82),
        ],
    );
    // News about Russia: the namesake's country has no votes, so the
    // country stays, in Cyrillic too and after right-to-left text.
    assert_resolved(
        "Moscow, St. Petersburg, Kazan, Samara and Omsk warned Georgia.",
        &[("Georgia", GEORGIA_COUNTRY, 54)],
    );
    assert_resolved(
        "«موسكو» Москва, Казань и Самара предупредили Грузию.",
        &[("Грузию", GEORGIA_COUNTRY, 45)],
    );
    // Towns that are ambiguous only within one country speak for it
    // together: each Jackson and Madison is in the United States.
    assert_resolved(
        "Schools in Jackson and Madison reopened. Georgia sent money.",
        &[("Georgia", GEORGIA_US, 41)],
    );
}
