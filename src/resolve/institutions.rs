//! Names of institutions that open with a place: `Texas Department of
//! State Health Services`, `Ohio Supreme Court`, `Paris Public Library`.
//! The place in them is still a place (annotated corpora mark it so), and
//! the word after it tells such a name from a person's (`David Walker`).

use crate::text::Tokens;

/// Capitalised words that, right after a place's name, make the two the
/// opening of an institution's name.
const INSTITUTION_WORDS: &[&str] = &[
    "Academy",
    "Agency",
    "Airport",
    "Assembly",
    "Attorney",
    "Authority",
    "Board",
    "Bureau",
    "Chamber",
    "Church",
    "College",
    "Commission",
    "Community",
    "Council",
    "Court",
    "Department",
    "Dept",
    "Fire",
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
    "Police",
    "Public",
    "Regional",
    "School",
    "Senate",
    "State",
    "Supreme",
    "University",
    "Zoo",
];

/// Whether token `i` follows the previous token after a single space and
/// is an institution word.
pub(crate) fn opens_institution_word(tokens: &Tokens<'_>, i: usize) -> bool {
    tokens
        .word_after_space(i)
        .is_some_and(|word| INSTITUTION_WORDS.contains(&word))
}
