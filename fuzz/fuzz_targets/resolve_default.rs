//! Fuzz target `resolve_default`; the body and its checks are
//! `gazetteer_fuzz::resolve_default`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    // Building the default index takes seconds: do it, and a first resolve
    // (which loads the word lists), before the per-input timer runs.
    init: gazetteer_fuzz::resolve_default(b"\0\0Talks in Teheran."),
    |data: &[u8]| gazetteer_fuzz::resolve_default(data)
);
