//! Text handling shared by index builds and queries: normalisation,
//! tokenisation and offset conversion. Pure functions; offsets always point
//! into the original text.

mod normalize;
mod offsets;
mod tokenize;
mod transliterate;
mod variant;

pub use normalize::{normalize, normalize_in_place, normalize_into, starts_lowercase};
pub use offsets::{OffsetConverter, TextPosition};
pub use tokenize::{
    ascii_name_key_into, name_key, name_key_into, tokenize, Token, Tokens, KEY_SEPARATOR,
};
pub use transliterate::{romanize, written_in_latin};
pub use variant::{
    initial_class, key_skeleton, push_skeleton, push_soft_form, soft_form, soft_similarity,
    soft_similarity_at_least, variant_similarity, MIN_SKELETON_LEN,
};
