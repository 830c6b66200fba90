//! Fuzz target `tokenize`; the body and its checks are `gazetteer_fuzz::tokenize_text`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazetteer_fuzz::tokenize_text(data));
