//! Integration tests of the gazetteer library, gRPC server and CLI.

mod aliases;
mod calibration;
mod cli;
mod common;
mod config;
mod context;
mod default_data;
mod demonyms;
mod eval;
mod fuzz_regressions;
mod geonames;
mod grpc;
mod harness;
mod index_files;
mod inflection;
mod metrics;
mod news_regions;
mod offsets;
mod reload;
mod security;
mod transliteration;
mod variants;
mod wikidata;
mod wire_report;
