//! The one normaliser used for gazetteer names at build time and for text at
//! query time. It works one original character at a time so that every
//! normalised byte can be traced back to the character it came from.

use caseless::Caseless;
use unicode_normalization::char::decompose_compatible;

/// Whether text starts with a lowercase letter of a script where case marks
/// names. Georgian Mkhedruli is formally lowercase but has no capitalised
/// names, so it counts as caseless.
pub fn starts_lowercase(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_lowercase() && !('\u{10D0}'..='\u{10FF}').contains(&c))
}

/// Normalises a whole string (a name, or a lookup query).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        normalize_into(c, &mut out);
    }
    out
}

/// [`normalize`] in place: an ASCII text (romanised text is) only changes
/// case and turns `` ` `` into `'`, without a second string.
pub fn normalize_in_place(text: &mut String) {
    if !text.is_ascii() {
        *text = normalize(text);
        return;
    }
    text.make_ascii_lowercase();
    while let Some(at) = text.find('`') {
        text.replace_range(at..at + 1, "'");
    }
}

/// Appends the normalised form of one original character to `out`.
///
/// Steps, lossless before lossy: compatibility decomposition (NFKD, which
/// also splits accents off their letters), full case folding (`ß` → `ss`,
/// `İ` → `i̇`), removal of diacritic marks, then script-specific folds.
/// Characters may normalise to nothing (tatweel, ZWNJ, harakat).
pub fn normalize_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(fold_ascii(c));
        return;
    }
    if let Some(letter) = distinct_letter(c).or_else(|| basic_cyrillic(c)) {
        out.push(letter);
        return;
    }
    decompose_compatible(c, |d| {
        for folded in std::iter::once(d).default_case_fold() {
            if let Some(kept) = fold_letter(folded) {
                out.push(kept);
            }
        }
    });
}

/// Letters whose diacritic makes them a letter of their own alphabet, kept
/// whole instead of losing the mark (`й` is not `и`).
fn distinct_letter(c: char) -> Option<char> {
    Some(match c {
        'й' | 'Й' => 'й',
        'ў' | 'Ў' => 'ў',
        'ї' | 'Ї' => 'ї',
        _ => return None,
    })
}

/// The basic Russian alphabet folds without the general path (NFKD and
/// case folding give the same answer, only slower).
fn basic_cyrillic(c: char) -> Option<char> {
    match c {
        'а'..='я' => Some(c),
        'А'..='Я' => char::from_u32(c as u32 + 0x20),
        'ё' | 'Ё' => Some('е'),
        _ => None,
    }
}

fn fold_ascii(c: char) -> char {
    match c {
        '`' => '\'',
        _ => c.to_ascii_lowercase(),
    }
}

/// Script-specific folding after case folding; `None` drops the character.
fn fold_letter(c: char) -> Option<char> {
    if is_removable_mark(c) {
        return None;
    }
    Some(match c {
        // Apostrophes and quotes used as apostrophes.
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{02BB}' | '\u{02BE}'
        | '\u{02BF}' | '\u{2032}' | '\u{FF07}' | '`' | '\u{00B4}' => '\'',
        // Hyphens and dashes.
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
        | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' | '\u{00AD}' | '\u{058A}'
        | '\u{05BE}' => '-',
        // Arabic and Persian letter variants: alef forms, yeh forms, kaf
        // forms, teh marbuta, heh forms.
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' | '\u{0672}' | '\u{0673}' => '\u{0627}',
        '\u{0649}' | '\u{06CC}' | '\u{06D0}' | '\u{06D2}' | '\u{0626}' => '\u{064A}',
        '\u{06A9}' | '\u{06AA}' => '\u{0643}',
        '\u{0629}' | '\u{06C1}' | '\u{06BE}' | '\u{06D5}' => '\u{0647}',
        '\u{0624}' => '\u{0648}',
        // Tatweel, zero-width joiners and non-joiners, and other invisible
        // format characters carry no letters.
        '\u{0640}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
        | '\u{200E}' | '\u{200F}' => return None,
        _ => c,
    })
}

/// Diacritics that distinguish nothing a news reader relies on: Latin,
/// Greek and Cyrillic accents, Hebrew points and Arabic harakat. Vowel signs
/// of Indic, Thai and other scripts are letters there and are kept.
fn is_removable_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'   // combining diacritical marks
        | '\u{1AB0}'..='\u{1AFF}' // extended
        | '\u{1DC0}'..='\u{1DFF}' // supplement
        | '\u{20D0}'..='\u{20FF}' // for symbols
        | '\u{FE20}'..='\u{FE2F}' // half marks
        | '\u{0483}'..='\u{0489}' // Cyrillic titlo and friends
        | '\u{0591}'..='\u{05BD}' // Hebrew cantillation and points
        | '\u{05BF}' | '\u{05C1}' | '\u{05C2}' | '\u{05C4}' | '\u{05C5}' | '\u{05C7}'
        | '\u{0610}'..='\u{061A}' // Arabic signs
        | '\u{064B}'..='\u{065F}' // Arabic harakat and hamza marks
        | '\u{0670}'              // superscript alef
        | '\u{06D6}'..='\u{06ED}' // Quranic annotation
    )
}

#[cfg(test)]
mod tests {
    use super::{normalize, normalize_in_place};

    #[test]
    fn normalizes_in_place_as_a_copy() {
        for text in ["Sergey Lavrov", "O`Fallon ``", "", "Straße", "İstanbul"] {
            let mut in_place = text.to_string();
            normalize_in_place(&mut in_place);
            assert_eq!(in_place, normalize(text), "{text}");
        }
    }

    #[test]
    fn folds_case_fully() {
        assert_eq!(normalize("Straße"), "strasse");
        assert_eq!(normalize("İstanbul"), "istanbul");
        assert_eq!(normalize("ΣΟΦΟΣ"), "σοφοσ");
    }

    #[test]
    fn removes_latin_and_greek_diacritics() {
        assert_eq!(normalize("Téhéran"), "teheran");
        assert_eq!(normalize("Αθήνα"), "αθηνα");
        assert_eq!(normalize("Ёлки"), "елки");
    }

    #[test]
    fn unifies_apostrophes_and_dashes() {
        assert_eq!(normalize("Moscow’s"), "moscow's");
        assert_eq!(normalize("Nagorno–Karabakh"), "nagorno-karabakh");
    }

    #[test]
    fn folds_arabic_and_persian_variants() {
        // Persian yeh and keheh against Arabic yeh and kaf.
        assert_eq!(normalize("ایران"), normalize("ايران"));
        assert_eq!(normalize("کابل"), normalize("كابل"));
        // Harakat and tatweel vanish.
        assert_eq!(normalize("طِهران"), normalize("طهران"));
        assert_eq!(normalize("طهـران"), normalize("طهران"));
        // ZWNJ in Persian compounds.
        assert_eq!(normalize("می\u{200C}رود"), normalize("میرود"));
    }

    #[test]
    fn compatibility_forms_fold_to_plain() {
        assert_eq!(normalize("ＴＯＫＹＯ"), "tokyo");
        assert_eq!(normalize("ﬁnland"), "finland");
    }

    #[test]
    fn cyrillic_shortcut_agrees_with_the_general_path() {
        use caseless::Caseless;
        use unicode_normalization::UnicodeNormalization;
        for c in ('\u{0400}'..='\u{045F}').filter(|c| super::basic_cyrillic(*c).is_some()) {
            let general: String = std::iter::once(c)
                .nfkd()
                .default_case_fold()
                .filter(|&d| !super::is_removable_mark(d))
                .collect();
            let expected = if matches!(c, 'й' | 'Й') {
                "й".to_string()
            } else {
                general
            };
            assert_eq!(normalize(&c.to_string()), expected, "{c}");
        }
    }

    #[test]
    fn keeps_indic_vowel_signs() {
        assert_ne!(normalize("दिल्ली"), normalize("दल्ल"));
    }
}
