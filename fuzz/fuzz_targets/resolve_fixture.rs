//! Fuzz target `resolve_fixture`; the body and its checks are
//! `gazetteer_fuzz::resolve_fixture`.
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: gazetteer_fuzz::resolve_fixture(b"\0\0Talks in Teheran."),
    |data: &[u8]| gazetteer_fuzz::resolve_fixture(data)
);
