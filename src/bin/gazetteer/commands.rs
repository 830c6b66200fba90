//! What each subcommand does.

use std::io::{BufRead, Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{bail, Context};
use gazetteer::grpc::Limits;
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::resolve::{LookupOptions, OverlapPolicy, ResolveOptions};

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
    let limits = Limits {
        max_text_bytes: args.max_text_bytes as usize,
        ..Limits::default()
    };
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        listen = %args.listen,
        max_text_bytes = limits.max_text_bytes,
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(args.listen)
            .await
            .with_context(|| format!("cannot listen on {}", args.listen))?;
        tracing::info!(
            address = %listener.local_addr()?,
            startup_ms = started.elapsed().as_millis() as u64,
            "SERVING"
        );
        gazetteer::server::serve(listener, index, limits, shutdown_signal()).await
    })
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
    let started = Instant::now();
    let mut builder = IndexBuilder::new();
    for path in &args.jsonl {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
        let records = gazetteer::ingest::read_jsonl_file(path)?;
        eprintln!("{}: {} records", path.display(), records.len());
        builder.add_source(BuildSource {
            name: file_label(path),
            sha256: gazetteer::sha256_hex(&bytes),
            records,
        })?;
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
    println!("{}", serde_json::to_string_pretty(&json)?);
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
    println!("{}", serde_json::to_string_pretty(&meta)?);
    Ok(())
}
