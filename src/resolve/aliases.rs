//! Which alternate names of a place can stand alone in prose.
//!
//! GeoNames lists former names, neighbourhoods, namesakes and translations
//! among a town's alternate names: `Turner` for West Chicago, `Keith` for
//! Bay Shore, `Hughes` for Brighton, `Harper` for Costa Mesa. In text such
//! a word is nearly always a surname. A real alternate spelling or exonym
//! keeps a first sound of the name (`Moscow`/`Moskva`, `Cologne`/`Köln`,
//! `Vegas`/`Las Vegas`), and the big cities whose other names do not
//! (`Bombay`, `Peking`, `Saigon`) are few and well known.

use super::matcher::initial_class;
use crate::entity::{EntityKind, NameKind};
use crate::index::{FeatureClass, Index};
use crate::text::normalize;

/// Population from which any alternate name of a city stands alone.
const ANY_ALIAS_POPULATION: u64 = 1_000_000;
/// Population from which any alternate name of a capital stands alone
/// (`D.C.` for Washington).
const ANY_ALIAS_CAPITAL_POPULATION: u64 = 100_000;

/// Whether a Latin-script alias of a smaller town shares no first sound
/// with any word of the town's name: such a posting is not a candidate.
pub(crate) fn is_unrelated_alias(
    index: &Index,
    entity: u32,
    name_kind: NameKind,
    surface: &str,
) -> bool {
    if name_kind != NameKind::Alias {
        return false;
    }
    let Some(first) = surface.chars().next().filter(char::is_ascii_alphabetic) else {
        return false;
    };
    let class = index.feature_class(entity);
    let population = index.population(entity);
    let stands_alone = match class {
        FeatureClass::City | FeatureClass::Other => population >= ANY_ALIAS_POPULATION,
        FeatureClass::Capital => population >= ANY_ALIAS_CAPITAL_POPULATION,
        FeatureClass::Region | FeatureClass::Country | FeatureClass::Continent => true,
    };
    if stands_alone || index.entity_kind(entity) != Some(EntityKind::Place) {
        return false;
    }
    let Ok(place) = index.entity_shared(entity) else {
        return false;
    };
    let sound = initial_class(first.to_ascii_lowercase() as u8);
    !has_word_opening_with(&place.name, sound)
}

/// Whether a word of `name`, normalised and romanised, opens with a letter
/// of the class `sound` ([`initial_class`]); words are runs of ASCII
/// letters.
fn has_word_opening_with(name: &str, sound: u8) -> bool {
    let opens_with_sound = |word: &[u8]| {
        word.first()
            .is_some_and(|&b| initial_class(b.to_ascii_lowercase()) == sound)
    };
    if name.is_ascii() {
        // Normalising and romanising an ASCII name only lowercase its
        // letters (and turn `` ` `` into `'`, which parts words either
        // way): its words are read in place, without three allocations.
        return name
            .as_bytes()
            .split(|b| !b.is_ascii_alphabetic())
            .any(opens_with_sound);
    }
    let romanized = any_ascii::any_ascii(&normalize(name)).to_ascii_lowercase();
    romanized
        .as_bytes()
        .split(|b| !b.is_ascii_alphabetic())
        .any(opens_with_sound)
}

#[cfg(test)]
mod tests {
    use super::{has_word_opening_with, initial_class};
    use crate::text::normalize;

    #[test]
    fn ascii_names_are_read_in_place() {
        for name in [
            "West Chicago",
            "bay shore",
            "D.C.",
            "O`Fallon",
            "Costa-Mesa",
            "",
            "1st Street",
        ] {
            let romanized = any_ascii::any_ascii(&normalize(name)).to_ascii_lowercase();
            for sound in b'a'..=b'z' {
                let expected = romanized
                    .split(|c: char| !c.is_ascii_alphabetic())
                    .filter_map(|word| word.bytes().next())
                    .any(|b| initial_class(b) == sound);
                assert_eq!(
                    has_word_opening_with(name, sound),
                    expected,
                    "{name} {sound}"
                );
            }
        }
    }

    #[test]
    fn first_sounds() {
        assert_eq!(initial_class(b'c'), initial_class(b'k'));
        assert_eq!(initial_class(b'e'), initial_class(b'y'));
        assert_ne!(initial_class(b't'), initial_class(b'w'));
    }
}
