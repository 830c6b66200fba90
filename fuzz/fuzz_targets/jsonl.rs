//! Fuzz target `jsonl`; the body and its checks are `gazetteer_fuzz::jsonl`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazetteer_fuzz::jsonl(data));
