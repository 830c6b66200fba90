//! Words that are common in prose and also names of places somewhere.
//!
//! Two lists: a short hand-made one of words that are traps even when the
//! place is well known (`May`, `Nice`, `Reading` opening a sentence), and
//! the most frequent words of eleven languages from wordfreq
//! (`data/default/common_words.tsv`), which may name only a prominent place
//! (`Paris`, `Moscow`), never an obscure one (`David`, `Center`, `Police`).

use std::collections::BTreeSet;
use std::sync::OnceLock;

use crate::index::FirstTokens;
use crate::text::normalize;

const FREQUENT_WORDS: &str = include_str!("../../data/default/common_words.tsv");

/// Whether a normalised key is among the most frequent words of a language.
pub(crate) fn is_frequent_word(key: &str) -> bool {
    // The words in an FST set, and in a hash table built from it: one
    // probe costs less than decoding a node per byte, and the matcher asks
    // about most capitalised words.
    static WORDS: OnceLock<(fst::Set<Vec<u8>>, Option<FirstTokens>)> = OnceLock::new();
    let (set, table) = WORDS.get_or_init(|| {
        let sorted: BTreeSet<String> = FREQUENT_WORDS
            .lines()
            .filter_map(|line| line.split('\t').next())
            .map(normalize)
            .collect();
        let set = fst::Set::from_iter(sorted).expect("sorted, unique words");
        // No stop bytes: the table's tokens are the whole words.
        let table = FirstTokens::of(set.as_fst(), &[]);
        (set, table)
    });
    match table {
        // The table holds no empty token.
        Some(table) if !key.is_empty() => table.contains(key.as_bytes()),
        _ => set.contains(key),
    }
}

/// Whether a normalised key is a common word (lowercase, normalised forms).
pub(crate) fn is_common_word(key: &str) -> bool {
    // A match compiles to a switch on length and first bytes: cheaper than
    // a search on the hot path.
    matches!(
        key,
        "a" | "about"
            | "after"
            | "all"
            | "also"
            | "an"
            | "and"
            | "any"
            | "april"
            | "are"
            | "as"
            | "at"
            | "august"
            | "bar"
            | "bath"
            | "be"
            | "because"
            | "best"
            | "both"
            | "but"
            | "by"
            | "can"
            | "center"
            | "centre"
            | "date"
            | "day"
            | "de"
            | "del"
            | "der"
            | "des"
            | "die"
            | "do"
            | "each"
            | "early"
            | "even"
            | "every"
            | "fair"
            | "faith"
            | "for"
            | "friday"
            | "from"
            | "gold"
            | "golden"
            | "good"
            | "grand"
            | "great"
            | "had"
            | "has"
            | "have"
            | "he"
            | "her"
            | "here"
            | "his"
            | "hope"
            | "how"
            | "i"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "july"
            | "june"
            | "just"
            | "la"
            | "le"
            | "les"
            | "like"
            | "long"
            | "los"
            | "made"
            | "man"
            | "many"
            | "march"
            | "may"
            | "me"
            | "mobile"
            | "monday"
            | "more"
            | "most"
            | "much"
            | "must"
            | "my"
            | "new"
            | "next"
            | "nice"
            | "no"
            | "not"
            | "now"
            | "of"
            | "office"
            | "on"
            | "once"
            | "one"
            | "only"
            | "or"
            | "other"
            | "our"
            | "out"
            | "over"
            | "paradise"
            | "park"
            | "police"
            | "reading"
            | "said"
            | "same"
            | "saturday"
            | "she"
            | "since"
            | "so"
            | "some"
            | "split"
            | "still"
            | "such"
            | "sunday"
            | "than"
            | "that"
            | "the"
            | "their"
            | "them"
            | "then"
            | "there"
            | "these"
            | "they"
            | "this"
            | "those"
            | "thursday"
            | "to"
            | "today"
            | "tuesday"
            | "under"
            | "union"
            | "unity"
            | "up"
            | "us"
            | "van"
            | "very"
            | "was"
            | "we"
            | "wednesday"
            | "were"
            | "what"
            | "when"
            | "where"
            | "which"
            | "while"
            | "who"
            | "why"
            | "will"
            | "with"
            | "would"
            | "yet"
            | "you"
            | "your"
    )
}

#[cfg(test)]
mod tests {
    use super::is_common_word;

    #[test]
    fn knows_common_words_and_not_names() {
        for word in ["may", "nice", "police", "the", "reading"] {
            assert!(is_common_word(word), "{word}");
        }
        for name in ["moscow", "tehran", "paris", "May", ""] {
            assert!(!is_common_word(name), "{name}");
        }
    }

    #[test]
    fn frequent_words_cover_several_languages() {
        use super::is_frequent_word;
        for word in ["david", "center", "police", "по", "они", "und", "moscow"] {
            assert!(is_frequent_word(word), "{word}");
        }
        for name in ["tehran", "naryshkin", "тегеран"] {
            assert!(!is_frequent_word(name), "{name}");
        }
    }
}
