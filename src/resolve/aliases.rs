//! Which alternate names of a place can stand alone in prose.
//!
//! GeoNames lists former names, neighbourhoods, namesakes, translations
//! and parts of the name among a town's alternate names: `Turner` for West
//! Chicago, `Kanawha` (its county) for Charleston, `White House` for
//! Casablanca, `Grove` for Grove City, `Abbas` for Fort Abbas. In text
//! such a word is nearly always something else: a surname, a county, a
//! building. A real alternate spelling or exonym is spelt much like the
//! name or one of its words (`Moskva`/`Moscow`, `Trent`/`Trento`,
//! `Vegas`/`Las Vegas`), a short form drops only an article or a
//! qualifier (`Bronx`/`The Bronx`, `Frankfurt`/`Frankfurt am Main`), and
//! the big cities whose other names do neither (`Bombay`, `Peking`,
//! `Saigon`) are few and well known.

use crate::entity::{EntityKind, NameKind};
use crate::index::{FeatureClass, Index};
use crate::text::{initial_class, normalize, variant_similarity};

/// Population from which any alternate name of a city stands alone.
const ANY_ALIAS_POPULATION: u64 = 1_000_000;
/// Population from which any alternate name of a capital stands alone
/// (`D.C.` for Washington).
const ANY_ALIAS_CAPITAL_POPULATION: u64 = 100_000;

/// Most letters of an alias that [`is_short_word_alias`] judges.
const MAX_SHORT_ALIAS_LETTERS: usize = 3;
/// Population from which a town's short alias is its own (`Уфа`, `Рим`,
/// `NYC`).
const SHORT_ALIAS_POPULATION: u64 = 100_000;

/// How a matched surface is written, for [`is_short_word_alias`]: `None`
/// unless it has at most three letters in a script with case (scripts
/// without case write whole names in two or three characters: `ロシア`,
/// `미국`); else whether they are all capitals.
pub(crate) fn short_cased_word(surface: &str) -> Option<bool> {
    // Most surfaces are long: spare them the letter tables.
    if surface.chars().nth(MAX_SHORT_ALIAS_LETTERS + 2).is_some() {
        return None;
    }
    // Letters, near enough: names hold no digits or symbols beyond
    // punctuation.
    let mut letters = surface
        .chars()
        .filter(|&c| !c.is_ascii_punctuation() && c != ' ' && c != '\u{2019}');
    let cased = |c: char| c.is_uppercase() || c.is_lowercase();
    if letters.clone().nth(MAX_SHORT_ALIAS_LETTERS).is_some()
        || !letters.clone().next().is_some_and(cased)
    {
        return None;
    }
    Some(letters.all(char::is_uppercase))
}

/// Whether a listed alias of a surface that [`short_cased_word`] finds
/// short (`all_capitals` as it says), or a name that short reached by
/// romanising the text, is, in text, far more often another word: any
/// short alias of a town under 100,000 people (`Wal` for Waal, `Can` for
/// Caen, `SUV` for Suva), and any other place's short alias unless written
/// in capitals or with the period it is listed with (`Tai` for Thailand;
/// `US`, `EU`, `РФ`, `Kan.` stay).
pub(crate) fn is_short_word_alias(
    index: &Index,
    (entity, name_kind): (u32, NameKind),
    all_capitals: bool,
    (romanised, listed_with_period): (bool, bool),
) -> bool {
    if !(name_kind == NameKind::Alias || romanised)
        || index.entity_kind(entity) != Some(EntityKind::Place)
    {
        return false;
    }
    match index.feature_class(entity) {
        FeatureClass::City | FeatureClass::Capital => {
            index.population(entity) < SHORT_ALIAS_POPULATION
        }
        _ => !all_capitals && !listed_with_period,
    }
}

/// Least [`variant_similarity`] of an alias to the town's name or one of
/// its words for the alias to count as a spelling of it. Spellings and
/// exonyms of towns sit at or above it (`Nizza`/`Nice` 0.5,
/// `Turin`/`Torino` 0.67, `Rhodes`/`Ródos` 0.67); counties, translations
/// and namesakes below (`Kanawha`/`Charleston`, `Hamid`/`Isparta`).
const MIN_ALIAS_SIMILARITY: f64 = 0.5;

/// Words a short form may drop before the part it keeps (`The Bronx`).
const LEADING_ARTICLES: &[&str] = &["the", "la", "le", "les", "el", "al", "los", "las", "l"];

/// Words that open a qualifier a short form may drop after the part it
/// keeps (`Frankfurt am Main`, `Stratford-upon-Avon`, `Boulogne-sur-Mer`).
const QUALIFIER_OPENERS: &[&str] = &[
    "am", "an", "im", "in", "ob", "bei", "upon", "on", "sur", "en", "de", "del", "della", "di",
    "da", "do", "na", "nad", "pod",
];

/// Whether a Latin-script alias of a smaller town is no spelling of its
/// name (a county, a translation, a namesake) or only part of it with a
/// word of substance dropped (`Grove` for Grove City): such a posting is
/// not a candidate.
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
    if !has_word_opening_with(&place.name, sound) {
        return true;
    }
    // The names GeoNames lists that read as something else are plain
    // ASCII words of its towns; a spelling with letters beyond ASCII is a
    // local one (`Gəncə` for Ganja), and regions of the news are named
    // in other languages (`Südostasien`).
    if !surface.is_ascii() || !matches!(class, FeatureClass::City | FeatureClass::Capital) {
        return false;
    }
    let name = ascii_words(&place.name);
    let alias = ascii_words(surface);
    is_partial_name(&alias, &name) || !is_spelling_of(&alias, &name)
}

/// The lowercase ASCII words of a name (`Frankfurt am Main` → `frankfurt`,
/// `am`, `main`; `Ródos` → `rodos`).
fn ascii_words(name: &str) -> Vec<String> {
    let words = |romanized: &str| -> Vec<String> {
        romanized
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|word| !word.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    if name.is_ascii() {
        // Normalising and romanising ASCII changes no letter but its case.
        return words(name);
    }
    words(&any_ascii::any_ascii(&normalize(name)))
}

/// Whether `alias` is a run of the words of `name` that drops a word of
/// substance: anything before it but an article, or anything after it
/// that does not open with a preposition.
fn is_partial_name(alias: &[String], name: &[String]) -> bool {
    if alias.is_empty() || alias.len() >= name.len() {
        return false;
    }
    (0..=name.len() - alias.len())
        .filter(|&start| name[start..start + alias.len()] == *alias)
        .any(|start| {
            let before = &name[..start];
            let after = &name[start + alias.len()..];
            let kept_article = before
                .iter()
                .all(|w| LEADING_ARTICLES.contains(&w.as_str()));
            let kept_qualifier = after
                .first()
                .is_none_or(|w| QUALIFIER_OPENERS.contains(&w.as_str()));
            !(kept_article && kept_qualifier)
        })
}

/// Whether `alias` is spelt like `name` or like one of its words, or
/// holds all of its words (`Gaza City` for Gaza).
fn is_spelling_of(alias: &[String], name: &[String]) -> bool {
    if name.iter().all(|word| alias.contains(word)) {
        return true;
    }
    let alias = alias.concat();
    variant_similarity(&alias, &name.concat()) >= MIN_ALIAS_SIMILARITY
        || name
            .iter()
            .any(|word| variant_similarity(&alias, word) >= MIN_ALIAS_SIMILARITY)
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

    fn words(name: &str) -> Vec<String> {
        super::ascii_words(name)
    }

    #[test]
    fn partial_names_drop_a_word_of_substance() {
        let partial = |alias: &str, name: &str| super::is_partial_name(&words(alias), &words(name));
        assert!(partial("Grove", "Grove City"));
        assert!(partial("Abbas", "Fort Abbas"));
        assert!(partial("Webster", "Webster Groves"));
        assert!(!partial("Bronx", "The Bronx"));
        assert!(!partial("Vegas", "Las Vegas"));
        assert!(!partial("Frankfurt", "Frankfurt am Main"));
        assert!(!partial("Stratford", "Stratford-upon-Avon"));
        assert!(!partial("Grove City", "Grove City"));
    }

    #[test]
    fn spellings_and_exonyms_are_alike_counties_and_translations_not() {
        let alike = |alias: &str, name: &str| super::is_spelling_of(&words(alias), &words(name));
        for (alias, name) in [
            ("Trent", "Trento"),
            ("Nizza", "Nice"),
            ("Turin", "Torino"),
            ("Rhodes", "Ródos"),
            ("Frisco", "San Francisco"),
            ("St. Louis", "Saint Louis"),
            ("Gaza City", "Gaza"),
        ] {
            assert!(alike(alias, name), "{alias} / {name}");
        }
        for (alias, name) in [
            ("Kanawha", "Charleston"),
            ("Morris", "Ben Mehidi"),
            ("Hamid", "Isparta"),
            ("White House", "Casablanca"),
        ] {
            assert!(!alike(alias, name), "{alias} / {name}");
        }
    }

    #[test]
    fn first_sounds() {
        assert_eq!(initial_class(b'c'), initial_class(b'k'));
        assert_eq!(initial_class(b'e'), initial_class(b'y'));
        assert_ne!(initial_class(b't'), initial_class(b'w'));
    }
}
