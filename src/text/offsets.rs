//! Converts UTF-8 byte offsets into code point and UTF-16 offsets.

/// One position in a text, in the three units of the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextPosition {
    /// UTF-8 bytes.
    pub byte: usize,
    /// Unicode code points.
    pub char: usize,
    /// UTF-16 code units.
    pub utf16: usize,
}

/// Walks a text forward to convert byte offsets; converting offsets in
/// increasing order costs one pass over the text in all.
#[derive(Debug, Clone)]
pub struct OffsetConverter<'t> {
    text: &'t str,
    at: TextPosition,
}

impl<'t> OffsetConverter<'t> {
    /// A converter positioned at the start of `text`.
    pub fn new(text: &'t str) -> Self {
        Self {
            text,
            at: TextPosition::default(),
        }
    }

    /// The position of byte offset `byte`, which must lie on a character
    /// boundary of the text.
    pub fn position(&mut self, byte: usize) -> TextPosition {
        debug_assert!(self.text.is_char_boundary(byte));
        if byte < self.at.byte {
            self.at = TextPosition::default();
        }
        // Every byte but a continuation byte starts a character, and the
        // four-byte ones (lead byte 0xF0 and up) take two UTF-16 units:
        // counted over bytes, without decoding characters, and not at all
        // for ASCII.
        let skipped = &self.text.as_bytes()[self.at.byte..byte];
        let (chars, astral) = if skipped.is_ascii() {
            (skipped.len(), 0)
        } else {
            skipped.iter().fold((0, 0), |(chars, astral), &b| {
                (
                    chars + usize::from((b as i8) >= -0x40),
                    astral + usize::from(b >= 0xF0),
                )
            })
        };
        self.at.char += chars;
        self.at.utf16 += chars + astral;
        self.at.byte = byte;
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn agrees_with_counting_characters(
            text in "\\PC{0,40}",
            cuts in proptest::collection::vec(0usize..200, 0..8),
        ) {
            let mut conv = OffsetConverter::new(&text);
            for cut in cuts {
                let byte = (0..=cut.min(text.len()))
                    .rev()
                    .find(|&b| text.is_char_boundary(b))
                    .unwrap_or(0);
                let before = &text[..byte];
                proptest::prop_assert_eq!(
                    conv.position(byte),
                    TextPosition {
                        byte,
                        char: before.chars().count(),
                        utf16: before.encode_utf16().count(),
                    }
                );
            }
        }
    }

    #[test]
    fn counts_non_bmp_characters_twice_in_utf16() {
        let text = "a😀b";
        let mut conv = OffsetConverter::new(text);
        assert_eq!(
            conv.position(5),
            TextPosition {
                byte: 5,
                char: 2,
                utf16: 3
            }
        );
        assert_eq!(
            conv.position(1),
            TextPosition {
                byte: 1,
                char: 1,
                utf16: 1
            }
        );
    }
}
