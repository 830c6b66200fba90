//! Spelling-variant keys for Latin-script name keys: a consonant skeleton
//! that unlisted spellings of one name share (`Teheran`, `Tehran`, `Tahran`
//! → `trn`; `Sergey`, `Sergei`, `Serguei` → `srg`), and a similarity that
//! tells real variants from names that merely share a skeleton (`Tehran`
//! and `Turin`).
//!
//! The skeleton only gathers candidates; [`variant_similarity`] decides.

/// Letters that romanisations disagree on most: vowels, and `y`, `j`, `w`
/// (as in `Yerevan`/`Erevan`, `Sergej`/`Sergei`), and `h`, which marks
/// digraphs (`kh`, `sh`, `th`) or is silent.
fn is_dropped(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'j' | b'h')
}

/// Appends the consonant skeleton of one normalised token to `out`:
/// returns false (leaving `out` as it was) when the token is not plain
/// ASCII letters.
pub fn push_skeleton(token: &str, out: &mut String) -> bool {
    let bytes = token.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_lowercase) {
        return false;
    }
    let mut last = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        i += 1;
        let mapped: &[u8] = match b {
            b'p' if next == Some(b'h') => {
                i += 1;
                b"f"
            }
            b'c' | b'q' => b"k",
            b'x' => b"ks",
            b'w' => b"v",
            b'z' => b"s",
            b if is_dropped(b) => {
                last = 0;
                continue;
            }
            _ => std::slice::from_ref(&bytes[i - 1]),
        };
        for &m in mapped {
            // Doubled letters are spelling, not sound (`Mohammad`/`Mohamad`).
            if m != last {
                out.push(m as char);
                last = m;
            }
        }
    }
    true
}

/// The skeleton of a whole normalised key (tokens separated by
/// `separator`), or `None` when a token is not plain ASCII letters or the
/// skeleton is too short to gather a useful set of candidates.
pub fn key_skeleton(key: &str, separator: char) -> Option<String> {
    let mut out = String::with_capacity(key.len());
    for (n, token) in key.split(separator).enumerate() {
        if n > 0 {
            out.push(separator);
        }
        if !push_skeleton(token, &mut out) {
            return None;
        }
    }
    (out.len() >= MIN_SKELETON_LEN).then_some(out)
}

/// Romanisations keep a name's first sound: `Tahran`/`Tehran`,
/// `Kiev`/`Kyiv`. Letters that spell the same first sound share a class
/// (`c`/`k`/`q`, `f`/`p` for `ph`, `v`/`w`, `s`/`z`), and an initial
/// vowel, `y`, `j` or `h` may come and go (`Erevan`/`Yerevan`/`Jerevan`).
pub fn initial_class(b: u8) -> u8 {
    match b {
        b'a' | b'e' | b'i' | b'o' | b'u' | b'y' | b'j' | b'h' => b'a',
        b'c' | b'q' => b'k',
        b'p' => b'f',
        b'w' => b'v',
        b'z' => b's',
        other => other,
    }
}

/// Shortest skeleton worth indexing: one consonant gathers thousands of
/// unrelated names; two (`Dilla`/`Dila`) still a manageable set.
pub const MIN_SKELETON_LEN: usize = 2;

/// A spelling with the alternations of romanisation evened out (`y`/`j` →
/// `i`, `w` → `v`, `ph` → `f`, `c`/`q` → `k`, `ee` → `i`, `oo`/`ou` → `u`,
/// doubled letters single), for comparing two spellings.
pub fn soft_form(key: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len());
    push_soft_form(key, &mut out);
    out
}

/// [`soft_form`] appended to `out`.
pub fn push_soft_form(key: &str, out: &mut Vec<u8>) {
    let start = out.len();
    let bytes = key.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let next = bytes.get(i + 1).copied();
        i += 1;
        let m = match (b, next) {
            (b'p', Some(b'h')) => {
                i += 1;
                b'f'
            }
            (b'e', Some(b'e')) => {
                i += 1;
                b'i'
            }
            (b'o', Some(b'o' | b'u')) => {
                i += 1;
                b'u'
            }
            (b'y' | b'j', _) => b'i',
            (b'w', _) => b'v',
            (b'c' | b'q', _) => b'k',
            _ => b,
        };
        if out.len() == start || out.last() != Some(&m) {
            out.push(m);
        }
    }
}

/// Similarity in [0, 1] of two normalised keys as spellings of one name:
/// one minus the edit distance of their soft forms over the longer length.
pub fn variant_similarity(a: &str, b: &str) -> f64 {
    soft_similarity(&soft_form(a), b, &mut Vec::new())
}

/// [`variant_similarity`] with the first key's [`soft_form`] computed
/// already, for comparing one key with many; `scratch` is reused between
/// calls.
pub fn soft_similarity(a: &[u8], b: &str, scratch: &mut Vec<u8>) -> f64 {
    scratch.clear();
    push_soft_form(b, scratch);
    let b = scratch.as_slice();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    // Letters such as `ø` stay whole; an invalid byte compares unequal.
    let distance = match ascii_levenshtein(a, b) {
        Some(distance) => distance,
        None => other_levenshtein(a, b),
    };
    1.0 - distance as f64 / longest as f64
}

/// [`soft_similarity`] when it is at least `least`, else `None`, found
/// cheaply for most keys that fall short: letters of one spelling that the
/// other lacks need an edit each, and the edit distance stops once a whole
/// row of its table is too far.
pub fn soft_similarity_at_least(
    a: &[u8],
    b: &str,
    scratch: &mut Vec<u8>,
    least: f64,
) -> Option<f64> {
    scratch.clear();
    push_soft_form(b, scratch);
    let b = scratch.as_slice();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return (0.0 >= least).then_some(0.0);
    }
    // The same arithmetic as the similarity itself, so the bounds never
    // reject a key that reaches `least`.
    let close_enough = |distance: usize| 1.0 - distance as f64 / longest as f64 >= least;
    if !close_enough(longest - common_letters(a, b)) {
        return None;
    }
    let distance = match bounded_ascii_levenshtein(a, b, close_enough) {
        Some(Some(distance)) => distance,
        Some(None) => return None,
        None => other_levenshtein(a, b),
    };
    close_enough(distance).then(|| 1.0 - distance as f64 / longest as f64)
}

/// How many bytes `a` and `b` have in common, counted with multiplicity:
/// the edit distance is at least the longer length less this.
fn common_letters(a: &[u8], b: &[u8]) -> usize {
    let mut counts = [0u8; 256];
    for &x in a {
        counts[x as usize] = counts[x as usize].saturating_add(1);
    }
    let mut common = 0;
    for &x in b {
        if counts[x as usize] > 0 {
            counts[x as usize] -= 1;
            common += 1;
        }
    }
    common
}

/// [`ascii_levenshtein`] that gives up (`Some(None)`) as soon as every
/// cell of a row fails `close_enough`: the distance can only be larger.
fn bounded_ascii_levenshtein(
    a: &[u8],
    b: &[u8],
    close_enough: impl Fn(usize) -> bool,
) -> Option<Option<usize>> {
    if a.len() > SHORT_KEY || b.len() > SHORT_KEY || !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut row = [0u8; SHORT_KEY];
    for (j, cell) in row[..b.len()].iter_mut().enumerate() {
        *cell = j as u8 + 1;
    }
    let mut result = b.len() as u8;
    for (i, &a_byte) in a.iter().enumerate() {
        result = i as u8 + 1;
        let mut row_least = result;
        let mut distance_b = i as u8;
        for (cell, &b_byte) in row[..b.len()].iter_mut().zip(b) {
            let distance_a = distance_b + u8::from(a_byte != b_byte);
            distance_b = *cell;
            result = (result + 1).min(distance_a).min(distance_b + 1);
            *cell = result;
            row_least = row_least.min(result);
        }
        if !close_enough(usize::from(row_least)) {
            return Some(None);
        }
    }
    Some(Some(usize::from(result)))
}

/// Longest key, in bytes, whose edit distance [`ascii_levenshtein`]
/// computes on the stack.
const SHORT_KEY: usize = 64;

/// `strsim::levenshtein` of two short ASCII keys, where characters are
/// bytes: the same dynamic programme over bytes, in a row kept on the
/// stack instead of a vector per call. `None` for other keys.
fn ascii_levenshtein(a: &[u8], b: &[u8]) -> Option<usize> {
    // A bound that every row meets never gives up.
    bounded_ascii_levenshtein(a, b, |_| true).map(|distance| distance.unwrap_or(usize::MAX))
}

/// `strsim::levenshtein` over characters, for keys that are not short
/// ASCII.
fn other_levenshtein(a: &[u8], b: &[u8]) -> usize {
    match (std::str::from_utf8(a), std::str::from_utf8(b)) {
        (Ok(a), Ok(b)) => strsim::levenshtein(a, b),
        _ => strsim::levenshtein(&String::from_utf8_lossy(a), &String::from_utf8_lossy(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skeleton(s: &str) -> Option<String> {
        key_skeleton(s, ' ')
    }

    #[test]
    fn variants_share_a_skeleton() {
        for group in [
            &["teheran", "tehran", "tahran"][..],
            &["sergey", "sergei", "sergej", "serguei"],
            &["naryshkin", "narishkin"],
            &["zarif", "zareef"],
            &["mohammad", "mohammed", "muhammad"],
            &["yerevan", "jerevan", "erevan"],
        ] {
            let first = skeleton(group[0]);
            assert!(first.is_some(), "{group:?}");
            for other in &group[1..] {
                assert_eq!(skeleton(other), first, "{other} vs {}", group[0]);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn ascii_distance_agrees_with_strsim(a in "[a-e ']{0,70}", b in "[a-e ']{0,70}") {
            let expected = strsim::levenshtein(&a, &b);
            match ascii_levenshtein(a.as_bytes(), b.as_bytes()) {
                Some(distance) => proptest::prop_assert_eq!(distance, expected),
                None => proptest::prop_assert!(a.len() > SHORT_KEY || b.len() > SHORT_KEY),
            }
            proptest::prop_assert_eq!(other_levenshtein(a.as_bytes(), b.as_bytes()), expected);
        }
    }

    proptest::proptest! {
        #[test]
        fn bounded_similarity_agrees_with_the_full_one(
            a in "[a-fhjoy' ]{0,12}",
            b in "[a-fhjoy' ]{0,12}",
            least in 0.0..1.0f64,
        ) {
            let soft = soft_form(&a);
            let full = soft_similarity(&soft, &b, &mut Vec::new());
            let bounded = soft_similarity_at_least(&soft, &b, &mut Vec::new(), least);
            proptest::prop_assert_eq!(bounded, (full >= least).then_some(full));
        }
    }

    #[test]
    fn short_ascii_keys_only_are_measured_on_the_stack() {
        assert_eq!(ascii_levenshtein(b"tehran", b"tahran"), Some(1));
        assert_eq!(ascii_levenshtein(b"", b"abc"), Some(3));
        assert_eq!(ascii_levenshtein("k\u{f8}ge".as_bytes(), b"koge"), None);
        assert_eq!(other_levenshtein("k\u{f8}ge".as_bytes(), b"koge"), 1);
        assert_eq!(ascii_levenshtein(&[b'a'; 65], b"a"), None);
    }

    #[test]
    fn skeleton_needs_plain_letters_and_length() {
        assert_eq!(skeleton("asia"), None, "one consonant is too few");
        assert_eq!(skeleton("bakı"), None, "not plain ASCII");
        assert_eq!(skeleton("sergei naryshkin").as_deref(), Some("srg nrskn"));
    }

    #[test]
    fn similarity_accepts_variants_and_rejects_lookalikes() {
        for (a, b) in [
            ("teheran", "tehran"),
            ("tahran", "tehran"),
            ("sergei", "sergey"),
            ("serguei", "sergei"),
            ("naryshkin", "narishkin"),
            ("zareef", "zarif"),
            ("mohammed", "mohammad"),
            ("muhammad", "mohammad"),
            ("erevan", "yerevan"),
        ] {
            assert!(variant_similarity(a, b) >= 0.8, "{a} vs {b}");
        }
        for (a, b) in [("tehran", "turin"), ("tirana", "tehran"), ("amman", "oman")] {
            assert!(variant_similarity(a, b) < 0.8, "{a} vs {b}");
        }
    }
}
