//! Romanisation of alphabetic and syllabic scripts, so names and text in
//! different scripts can meet in Latin letters. `any_ascii` gives BGN/PCGN
//! style Cyrillic (`Сергей` → `Sergey`), ELOT-like Greek, Hepburn-like
//! kana and a Revised-Romanization-like Hangul.
//!
//! Abjads (Arabic, Hebrew) romanise to consonant skeletons (`طهران` →
//! `thrn`) that would match noise, and Han to toneless pinyin syllables
//! that rarely spell a name: both are left out.

use unicode_script::{Script, UnicodeScript};

/// The romanised form of `text` when its letters are all in a script that
/// romanises well (and Latin, digits or punctuation); `None` otherwise.
pub fn romanize(text: &str) -> Option<String> {
    let mut any_romanizable = false;
    for c in text.chars() {
        if c.is_ascii() {
            continue;
        }
        if is_romanizable_block(c) {
            any_romanizable = true;
            continue;
        }
        match c.script() {
            Script::Cyrillic
            | Script::Greek
            | Script::Armenian
            | Script::Georgian
            | Script::Hangul
            | Script::Hiragana
            | Script::Katakana => any_romanizable = true,
            Script::Latin | Script::Common | Script::Inherited => {}
            _ => return None,
        }
    }
    any_romanizable.then(|| any_ascii::any_ascii(text))
}

/// The main blocks of the romanised scripts, checked before the script
/// table because they hold almost every letter of such text.
fn is_romanizable_block(c: char) -> bool {
    matches!(c,
        '\u{0370}'..='\u{03FF}'   // Greek
        | '\u{0400}'..='\u{04FF}' // Cyrillic
        | '\u{0531}'..='\u{058F}' // Armenian
        | '\u{10A0}'..='\u{10FF}' // Georgian
        | '\u{3041}'..='\u{30FF}' // Hiragana and Katakana
        | '\u{AC00}'..='\u{D7A3}' // Hangul syllables
    )
}

/// Whether a span is written in Latin script (judged by its first letter).
pub fn written_in_latin(surface: &str) -> bool {
    surface
        .chars()
        .find(|c| c.is_ascii_alphabetic() || (!c.is_ascii() && c.is_alphabetic()))
        .is_some_and(|c| c.is_ascii() || c.script() == Script::Latin)
}

#[cfg(test)]
mod tests {
    use super::{romanize, written_in_latin};

    #[test]
    fn the_first_letter_tells_the_script() {
        assert!(written_in_latin("Barrow"));
        assert!(written_in_latin("«Şuşa»"));
        assert!(!written_in_latin("Сеул"));
        assert!(!written_in_latin("1 طهران"));
        assert!(!written_in_latin(""));
    }

    #[test]
    fn romanises_alphabets_and_kana() {
        assert_eq!(romanize("Сергей Лавров").as_deref(), Some("Sergey Lavrov"));
        assert_eq!(romanize("Тегеран").as_deref(), Some("Tegeran"));
        assert_eq!(romanize("Θεσσαλονίκη").as_deref(), Some("Thessaloniki"));
        assert_eq!(romanize("テヘラン").as_deref(), Some("teheran"));
    }

    #[test]
    fn leaves_latin_abjads_and_han_alone() {
        assert_eq!(romanize("Tehran"), None);
        assert_eq!(romanize("طهران"), None);
        assert_eq!(romanize("טהרן"), None);
        assert_eq!(romanize("德黑兰"), None);
    }
}
