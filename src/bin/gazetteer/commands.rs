//! What each subcommand does.

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use gazetteer::grpc::{IndexHandle, Limits};
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::reload::IndexReloader;
use gazetteer::resolve::{LookupOptions, OverlapPolicy, ResolveOptions};
use gazetteer::server::ServeOptions;

use crate::{
    output, BuildArgs, IndexArg, InspectArgs, LogFormat, LookupArgs, ResolveArgs, ServeArgs,
};

fn open_index(arg: &IndexArg) -> anyhow::Result<Arc<Index>> {
    match &arg.index {
        Some(dir) => Ok(Arc::new(Index::open(dir)?)),
        None => Ok(gazetteer::default_index().context("building the embedded default gazetteer")?),
    }
}

fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("GAZETTEER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Plain => builder.init(),
        LogFormat::Json => builder.json().init(),
    }
}

pub fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    init_tracing(args.log_format);
    let defaults = Limits::default();
    let limits = Limits {
        max_text_bytes: args.max_text_bytes as usize,
        max_concurrent_requests: args
            .max_concurrent_requests
            .map_or(defaults.max_concurrent_requests, |n| n as usize),
        ..defaults
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        listen = %args.listen,
        max_text_bytes = limits.max_text_bytes,
        max_message_bytes = limits.max_message_bytes(),
        max_concurrent_requests = limits.max_concurrent_requests,
        admin = args.admin,
        "starting gazetteer"
    );
    let index = open_index(&args.index)?;
    tracing::info!(
        index = index.location(),
        index_version = index.version(),
        entities = index.meta().entity_count,
        names = index.meta().name_count,
        "index open"
    );
    let reloader = Arc::new(IndexReloader::new(
        IndexHandle::new(index),
        args.index.index.clone(),
    ));
    let options = ServeOptions {
        limits,
        admin: args.admin,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        reload_on_sighup(reloader.clone())?;
        tracing::info!(
            address = %listener.local_addr()?,
            startup_ms = started.elapsed().as_millis() as u64,
            "SERVING"
        );
        gazetteer::server::serve_with(listener, reloader, options, shutdown_signal()).await
    })
}

/// Reloads the index on every SIGHUP; the reloader logs the outcome.
#[cfg(unix)]
fn reload_on_sighup(reloader: Arc<IndexReloader>) -> anyhow::Result<()> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut hangup = signal(SignalKind::hangup()).context("installing the SIGHUP handler")?;
    tokio::spawn(async move {
        while hangup.recv().await.is_some() {
            tracing::info!("SIGHUP: reloading the index");
            // Failures are logged by the reloader; the old index serves on.
            let _ = reloader.reload().await;
        }
    });
    Ok(())
}

#[cfg(not(unix))]
fn reload_on_sighup(_reloader: Arc<IndexReloader>) -> anyhow::Result<()> {
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(_) => {
                    let _ = ctrl_c.await;
                    return;
                }
            };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
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
