//! Fuzz target `geonames_main`: the GeoNames importer with fuzzed `main`
//! input and fixed other files; the checks are `gazetteer_fuzz::GeonamesDir::import`.
#![no_main]

use gazetteer_fuzz::{GeonamesDir, GeonamesFile};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    static DIR: std::sync::OnceLock<GeonamesDir> = std::sync::OnceLock::new();
    DIR.get_or_init(GeonamesDir::new)
        .import(GeonamesFile::Main, data);
});
