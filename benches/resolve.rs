//! Resolve throughput on English and Russian news-style text with the
//! default gazetteer, index open time, and default index build time.
//!
//! Run: `cargo bench --bench resolve`. Texts are written for the benchmark.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use gazetteer::index::Index;
use gazetteer::resolve::{resolve, ResolveOptions};

const ENGLISH: &str = include_str!("texts/english.txt");
const RUSSIAN: &str = include_str!("texts/russian.txt");

/// About 100 KB of text made by repeating a news-style sample.
fn document(sample: &str) -> String {
    let mut text = String::with_capacity(110_000);
    while text.len() < 100_000 {
        text.push_str(sample);
        text.push('\n');
    }
    text
}

fn resolve_throughput(c: &mut Criterion) {
    let index = gazetteer::default_index().expect("default index");
    let options = ResolveOptions::default();
    let mut group = c.benchmark_group("resolve");
    for (name, sample) in [("english", ENGLISH), ("russian", RUSSIAN)] {
        // One ~100 KB document.
        let text = document(sample);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(format!("{name}_100kb"), |b| {
            b.iter(|| resolve(&index, black_box(&text), &options).expect("resolves"))
        });
        // Article-sized documents, one call each, as a service sees them.
        let paragraphs: Vec<&str> = sample.lines().filter(|l| !l.is_empty()).collect();
        let bytes: usize = paragraphs.iter().map(|p| p.len()).sum();
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(format!("{name}_paragraphs"), |b| {
            b.iter(|| {
                for paragraph in &paragraphs {
                    black_box(resolve(&index, black_box(paragraph), &options).expect("resolves"));
                }
            })
        });
    }
    group.finish();
}

fn index_open(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("default");
    let files = {
        let mut builder = gazetteer::index::IndexBuilder::new();
        for (name, text) in [
            ("countries", include_str!("../data/default/countries.jsonl")),
            ("cities", include_str!("../data/default/cities.jsonl")),
        ] {
            let records = gazetteer::ingest::read_jsonl_str(name, text).expect("records");
            builder
                .add_source(gazetteer::index::BuildSource {
                    name: name.into(),
                    sha256: String::new(),
                    records,
                })
                .expect("adds");
        }
        builder.finish(String::new()).expect("builds")
    };
    files.write_dir(&path).expect("writes");
    c.bench_function("index_open", |b| {
        b.iter(|| Index::open(black_box(&path)).expect("opens"))
    });
}

fn default_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("default_build");
    group.sample_size(10);
    group.bench_function("embedded", |b| {
        b.iter_batched(
            || (),
            |()| gazetteer::build_default_index().expect("builds"),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, resolve_throughput, index_open, default_build);
criterion_main!(benches);
