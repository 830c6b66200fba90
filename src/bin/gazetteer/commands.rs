//! What each subcommand does.

use std::io::{BufRead, Read, Write};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use gazetteer::index::Index;
use gazetteer::resolve::{LookupOptions, OverlapPolicy, ResolveOptions};

use crate::{output, IndexArg, InspectArgs, LookupArgs, ResolveArgs};

pub(crate) fn open_index(arg: &IndexArg) -> anyhow::Result<Arc<Index>> {
    match &arg.index {
        Some(dir) => Ok(Arc::new(Index::open(dir)?)),
        None => Ok(gazetteer::default_index().context("building the embedded default gazetteer")?),
    }
}

pub fn resolve(args: ResolveArgs) -> anyhow::Result<()> {
    let index = open_index(&args.index)?;
    let options = ResolveOptions {
        max_candidates: args.max_candidates,
        min_score: args.min_score,
        overlap: if args.all {
            OverlapPolicy::All
        } else {
            OverlapPolicy::Longest
        },
        listed_spellings_only: args.listed_spellings_only,
        include_demonyms: args.include_demonyms,
        ..ResolveOptions::default()
    };
    let label = args
        .file
        .as_ref()
        .map_or_else(|| "<stdin>".to_string(), |p| p.display().to_string());
    let reader: Box<dyn BufRead> = match &args.file {
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
        )),
        None => Box::new(std::io::BufReader::new(std::io::stdin())),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.jsonl {
        for (n, line) in reader.lines().enumerate() {
            let line = line.with_context(|| format!("{label}:{}: cannot read", n + 1))?;
            let (doc_id, text) = jsonl_document(&line, n + 1);
            let mentions = gazetteer::resolve::resolve(&index, &text, &options)?;
            serde_json::to_writer(
                &mut out,
                &output::document(&doc_id, &mentions, index.version()),
            )?;
            writeln!(out)?;
        }
    } else {
        let mut text = String::new();
        let mut reader = reader;
        reader
            .read_to_string(&mut text)
            .with_context(|| format!("{label}: cannot read as UTF-8 text"))?;
        let mentions = gazetteer::resolve::resolve(&index, &text, &options)?;
        serde_json::to_writer_pretty(
            &mut out,
            &output::document(&label, &mentions, index.version()),
        )?;
        writeln!(out)?;
    }
    out.flush()?;
    Ok(())
}

/// A JSONL input line: `{"text": …, "doc_id": …}` or the text itself.
fn jsonl_document(line: &str, number: usize) -> (String, String) {
    #[derive(serde::Deserialize)]
    struct Document {
        text: String,
        #[serde(default)]
        doc_id: Option<String>,
    }
    if line.trim_start().starts_with('{') {
        if let Ok(doc) = serde_json::from_str::<Document>(line) {
            return (doc.doc_id.unwrap_or_else(|| number.to_string()), doc.text);
        }
    }
    (number.to_string(), line.to_string())
}

pub fn lookup(args: LookupArgs) -> anyhow::Result<()> {
    if args.name.trim().is_empty() {
        bail!("NAME is empty");
    }
    let index = open_index(&args.index)?;
    let options = LookupOptions {
        prefix: args.prefix,
        limit: args.limit,
        kinds: Vec::new(),
    };
    let matches = gazetteer::resolve::lookup(&index, &args.name, &options)?;
    let json: Vec<_> = matches.iter().map(output::lookup_match).collect();
    print_line(&serde_json::to_string_pretty(&json)?)?;
    Ok(())
}

pub fn inspect(args: InspectArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let index = match &args.dir {
        Some(dir) => Arc::new(Index::open(dir)?),
        None => gazetteer::default_index()?,
    };
    let opened_ms = started.elapsed().as_secs_f64() * 1e3;
    let mut meta = serde_json::to_value(index.meta())?;
    meta["location"] = index.location().into();
    meta["open_ms"] = (opened_ms * 1000.0).round().div_euclid(1000.0).into();
    print_line(&serde_json::to_string_pretty(&meta)?)?;
    Ok(())
}

/// Writes a line to stdout, returning errors (a closed pipe) instead of
/// panicking as `println!` does.
fn print_line(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}
