//! Splits text into word tokens with their normalised forms. Names are
//! turned into FST keys by the same code, so a name matches text exactly
//! when their token sequences agree.

use unicode_script::{Script, UnicodeScript};
use unicode_segmentation::UnicodeSegmentation;

use super::normalize_into;

/// Byte that joins the tokens of a multi-word name in an FST key.
pub const KEY_SEPARATOR: u8 = b' ';

/// A word of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte in the original text.
    pub start: usize,
    /// Byte offset one past the last byte in the original text.
    pub end: usize,
    norm_start: u32,
    norm_end: u32,
    /// A character of a script written without spaces (Han, Kana, Thai, …),
    /// which is a token of its own so that a match can start anywhere.
    pub unspaced: bool,
}

/// The tokens of one text, with their normalised forms.
#[derive(Debug, Clone)]
pub struct Tokens<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    normalized: String,
}

/// Splits `text` into word tokens (UAX #29 words, further split at inner
/// apostrophes and periods, and into single characters in unspaced scripts).
pub fn tokenize(text: &str) -> Tokens<'_> {
    if text.is_ascii() {
        tokenize_ascii(text)
    } else {
        tokenize_with(text, true)
    }
}

/// [`tokenize`] of an ASCII text. Every chunk between white space is
/// ASCII, so the words are the runs of ASCII letters, digits and `_`
/// with a letter or digit ([`TokenBuilder::split_ascii_chunk`]), and as
/// no run crosses white space they are found over the whole text at
/// once. The normalised form of ASCII is its lowercase (the one other
/// fold, `` ` `` to `'`, is never inside a word), so the whole text is
/// lowercased in one go and each token points at its own bytes there.
fn tokenize_ascii(text: &str) -> Tokens<'_> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::with_capacity(bytes.len() / 5 + 4);
    let mut at = 0;
    while at < bytes.len() {
        if ASCII_WORD[bytes[at] as usize] == 0 {
            at += 1;
            continue;
        }
        let start = at;
        let mut classes = 0;
        while at < bytes.len() && ASCII_WORD[bytes[at] as usize] != 0 {
            classes |= ASCII_WORD[bytes[at] as usize];
            at += 1;
        }
        if classes & ALNUM != 0 {
            tokens.push(Token {
                start,
                end: at,
                norm_start: start as u32,
                norm_end: at as u32,
                unspaced: false,
            });
        }
    }
    Tokens {
        text,
        tokens,
        normalized: text.to_ascii_lowercase(),
    }
}

/// [`ASCII_WORD`] of an ASCII letter or digit.
const ALNUM: u8 = 2;

/// Per byte: [`ALNUM`] for an ASCII letter or digit, 1 for `_`, 0 for a
/// byte outside words. A table spares the range tests per byte.
static ASCII_WORD: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 128 {
        if (b as u8).is_ascii_alphanumeric() {
            table[b] = ALNUM;
        }
        b += 1;
    }
    table[b'_' as usize] = 1;
    table
};

/// [`tokenize`], with or without the fast path for chunks of letters of
/// spaced scripts (off only to test that path against UAX #29).
fn tokenize_with(text: &str, letter_runs: bool) -> Tokens<'_> {
    let mut builder = TokenBuilder {
        text,
        tokens: Vec::with_capacity(text.len() / 8 + 4),
        normalized: String::with_capacity(text.len() + text.len() / 8),
    };
    // Word boundaries always fall at ASCII whitespace, so text is cut into
    // whitespace-free chunks and only chunks with non-ASCII characters pay
    // for full UAX #29 segmentation.
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at].is_ascii_whitespace() {
            at += 1;
            continue;
        }
        let chunk_start = at;
        let mut ascii = true;
        while at < bytes.len() && !bytes[at].is_ascii_whitespace() {
            ascii &= bytes[at].is_ascii();
            at += 1;
        }
        let chunk = &text[chunk_start..at];
        if ascii {
            builder.split_ascii_chunk(chunk_start, chunk);
            continue;
        }
        if letter_runs && !may_join_numbers(chunk) && builder.split_letter_runs(chunk_start, chunk)
        {
            continue;
        }
        for (offset, segment) in chunk.split_word_bound_indices() {
            if segment.chars().any(char::is_alphanumeric) {
                builder.split_word(chunk_start + offset, segment);
            }
        }
    }
    Tokens {
        text,
        tokens: builder.tokens,
        normalized: builder.normalized,
    }
}

/// The FST key of a gazetteer name: its normalised tokens joined the way the
/// matcher joins text tokens. `None` when the name has no word characters.
pub fn name_key(name: &str) -> Option<String> {
    let tokens = tokenize(name);
    if tokens.is_empty() {
        return None;
    }
    let mut key = String::with_capacity(name.len());
    for i in 0..tokens.len() {
        if i > 0 && !tokens.is_tight(i) {
            key.push(KEY_SEPARATOR as char);
        }
        key.push_str(tokens.normalized(i));
    }
    Some(key)
}

/// [`name_key`] of an ASCII `name`, written into `key` (cleared first)
/// without tokenising: its words are the runs of ASCII letters, digits
/// and `_` with a letter or digit, lowercased, joined by
/// [`KEY_SEPARATOR`]. False, with `key` empty, when `name` is not ASCII or
/// has no word (where [`name_key`] gives `None`).
pub fn ascii_name_key_into(name: &str, key: &mut String) -> bool {
    key.clear();
    if !name.is_ascii() {
        return false;
    }
    let bytes = name.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
        if !is_word(bytes[at]) {
            at += 1;
            continue;
        }
        let start = at;
        while at < bytes.len() && is_word(bytes[at]) {
            at += 1;
        }
        let run = &name[start..at];
        if run.bytes().any(|b| b != b'_') {
            if !key.is_empty() {
                key.push(KEY_SEPARATOR as char);
            }
            let from = key.len();
            key.push_str(run);
            key[from..].make_ascii_lowercase();
        }
    }
    !key.is_empty()
}

/// [`name_key`] written into `key` (cleared first); false, with `key`
/// empty, where [`name_key`] gives `None`. An ASCII name
/// ([`ascii_name_key_into`]) or one word of letters and digits (which is
/// one token, its key its normalised form) is not tokenised.
pub fn name_key_into(name: &str, key: &mut String) -> bool {
    if name.is_ascii() {
        return ascii_name_key_into(name, key);
    }
    key.clear();
    if name.chars().all(|c| plain_class(c) == Some(true)) {
        for c in name.chars() {
            normalize_into(c, key);
        }
        return !key.is_empty();
    }
    match name_key(name) {
        Some(found) => {
            key.push_str(&found);
            true
        }
        None => false,
    }
}

impl<'t> Tokens<'t> {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when the text has no word tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The token at `i`.
    pub fn token(&self, i: usize) -> Token {
        self.tokens[i]
    }

    /// The normalised form of token `i`.
    pub fn normalized(&self, i: usize) -> &str {
        let t = &self.tokens[i];
        &self.normalized[t.norm_start as usize..t.norm_end as usize]
    }

    /// The original text of token `i`.
    pub fn surface(&self, i: usize) -> &'t str {
        let t = &self.tokens[i];
        &self.text[t.start..t.end]
    }

    /// Token `i`'s surface when one space, and nothing else, separates it
    /// from token `i - 1` (`None` for the first token or past the end):
    /// the word right after another, as neighbour rules read it.
    pub fn word_after_space(&self, i: usize) -> Option<&'t str> {
        if i == 0 || i >= self.tokens.len() {
            return None;
        }
        let gap = &self.text[self.tokens[i - 1].end..self.tokens[i].start];
        (gap == " ").then(|| self.surface(i))
    }

    /// Whether token `i` follows token `i - 1` with nothing between them and
    /// both are unspaced-script characters: their key has no separator.
    pub fn is_tight(&self, i: usize) -> bool {
        let (prev, next) = (&self.tokens[i - 1], &self.tokens[i]);
        prev.unspaced && next.unspaced && prev.end == next.start
    }

    /// Whether tokens `i - 1` and `i` may belong to one name: the gap between
    /// them is at most a few spaces with one hyphen, apostrophe or period,
    /// and never a paragraph break or other punctuation.
    pub fn can_join(&self, i: usize) -> bool {
        let gap = &self.text[self.tokens[i - 1].end..self.tokens[i].start];
        // Most gaps are one space.
        if gap.is_empty() || gap == " " {
            return true;
        }
        let mut chars = 0;
        let mut marks = 0;
        let mut newlines = 0;
        for c in gap.chars() {
            chars += 1;
            if c == '\n' {
                newlines += 1;
            } else if is_joining_mark(c) {
                marks += 1;
            } else if !c.is_whitespace() {
                return false;
            }
        }
        chars <= 3 && marks <= 1 && newlines <= 1
    }
}

fn is_joining_mark(c: char) -> bool {
    is_inner_punctuation(c) || matches!(c, '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{00AD}')
}

/// Apostrophes and periods that UAX #29 keeps inside a word (`Teheran's`,
/// `U.S.`, `Tahran'da`) but that separate name parts here.
fn is_inner_punctuation(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2018}'
            | '\u{2019}'
            | '\u{02BC}'
            | '\u{FF07}'
            | '.'
            | '\u{00B7}'
            | ':'
            | '\u{2024}'
            | '\u{FE52}'
            | '\u{FF0E}'
            | '\u{FE13}'
            | '\u{FE55}'
            | '\u{FF1A}'
    )
}

/// How a character stands in a chunk that runs of letters and digits cut
/// exactly as UAX #29 and [`TokenBuilder::split_word`] would, as in ASCII:
/// `Some(true)` for a word character (a letter or digit, `_`), `Some(false)`
/// for one that cuts (other ASCII, dashes, brackets and quotation marks),
/// `None` where only full segmentation will do: Hebrew (its quote rules
/// join words), scripts from Thai on, marks and format characters that
/// attach to words, other spaces and punctuation.
fn plain_class(c: char) -> Option<bool> {
    use unicode_general_category::GeneralCategory as G;
    if c.is_ascii() {
        return Some(c.is_ascii_alphanumeric() || c == '_');
    }
    // The letters of the common alphabets, without a table lookup.
    if matches!(c, '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{017F}'
        | '\u{0386}' | '\u{0388}'..='\u{03FF}' | '\u{0400}'..='\u{0481}' | '\u{048A}'..='\u{04FF}')
        && !matches!(c, '\u{038B}' | '\u{038D}' | '\u{03A2}' | '\u{03F6}')
    {
        return Some(true);
    }
    if c >= '\u{0E00}' || ('\u{0590}'..='\u{05FF}').contains(&c) || is_inner_punctuation(c) {
        return (c == '\u{2018}' || c == '\u{2019}').then_some(false);
    }
    match unicode_general_category::get_general_category(c) {
        G::UppercaseLetter
        | G::LowercaseLetter
        | G::TitlecaseLetter
        | G::ModifierLetter
        | G::OtherLetter
        | G::DecimalNumber => Some(true),
        G::DashPunctuation
        | G::OpenPunctuation
        | G::ClosePunctuation
        | G::InitialPunctuation
        | G::FinalPunctuation => Some(false),
        _ => None,
    }
}

/// Whether UAX #29 may join numbers across a comma or semicolon in the
/// chunk (`0,٣`), which runs of digits would cut.
fn may_join_numbers(chunk: &str) -> bool {
    chunk.contains([',', ';']) && chunk.chars().any(|c| c.is_numeric())
}

fn is_format_character(c: char) -> bool {
    unicode_general_category::get_general_category(c)
        == unicode_general_category::GeneralCategory::Format
}

fn is_unspaced_script(c: char) -> bool {
    // Everything before Thai (Latin, Greek, Cyrillic, Armenian, Hebrew,
    // Arabic, Indic scripts) is spaced: skip the script table lookup.
    if c < '\u{0E00}' {
        return false;
    }
    matches!(
        c.script(),
        Script::Han
            | Script::Hiragana
            | Script::Katakana
            | Script::Thai
            | Script::Lao
            | Script::Khmer
            | Script::Myanmar
            | Script::Tibetan
            | Script::Yi
    )
}

struct TokenBuilder<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    normalized: String,
}

impl TokenBuilder<'_> {
    fn push_ascii(&mut self, start: usize, end: usize) {
        let norm_start = self.normalized.len();
        self.normalized.push_str(&self.text[start..end]);
        self.normalized[norm_start..].make_ascii_lowercase();
        self.finish_token(start, end, norm_start, false);
    }

    fn push(&mut self, start: usize, end: usize, unspaced: bool) {
        // UAX #29 attaches format characters (ZWJ, RLM, word joiner) to the
        // word before them; they are not part of the name.
        let raw = &self.text[start..end];
        let trimmed_front = raw.trim_start_matches(is_format_character);
        let surface = trimmed_front.trim_end_matches(is_format_character);
        if surface.is_empty() {
            return;
        }
        let start = start + (raw.len() - trimmed_front.len());
        let end = start + surface.len();
        let norm_start = self.normalized.len();
        for c in surface.chars() {
            normalize_into(c, &mut self.normalized);
        }
        self.finish_token(start, end, norm_start, unspaced);
    }

    fn finish_token(&mut self, start: usize, end: usize, norm_start: usize, unspaced: bool) {
        let norm_end = self.normalized.len();
        if norm_end == norm_start {
            return;
        }
        self.tokens.push(Token {
            start,
            end,
            norm_start: norm_start as u32,
            norm_end: norm_end as u32,
            unspaced,
        });
    }

    /// ASCII words are runs of letters, digits and `_`, as UAX #29 makes
    /// them once inner apostrophes and periods split words.
    fn split_ascii_chunk(&mut self, chunk_start: usize, chunk: &str) {
        let mut run: Option<usize> = None;
        let mut has_alnum = false;
        for (i, b) in chunk.bytes().enumerate() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                run.get_or_insert(i);
                has_alnum |= b != b'_';
            } else if let Some(start) = run.take() {
                if has_alnum {
                    self.push_ascii(chunk_start + start, chunk_start + i);
                }
                has_alnum = false;
            }
        }
        if let (Some(start), true) = (run, has_alnum) {
            self.push_ascii(chunk_start + start, chunk_start + chunk.len());
        }
    }

    /// Words of a chunk cut at runs of letters and digits (see
    /// [`plain_class`]), as [`Self::split_ascii_chunk`] cuts ASCII; false,
    /// with nothing pushed, when the chunk needs full segmentation.
    fn split_letter_runs(&mut self, chunk_start: usize, chunk: &str) -> bool {
        let mut runs: [(usize, usize); 16] = [(0, 0); 16];
        let mut count = 0;
        let mut run: Option<usize> = None;
        let mut has_alnum = false;
        for (i, c) in chunk.char_indices() {
            let Some(in_word) = plain_class(c) else {
                return false;
            };
            if in_word {
                run.get_or_insert(i);
                has_alnum |= c != '_';
            } else if let Some(start) = run.take() {
                if has_alnum {
                    if count == runs.len() {
                        return false;
                    }
                    runs[count] = (start, i);
                    count += 1;
                }
                has_alnum = false;
            }
        }
        if let (Some(start), true) = (run, has_alnum) {
            if count == runs.len() {
                return false;
            }
            runs[count] = (start, chunk.len());
            count += 1;
        }
        for &(start, end) in &runs[..count] {
            self.push(chunk_start + start, chunk_start + end, false);
        }
        true
    }

    fn split_word(&mut self, seg_start: usize, segment: &str) {
        let mut run: Option<usize> = None;
        let mut last_unspaced = false;
        for (offset, grapheme) in segment.grapheme_indices(true) {
            let at = seg_start + offset;
            let first = grapheme.chars().next().unwrap_or(' ');
            // Kana length marks and iteration marks are script Common but
            // belong with the unspaced characters around them.
            let unspaced = is_unspaced_script(first)
                || (last_unspaced && first.script() == Script::Common && first.is_alphanumeric());
            if is_inner_punctuation(first) || unspaced {
                if let Some(start) = run.take() {
                    self.push(start, at, false);
                }
                if unspaced {
                    self.push(at, at + grapheme.len(), true);
                }
            } else if run.is_none() {
                run = Some(at);
            }
            last_unspaced = unspaced;
        }
        if let Some(start) = run {
            self.push(start, seg_start + segment.len(), false);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surfaces(text: &str) -> Vec<&str> {
        let tokens = tokenize(text);
        (0..tokens.len()).map(|i| tokens.surface(i)).collect()
    }

    #[test]
    fn splits_possessives_and_clitics_at_apostrophes() {
        assert_eq!(
            surfaces("Teheran's and Moscow’s"),
            ["Teheran", "s", "and", "Moscow", "s"]
        );
        assert_eq!(surfaces("Tahran'da"), ["Tahran", "da"]);
        assert_eq!(surfaces("the U.S. said"), ["the", "U", "S", "said"]);
    }

    #[test]
    fn unspaced_scripts_give_one_token_per_character() {
        assert_eq!(
            surfaces("在德黑兰举行"),
            ["在", "德", "黑", "兰", "举", "行"]
        );
        assert_eq!(surfaces("テヘランで"), ["テ", "ヘ", "ラ", "ン", "で"]);
    }

    #[test]
    fn keys_join_spaced_words_and_glue_unspaced_characters() {
        assert_eq!(name_key("Nagorno-Karabakh").unwrap(), "nagorno karabakh");
        assert_eq!(name_key("Côte d’Ivoire").unwrap(), "cote d ivoire");
        assert_eq!(name_key("德黑兰").unwrap(), "德黑兰");
        assert_eq!(name_key("Нью-Йорк").unwrap(), "нью йорк");
        assert_eq!(name_key("--"), None);
    }

    proptest::proptest! {
        #[test]
        fn ascii_name_keys_agree_with_name_key(name in "[a-zA-Z0-9_ .,:;'`\\-()!?\"/&\t\n]{0,30}") {
            let mut key = String::from("stale");
            let found = ascii_name_key_into(&name, &mut key);
            match name_key(&name) {
                Some(expected) => {
                    proptest::prop_assert!(found);
                    proptest::prop_assert_eq!(key, expected);
                }
                None => proptest::prop_assert!(!found && key.is_empty()),
            }
        }
    }

    #[test]
    fn name_keys_into_a_buffer_agree_with_name_key() {
        let mut key = String::from("stale");
        for name in [
            "Москва",
            "Тегеран’s",
            "Нью-Йорк",
            "Straße",
            "İstanbul",
            "德黑兰",
            "Ереван\u{200D}",
            "Ερντογάν",
            "—",
            "",
            "U.S.",
        ] {
            let found = name_key_into(name, &mut key);
            match name_key(name) {
                Some(expected) => {
                    assert!(found, "{name}");
                    assert_eq!(key, expected, "{name}");
                }
                None => assert!(!found && key.is_empty(), "{name}"),
            }
        }
    }

    #[test]
    fn ascii_name_keys_refuse_other_text() {
        let mut key = String::new();
        assert!(ascii_name_key_into("U.S.", &mut key));
        assert_eq!(key, "u s");
        assert!(ascii_name_key_into("Teheran's __ x_1", &mut key));
        assert_eq!(key, "teheran s x_1");
        assert!(!ascii_name_key_into("Köln", &mut key));
        assert!(!ascii_name_key_into("_ -", &mut key));
        assert!(key.is_empty());
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "İstanbul 👍🏽 Straße";
        let tokens = tokenize(text);
        assert_eq!(tokens.len(), 2);
        assert_eq!(tokens.surface(0), "İstanbul");
        assert_eq!(tokens.normalized(0), "istanbul");
        assert_eq!(tokens.surface(1), "Straße");
        assert_eq!(tokens.normalized(1), "strasse");
    }

    #[test]
    fn ascii_fast_path_agrees_with_full_segmentation() {
        // No-break spaces make one non-ASCII chunk, forcing UAX #29.
        let ascii = "Rock'n'roll in St. Louis, 3.5 km_h; U.S.-led (talks) _x_ __";
        let mixed = ascii.replace(' ', "\u{a0}");
        assert_eq!(surfaces(ascii), surfaces(&mixed));
    }

    fn all_tokens(tokens: &Tokens<'_>) -> Vec<(usize, usize, String, bool)> {
        (0..tokens.len())
            .map(|i| {
                let t = tokens.token(i);
                (t.start, t.end, tokens.normalized(i).to_string(), t.unspaced)
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn ascii_text_tokenizes_as_its_chunks_do(text in "[a-zA-Z0-9_ .,:;'`\\-()!?\"/&\t\n\r\x0c]{0,60}") {
            proptest::prop_assert_eq!(
                all_tokens(&tokenize_ascii(&text)),
                all_tokens(&tokenize_with(&text, true)),
            );
        }
    }

    #[test]
    fn letter_runs_agree_with_full_segmentation_on_news_text() {
        for text in [
            "«Газпром» — крупнейшая компания; Москва, 2020-х годах: S&P 500.",
            "Ερντογάν (Τουρκία) είπε: «όχι» – Αθήνα_2",
            "Bakı'da və Gəncədə, Tahran’da; Ελλάδα-Κύπρος",
            "القاهرة، ٢٠٢٠ — (مصر)",
        ] {
            assert_eq!(
                all_tokens(&tokenize_with(text, true)),
                all_tokens(&tokenize_with(text, false)),
                "{text}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn letter_runs_agree_with_full_segmentation(
            text in "[a-zA-Z0-9_ .,:;'’‘\\-–—«»()!?\"“”/&aбвгдЖЩъыьэюяҊӿΑβγδέώΆ·϶اب٣é߀ßİıłÆ×Ա-Ֆა-ჰ]{0,40}"
        ) {
            proptest::prop_assert_eq!(
                all_tokens(&tokenize_with(&text, true)),
                all_tokens(&tokenize_with(&text, false)),
            );
        }
    }

    #[test]
    fn gaps_limit_what_can_join() {
        let tokens = tokenize("New York, Nagorno - Karabakh\n\nParis");
        assert!(tokens.can_join(1)); // New York
        assert!(!tokens.can_join(2)); // York, Nagorno
        assert!(tokens.can_join(3)); // Nagorno - Karabakh
        assert!(!tokens.can_join(4)); // paragraph break
    }
}
