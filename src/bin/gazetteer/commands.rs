//! What each subcommand does.

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::resolve::{LookupOptions, OverlapPolicy, ResolveOptions};

use crate::{output, BuildArgs, IndexArg, InspectArgs, LookupArgs, ResolveArgs};

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

pub fn build(args: BuildArgs) -> anyhow::Result<()> {
    use gazetteer::ingest::{
        geonames_id_of, merge_record, GeonamesFiles, GeonamesFilter, GeonamesImport,
        GeonamesOptions,
    };
    let started = Instant::now();
    let mut builder = IndexBuilder::new();
    // JSON Lines first (held in memory), so GeoNames records can absorb the
    // ones that stand for the same place.
    let mut jsonl = Vec::new();
    for path in &args.jsonl {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let records = gazetteer::ingest::read_jsonl_file(path)?;
        let records: Vec<_> = records.into_iter().map(Some).collect();
        jsonl.push((path, gazetteer::sha256_hex(&bytes), records));
    }
    let mut by_geonames_id: std::collections::HashMap<u32, Vec<(usize, usize)>> =
        std::collections::HashMap::new();
    for (s, (_, _, records)) in jsonl.iter().enumerate() {
        for (r, record) in records.iter().enumerate() {
            if let Some(id) = record.as_ref().and_then(geonames_id_of) {
                by_geonames_id.entry(id).or_default().push((s, r));
            }
        }
    }
    let mut merged = 0u64;
    if let Some(main) = &args.geonames {
        let files = GeonamesFiles {
            main: main.clone(),
            alternate_names: args.alternate_names.clone(),
            admin1: args.admin1.clone(),
            country_info: args.country_info.clone(),
        };
        let options = GeonamesOptions {
            filter: GeonamesFilter {
                feature_classes: args.feature_class.clone(),
                feature_codes: args.feature_code.clone(),
                min_population: args.min_population,
            },
            strict: args.strict,
        };
        let mut reported = 0u64;
        let on_skip = Box::new(move |e: &gazetteer::ingest::IngestError| {
            reported += 1;
            if reported <= 100 {
                eprintln!("warning: skipped {e}");
            } else if reported == 101 {
                eprintln!("warning: more malformed rows skipped; see the summary");
            }
        });
        let mut import = GeonamesImport::open(&files, options, on_skip)?;
        let label = file_label(main);
        for record in &mut import {
            let mut record = record?;
            if let Some(others) = geonames_id_of(&record).and_then(|id| by_geonames_id.remove(&id))
            {
                for (s, r) in others {
                    if let Some(other) = jsonl[s].2[r].take() {
                        merge_record(&mut record, other);
                        merged += 1;
                    }
                }
            }
            builder.add_streamed_record(&label, record)?;
        }
        let stats = import.stats();
        builder.add_source_info(gazetteer::index::SourceInfo {
            name: label,
            records: stats.entities,
            sha256: stats.main.sha256.clone(),
        });
        for file in stats.files().skip(1) {
            builder.add_source_info(gazetteer::index::SourceInfo {
                name: file_label(&file.path),
                records: file.rows,
                sha256: file.sha256.clone(),
            });
        }
        for line in stats.summary_lines() {
            eprintln!("{line}");
        }
    }
    for (path, sha256, records) in jsonl {
        let records: Vec<_> = records.into_iter().flatten().collect();
        let names: usize = records.iter().map(|r| r.names.len()).sum();
        eprintln!(
            "{}: {} entities, {} names",
            path.display(),
            records.len(),
            names
        );
        builder.add_source(BuildSource {
            name: file_label(path),
            sha256,
            records,
        })?;
    }
    if merged > 0 {
        eprintln!("{merged} JSON Lines records merged into GeoNames places");
    }
    let files = builder.finish(gazetteer::now_rfc3339())?;
    files.write_dir(&args.out)?;
    let meta = &files.meta;
    eprintln!(
        "built {} in {:.2}s: version {}, {} entities ({}), {} names, {} postings",
        args.out.display(),
        started.elapsed().as_secs_f64(),
        meta.version,
        meta.entity_count,
        meta.entities_by_kind
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", "),
        meta.name_count,
        meta.posting_count
    );
    Ok(())
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
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
