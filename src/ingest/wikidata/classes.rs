//! Which Wikidata items the importer keeps, by their "instance of" (P31)
//! classes. Each list is `(QID number, label)`; add a row to keep another
//! class. Only direct P31 values count: the importer reads one item at a
//! time and cannot follow "subclass of" (P279) chains, so list the classes
//! themselves (`city`, `big city`, `capital`, …), not only their parents.

use crate::entity::EntityKind;

/// Classes of people: `human` (Q5). Fictional characters and other
/// non-humans are left out.
pub const PERSON_CLASSES: &[(u64, &str)] = &[(5, "human")];

/// Classes of places, kept whatever else the item holds.
pub const PLACE_CLASSES: &[(u64, &str)] = &[
    (5107, "continent"),
    (6256, "country"),
    (3624078, "sovereign state"),
    (7275, "state"),
    (161243, "dependent territory"),
    (10864048, "first-level administrative country subdivision"),
    (35657, "U.S. state"),
    (34876, "province"),
    (82794, "geographic region"),
    (515, "city"),
    (1549591, "big city"),
    (1637706, "city with millions of inhabitants"),
    (200250, "metropolis"),
    (208511, "global city"),
    (5119, "capital"),
    (1093829, "city of the United States"),
    (7930989, "city/town"),
    (3957, "town"),
    (532, "village"),
    (486972, "human settlement"),
    (15284, "municipality"),
    (484170, "commune of France"),
    (747074, "comune of Italy"),
    (262166, "municipality of Germany"),
];

/// Classes of geographic features and areas, kept as places only when
/// the item also has a GeoNames ID (P1566) or coordinates (P625), so that
/// abstract or historical entries without a location stay out.
pub const PLACE_LIKE_CLASSES: &[(u64, &str)] = &[
    (56061, "administrative territorial entity"),
    (1620908, "historical region"),
    (2221906, "geographic location"),
    (618123, "geographical feature"),
    (123705, "neighborhood"),
    (188509, "suburb"),
    (5084, "hamlet"),
    (23442, "island"),
    (34763, "peninsula"),
    (8502, "mountain"),
    (46831, "mountain range"),
    (4022, "river"),
    (23397, "lake"),
    (165, "sea"),
    (9430, "ocean"),
    (8514, "desert"),
    (1248784, "airport"),
];

/// Classes of organisations.
pub const ORGANIZATION_CLASSES: &[(u64, &str)] = &[
    (43229, "organization"),
    (4830453, "business"),
    (783794, "company"),
    (891723, "public company"),
    (6881511, "enterprise"),
    (167037, "corporation"),
    (22687, "bank"),
    (7278, "political party"),
    (7210356, "political organization"),
    (484652, "international organization"),
    (245065, "intergovernmental organization"),
    (327333, "government agency"),
    (2659904, "government organization"),
    (163740, "nonprofit organization"),
    (48204, "voluntary association"),
    (3918, "university"),
    (31855, "research institute"),
    (476028, "association football club"),
    (176799, "military unit"),
];

/// The kind an item with these P31 classes is kept as, or `None` to skip
/// it. A human is a person whatever else it is; a place class wins over an
/// organisation class (a city is also a municipal corporation); a place-like
/// class counts only when `located` (the item has a GeoNames ID or
/// coordinates).
pub fn classify(classes: &[u64], located: bool) -> Option<EntityKind> {
    let any_of = |list: &[(u64, &str)]| classes.iter().any(|c| list.iter().any(|(q, _)| q == c));
    if any_of(PERSON_CLASSES) {
        Some(EntityKind::Person)
    } else if any_of(PLACE_CLASSES) || (located && any_of(PLACE_LIKE_CLASSES)) {
        Some(EntityKind::Place)
    } else if any_of(ORGANIZATION_CLASSES) {
        Some(EntityKind::Organization)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_decide_the_kind() {
        assert_eq!(classify(&[5], false), Some(EntityKind::Person));
        assert_eq!(classify(&[515], false), Some(EntityKind::Place));
        assert_eq!(classify(&[43229, 515], false), Some(EntityKind::Place));
        assert_eq!(classify(&[7278], false), Some(EntityKind::Organization));
        assert_eq!(classify(&[23442], false), None);
        assert_eq!(classify(&[23442], true), Some(EntityKind::Place));
        assert_eq!(classify(&[11424], true), None);
        assert_eq!(classify(&[], true), None);
    }

    #[test]
    fn no_class_is_listed_twice() {
        let mut all: Vec<u64> = [
            PERSON_CLASSES,
            PLACE_CLASSES,
            PLACE_LIKE_CLASSES,
            ORGANIZATION_CLASSES,
        ]
        .iter()
        .flat_map(|list| list.iter().map(|(q, _)| *q))
        .collect();
        let count = all.len();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), count);
    }
}
