//! Resolves every paragraph of a file, one call each as
//! `benches/resolve.rs` does, for counting instructions under callgrind:
//! `valgrind --tool=callgrind --collect-atstart=no
//! --toggle-collect='*run_passes*' target/release/examples/paragraph_passes
//! benches/texts/english.txt 10` counts ten passes, without the index
//! build and a first pass that builds the lazy tables.

use gazetteer::resolve::{resolve, ResolveOptions};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "benches/texts/english.txt".into());
    let passes: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(1);
    let text = std::fs::read_to_string(&path)?;
    let paragraphs: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let index = gazetteer::default_index()?;
    index.warm();
    let options = ResolveOptions::default();
    // Lazily built tables (word lists, calibration) outside the count.
    for paragraph in &paragraphs {
        resolve(&index, paragraph, &options)?;
    }
    let mentions = run_passes(&index, &paragraphs, passes, &options)?;
    println!("{passes} passes, {mentions} mentions");
    Ok(())
}

/// The measured part, apart for `--toggle-collect=*run_passes*`.
#[inline(never)]
fn run_passes(
    index: &gazetteer::index::Index,
    paragraphs: &[&str],
    passes: usize,
    options: &ResolveOptions,
) -> anyhow::Result<usize> {
    let mut mentions = 0;
    for _ in 0..passes {
        for paragraph in paragraphs {
            let found = resolve(index, std::hint::black_box(paragraph), options)?;
            mentions += std::hint::black_box(found).len();
        }
    }
    Ok(mentions)
}
