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
        for c in self.text[self.at.byte..byte].chars() {
            self.at.char += 1;
            self.at.utf16 += c.len_utf16();
        }
        self.at.byte = byte;
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
