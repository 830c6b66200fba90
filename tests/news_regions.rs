//! Regions of the news (`data/sources/news_regions.tsv`) in the default
//! gazetteer: found in several scripts with their Wikidata IDs, offsets
//! right in all three units, right-to-left text included.

use gazetteer::resolve::{resolve, ResolveOptions};

use crate::common::{assert_offsets, index, span_units};

const MIDDLE_EAST: &str = "wikidata:Q7204";
const NAGORNO_KARABAKH: &str = "wikidata:Q244165";
const CENTRAL_ASIA: &str = "wikidata:Q27275";

/// `(surface, id, [start, end, byte_start, byte_end, utf16_start, utf16_end])`
fn found(text: &str) -> Vec<(String, String, [usize; 6])> {
    let mentions = resolve(&index(), text, &ResolveOptions::default()).unwrap();
    mentions
        .iter()
        .inspect(|m| assert_offsets(text, m))
        .map(|m| (m.surface.clone(), m.entity.id.clone(), span_units(&m.span)))
        .collect()
}

#[test]
fn english_region_names() {
    let got = found("Tension in the Middle East and in Nagorno-Karabakh.");
    assert_eq!(
        got,
        vec![
            (
                "Middle East".into(),
                MIDDLE_EAST.into(),
                [15, 26, 15, 26, 15, 26]
            ),
            (
                "Nagorno-Karabakh".into(),
                NAGORNO_KARABAKH.into(),
                [34, 50, 34, 50, 34, 50]
            ),
        ]
    );
}

#[test]
fn russian_region_names_in_three_units() {
    // Cyrillic: two UTF-8 bytes a letter, one UTF-16 unit.
    let got = found("Ближний Восток и Центральная Азия");
    assert_eq!(
        got,
        vec![
            (
                "Ближний Восток".into(),
                MIDDLE_EAST.into(),
                [0, 14, 0, 27, 0, 14]
            ),
            (
                "Центральная Азия".into(),
                CENTRAL_ASIA.into(),
                [17, 33, 31, 62, 17, 33]
            ),
        ]
    );
}

#[test]
fn right_to_left_region_names() {
    // "Talks on the Middle East" in Arabic, after an emoji outside the BMP.
    let text = "😀 محادثات حول الشرق الأوسط";
    let got = found(text);
    let (surface, id, span) = got
        .iter()
        .find(|(_, id, _)| id == MIDDLE_EAST)
        .cloned()
        .unwrap_or_else(|| panic!("no Middle East in {got:?}"));
    assert_eq!(
        (surface.as_str(), id.as_str()),
        ("الشرق الأوسط", MIDDLE_EAST)
    );
    assert_eq!(span, [14, 26, 27, 50, 15, 27]);
    // Persian.
    let got = found("بحران در خاورمیانه");
    assert!(
        got.iter()
            .any(|(s, id, _)| s == "خاورمیانه" && id == MIDDLE_EAST),
        "{got:?}"
    );
}

#[test]
fn regions_carry_their_wikidata_id() {
    let index = index();
    let ordinal = index
        .find_id(NAGORNO_KARABAKH)
        .expect("Nagorno-Karabakh is indexed");
    let entity = index.entity(ordinal).unwrap();
    assert_eq!(entity.external_ids[0].id, "Q244165");
    assert_eq!(entity.feature_code.as_deref(), Some("TERR"));
    for (text, id) in [
        ("Нагорный Карабах", NAGORNO_KARABAKH),
        ("Լեռնային Ղարաբաղ", NAGORNO_KARABAKH),
        ("Dağlıq Qarabağ", NAGORNO_KARABAKH),
        ("Südostasien", "wikidata:Q11708"),
        ("Golan Heights", "wikidata:Q83210"),
        ("South Ossetia", "wikidata:Q23427"),
    ] {
        let got = found(text);
        assert_eq!(got.len(), 1, "{text}: {got:?}");
        assert_eq!(got[0].1, id, "{text}");
    }
}
