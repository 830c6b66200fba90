//! Time in-process resolve calls on a file, for profiling under `perf`:
//! `cargo run --release --example resolve_timing -- bench/texts/en-1k.txt 2000`.
//! Prints the median and mean microseconds per call and MB/s.

use std::time::Instant;

use gazetteer::resolve::{resolve, ResolveOptions};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/texts/en-1k.txt".into());
    let calls: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1000);
    let listed_only = std::env::var_os("LISTED_SPELLINGS_ONLY").is_some();
    let text = std::fs::read_to_string(&path)?;
    let index = gazetteer::default_index()?;
    let options = ResolveOptions {
        listed_spellings_only: listed_only,
        ..ResolveOptions::default()
    };
    let found = resolve(&index, &text, &options)?;
    if std::env::var_os("PRINT_MENTIONS").is_some() {
        for m in &found {
            println!(
                "{}\t{}\t{}\t{:.3}",
                m.surface, m.entity.id, m.span.byte_start, m.score
            );
        }
    }
    let mentions = found.len();
    let mut micros = Vec::with_capacity(calls);
    let started = Instant::now();
    for _ in 0..calls {
        let call = Instant::now();
        std::hint::black_box(resolve(&index, std::hint::black_box(&text), &options)?);
        micros.push(call.elapsed().as_secs_f64() * 1e6);
    }
    let total = started.elapsed().as_secs_f64();
    micros.sort_by(f64::total_cmp);
    let median = micros[micros.len() / 2];
    let fastest_tenth = micros[micros.len() / 10];
    println!(
        "{path}: {} bytes, {mentions} mentions, {calls} calls: p10 {fastest_tenth:.1} µs, median {median:.1} µs, mean {:.1} µs, {:.1} MB/s",
        text.len(),
        total * 1e6 / calls as f64,
        text.len() as f64 * calls as f64 / total / 1e6
    );
    Ok(())
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
