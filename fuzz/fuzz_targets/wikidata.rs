//! Fuzz target `wikidata`; the body and its checks are `gazetteer_fuzz::wikidata`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| gazetteer_fuzz::wikidata(data));
