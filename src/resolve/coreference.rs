//! People named in full once and by surname afterwards: `Сергей Лавров …
//! Лавров`, `Mohammad Javad Zarif … Zarif`, `S. Lavrov`, and the surname in
//! another script (`Sergei Lavrov … Лавров`).

use super::inflection::{extra_forms, LanguageSignals};
use crate::entity::EntityKind;
use crate::index::Index;
use crate::text::{name_key, normalize, romanize, Tokens};

/// A person named in full: the keys their surname may appear under.
#[derive(Debug)]
pub(crate) struct NamedPerson {
    /// Entity ordinal.
    pub entity: u32,
    /// Name table reference of the name that matched.
    pub name_ref: u32,
    /// Score of the full mention.
    pub score: f64,
    /// Normalised surname, as listed and romanised.
    surname_keys: Vec<String>,
    /// Normalised first letter of the given name, for initials.
    initial: Option<char>,
}

impl NamedPerson {
    /// The person behind a mention of two or more words, if it is one.
    pub fn of(index: &Index, entity: u32, name_ref: u32, score: f64) -> Option<Self> {
        if index.entity_kind(entity) != Some(EntityKind::Person) {
            return None;
        }
        let name = index.name(name_ref);
        let mut words = name.split_whitespace();
        let given = words.next()?;
        let surname = words.next_back()?;
        let mut surname_keys = vec![name_key(surname)?];
        if let Some(romanized) = romanize(surname).and_then(|r| name_key(&r)) {
            surname_keys.push(romanized);
        }
        Some(Self {
            entity,
            name_ref,
            score,
            surname_keys,
            initial: normalize(given).chars().next(),
        })
    }
}

/// A surname found in the text: tokens `first..=last` (an initial may
/// lead), the person, whether the surname was inflected.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SurnameMatch {
    pub byte_start: usize,
    pub byte_end: usize,
    pub person: usize,
    pub inflected: bool,
}

/// The person (index into `people`) whose surname token `i` is, in any
/// of its forms, written or romanised.
pub(crate) fn match_surname(
    tokens: &Tokens<'_>,
    text: &str,
    i: usize,
    people: &[NamedPerson],
    signals: LanguageSignals,
) -> Option<SurnameMatch> {
    let surface = tokens.surface(i);
    if !surface.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    if surface.is_ascii() {
        // Cheap test first: a Latin word can only be a Latin surname,
        // whose first letter it shares.
        let first = tokens.normalized(i).as_bytes().first();
        if !people
            .iter()
            .flat_map(|p| &p.surname_keys)
            .any(|k| k.as_bytes().first() == first)
        {
            return None;
        }
    }
    let token = tokens.token(i);
    let mut candidates: Vec<(String, (usize, usize), bool)> = vec![(
        tokens.normalized(i).to_string(),
        (token.start, token.end),
        false,
    )];
    if let Some(romanized) = romanize(surface).and_then(|r| name_key(&r)) {
        candidates.push((romanized, (token.start, token.end), false));
    }
    let mut forms = Vec::new();
    extra_forms(tokens, i, signals, &mut forms);
    for form in forms {
        let norm = &tokens.normalized(i)[form.stem.0..form.stem.1];
        let key = format!("{}{norm}{}", form.name_prefix, form.name_suffix);
        candidates.push((key, form.span, form.inflected));
    }
    for (key, span, inflected) in candidates {
        let Some(person) = people.iter().position(|p| p.surname_keys.contains(&key)) else {
            continue;
        };
        let mut byte_start = span.0;
        // `S. Lavrov`: an initial that fits the given name joins the span.
        if i > 0 && span.0 == token.start {
            let before = tokens.token(i - 1);
            let gap = &text[before.end..token.start];
            let initial = tokens.normalized(i - 1);
            if matches!(gap, ". " | ".") && initial.chars().count() == 1 {
                if initial.chars().next() == people[person].initial {
                    byte_start = before.start;
                } else {
                    // Another person of the same surname.
                    continue;
                }
            }
        }
        return Some(SurnameMatch {
            byte_start,
            byte_end: span.1,
            person,
            inflected,
        });
    }
    None
}
