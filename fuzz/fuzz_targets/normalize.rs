//! Fuzz target `normalize`; the body and its checks are `gazetteer_fuzz::normalize`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazetteer_fuzz::normalize(data));
