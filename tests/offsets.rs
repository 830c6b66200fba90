//! Property tests: on arbitrary Unicode text mixed with real gazetteer
//! names, every mention's offsets in all three units slice the text back to
//! its surface, and leftmost-longest spans never overlap.

use gazetteer::resolve::{resolve, Mention, OverlapPolicy, ResolveOptions};
use proptest::prelude::*;
use proptest::sample::select;

use crate::common::{assert_offsets, describe, index};

/// Names the default gazetteer lists, with the entity each resolves to.
const NAMES: &[(&str, &str)] = &[
    ("Tehran", "geonames:112931"),
    ("Москва", "geonames:524901"),
    ("طهران", "geonames:112931"),
    ("Paris", "geonames:2988507"),
    ("德黑兰", "geonames:112931"),
];

const EMOJI: &[&str] = &[
    "😀",
    "👍🏽",
    "👩\u{200D}👩\u{200D}👧\u{200D}👦",
    "🧑🏿\u{200D}🚀",
    "🏳\u{FE0F}\u{200D}🌈",
    "🇮🇷",
    "❤\u{FE0F}",
];

const ODDITIES: &[&str] = &[
    "\u{0301}",          // combining acute
    "e\u{0301}\u{0323}", // stacked marks
    "İ",
    "ß",
    "\u{200D}", // ZWJ
    "\u{200C}", // ZWNJ
    "\u{200F}", // RLM
    "\u{00AD}", // soft hyphen
    "שָׁלוֹם",
    "ירושלים",
    "مُحَمَّد",
    "کتاب",
    "𠀀",
    "𪚥",
    "ｶﾀｶﾅ",
    "ﬁ",
];

const GLUE: &[&str] = &[
    " ",
    ", ",
    ". ",
    "\n",
    "\n\n",
    "-",
    "'s ",
    "\u{2019}s ",
    "",
    "\t",
    "  ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "\\PC{0,40}",
        2 => select(EMOJI).prop_map(String::from),
        2 => select(ODDITIES).prop_map(String::from),
        3 => select(NAMES).prop_map(|(name, _)| name.to_string()),
        3 => select(GLUE).prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..16).prop_map(|pieces| pieces.concat())
}

fn run(text: &str, overlap: OverlapPolicy) -> Vec<Mention> {
    let options = ResolveOptions {
        overlap,
        ..ResolveOptions::default()
    };
    resolve(&index(), text, &options).expect("resolve succeeds")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn offsets_slice_back_to_the_surface(text in text()) {
        for overlap in [OverlapPolicy::Longest, OverlapPolicy::All] {
            for m in run(&text, overlap) {
                assert_offsets(&text, &m);
                prop_assert!(m.span.start < m.span.end);
                prop_assert!(m.span.utf16_start < m.span.utf16_end);
                prop_assert!(m.score >= 0.0 && m.score <= 1.0, "score {}", m.score);
            }
        }
    }

    #[test]
    fn longest_spans_are_ordered_and_disjoint(text in text()) {
        let found = run(&text, OverlapPolicy::Longest);
        for pair in found.windows(2) {
            let (a, b) = (pair[0].span, pair[1].span);
            prop_assert!(a.end <= b.start, "overlap or disorder: {:?}", describe(&found));
            prop_assert!(a.byte_end <= b.byte_start);
            prop_assert!(a.utf16_end <= b.utf16_start);
        }
    }

    #[test]
    fn all_is_ordered_and_contains_every_longest_mention(text in text()) {
        let all = run(&text, OverlapPolicy::All);
        for pair in all.windows(2) {
            let (a, b) = (pair[0].span, pair[1].span);
            prop_assert!(
                a.start < b.start || (a.start == b.start && a.end > b.end),
                "order: {:?}", describe(&all)
            );
        }
        for m in run(&text, OverlapPolicy::Longest) {
            prop_assert!(
                all.iter().any(|a| a.span == m.span && a.entity.id == m.entity.id),
                "{:?} missing from ALL {:?}", (&m.surface, m.span), describe(&all)
            );
        }
    }

    /// A name set off by paragraph breaks cannot join its neighbours, so it
    /// is always found, whole, at its position.
    #[test]
    fn isolated_names_are_always_found(
        before in text(),
        (name, id) in select(NAMES),
        after in text(),
    ) {
        let text = format!("{before}\n\n{name}\n\n{after}");
        let byte_start = before.len() + 2;
        let found = run(&text, OverlapPolicy::Longest);
        let m = found.iter().find(|m| m.span.byte_start == byte_start);
        prop_assert!(m.is_some(), "{name} not found at byte {byte_start}: {:?}", describe(&found));
        let m = m.unwrap();
        prop_assert_eq!(&m.surface, name);
        prop_assert_eq!(&m.entity.id, id);
        prop_assert_eq!(m.span.start, before.chars().count() + 2);
        prop_assert_eq!(m.span.utf16_start, before.encode_utf16().count() + 2);
    }
}

#[test]
fn zwj_sequences_and_marks_around_names_keep_offsets_exact() {
    let text = "👩\u{200D}👩\u{200D}👧 Tehran\u{200C} e\u{0301} İstanbul ß 𠀀Москва 🇫🇷 Paris";
    let found = run(text, OverlapPolicy::Longest);
    for m in &found {
        assert_offsets(text, m);
    }
    let surfaces: Vec<&str> = found.iter().map(|m| m.surface.as_str()).collect();
    assert!(surfaces.contains(&"Москва"), "{:?}", describe(&found));
    assert!(surfaces.contains(&"Paris"), "{:?}", describe(&found));
}
