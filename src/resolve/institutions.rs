//! Names of institutions that open with a place: `Texas Department of
//! State Health Services`, `Ohio Supreme Court`, `Paris Public Library`.
//! The place in them is still a place (annotated corpora mark it so), and
//! the word after it tells such a name from a person's (`David Walker`).

use crate::text::Tokens;

/// Capitalised words that, after a place's name, make it the opening of an
/// institution's name.
const INSTITUTION_WORDS: &[&str] = &[
    "Academy",
    "Agency",
    "Airport",
    "Assembly",
    "Association",
    "Attorney",
    "Authority",
    "Board",
    "Bureau",
    "Center",
    "Centre",
    "Chamber",
    "Church",
    "Coalition",
    "College",
    "Commission",
    "Community",
    "Council",
    "Court",
    "Department",
    "Dept",
    "Fire",
    "Foundation",
    "General",
    "Governor",
    "Guard",
    "Health",
    "High",
    "Highway",
    "Hospital",
    "House",
    "Institute",
    "Legislature",
    "Library",
    "Mayor",
    "Medical",
    "Municipal",
    "Museum",
    "National",
    "Office",
    "Police",
    "Public",
    "Regional",
    "School",
    "Society",
    "Senate",
    "State",
    "Supreme",
    "University",
    "Zoo",
];

/// Most capitalised words between a region and the institution word
/// (`Texas Southern University`, `Tennessee Arts Commission`). A town keeps
/// only an institution word right after it: `George Washington High
/// School` and `Sam Houston State University` are named after people.
pub(crate) const MAX_WORDS_AFTER_REGION: usize = 2;

/// Whether an institution word is among the capitalised words, each after
/// a single space, from token `i` on, with at most `between` words before
/// it: the place before `i` opens an institution's name.
pub(crate) fn opens_institution_word(tokens: &Tokens<'_>, i: usize, between: usize) -> bool {
    (i..=i + between)
        .map_while(|j| tokens.word_after_space(j))
        .take_while(|word| word.chars().next().is_some_and(char::is_uppercase))
        .any(|word| INSTITUTION_WORDS.contains(&word))
}
