//! Words that are common in prose and also names of places somewhere
//! (`May`, `Nice`, `Police`). Capitalised at the start of a sentence they
//! are taken as ordinary words.

/// Lower-case, normalised forms.
const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "april", "are", "as", "at",
    "august", "bar", "bath", "be", "because", "best", "both", "but", "by", "can", "centre",
    "center", "date", "day", "de", "del", "der", "des", "die", "do", "each", "early", "even",
    "every", "fair", "faith", "for", "friday", "from", "gold", "golden", "good", "grand",
    "great", "had", "has", "have", "he", "her", "here", "his", "hope", "how", "i", "if", "in",
    "into", "is", "it", "its", "july", "june", "just", "la", "le", "les", "like", "long",
    "los", "made", "man", "many", "march", "may", "me", "mobile", "monday", "more", "most",
    "much", "must", "my", "new", "next", "nice", "no", "not", "now", "of", "office", "on",
    "once", "one", "only", "or", "other", "our", "out", "over", "paradise", "park", "police",
    "reading", "said", "same", "saturday", "she", "since", "so", "some", "split", "still",
    "such", "sunday", "than", "that", "the", "their", "them", "then", "there", "these", "they",
    "this", "those", "thursday", "to", "today", "tuesday", "under", "union", "unity", "up",
    "us", "van", "very", "was", "we", "wednesday", "were", "what", "when",
    "where", "which", "while", "who", "why", "will", "with", "would", "yet", "you", "your",
];

/// Whether a normalised key is a common word.
pub(crate) fn is_common_word(key: &str) -> bool {
    COMMON_WORDS.binary_search(&key).is_ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(super::COMMON_WORDS.windows(2).all(|w| w[0] < w[1]));
    }
}
