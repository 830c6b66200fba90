//! `gazetteer eval`: scores the resolver, in-process or over gRPC, against
//! an annotated corpus (Gritta XML, brat standoff, ELEVANT JSON Lines).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context};
use gazetteer::eval::{
    self, Corpus, Format, GoldKind, IndexCoverage, Prediction, ScoreOptions, ScoreReport,
};
use gazetteer::index::Index;
use gazetteer::resolve::{resolve, Calibration, MatchKind, ResolveOptions};

use crate::IndexArg;

/// Arguments of `gazetteer eval`.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold corpus: a Gritta XML file, a directory of brat `.txt`/`.ann`
    /// pairs, or an ELEVANT JSON Lines file.
    pub path: PathBuf,
    /// Corpus format; guessed from PATH when absent (.xml → gritta,
    /// directory with .ann files → brat, .jsonl → elevant).
    #[arg(long, value_enum)]
    pub format: Option<FormatArg>,
    #[command(flatten)]
    pub index: IndexArg,
    /// Score a running server at ADDR (host:port or http://host:port)
    /// instead of resolving in-process.
    #[arg(long, value_name = "ADDR", conflicts_with = "index")]
    pub server: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Show the N most frequent misses, wrong IDs and false positives with
    /// their context.
    #[arg(long, value_name = "N")]
    pub errors: Option<usize>,
    /// Kinds to score, comma-separated (place, person, organization,
    /// other); default place, person, organization.
    #[arg(long, value_delimiter = ',', value_parser = parse_kind)]
    pub kinds: Vec<GoldKind>,
    /// Drop predictions scoring below this.
    #[arg(long, default_value_t = 0.0, value_parser = parse_score)]
    pub min_score: f64,
    /// Match only spellings the gazetteer lists (no unlisted variants).
    #[arg(long)]
    pub listed_spellings_only: bool,
    /// Also match demonyms (`Iranian` → Iran) as predictions.
    #[arg(long)]
    pub include_demonyms: bool,
    /// Calibrate scores with this table (written by `gazetteer calibrate
    /// --out`) instead of the embedded one.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["raw_scores", "server"])]
    pub calibration: Option<PathBuf>,
    /// Score with the resolver's raw, uncalibrated scores.
    #[arg(long, conflicts_with = "server")]
    pub raw_scores: bool,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatArg {
    /// Gritta XML (LGL, TR-News, GeoWebNews).
    Gritta,
    /// brat standoff with Wikidata reference lines (NEREL).
    Brat,
    /// ELEVANT JSON Lines.
    Elevant,
}

fn parse_kind(s: &str) -> Result<GoldKind, String> {
    GoldKind::parse(s)
        .ok_or_else(|| format!("unknown kind {s:?}: use place, person, organization or other"))
}

fn parse_score(s: &str) -> Result<f64, String> {
    let x: f64 = s.parse().map_err(|_| format!("not a number: {s:?}"))?;
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(format!("{x} is outside [0, 1]"))
    }
}

pub(crate) fn open_index(arg: &IndexArg) -> anyhow::Result<Arc<Index>> {
    match &arg.index {
        Some(dir) => Ok(Arc::new(Index::open(dir)?)),
        None => Ok(gazetteer::default_index().context("building the embedded default gazetteer")?),
    }
}

/// Reads a corpus, in the format given or guessed from its path.
pub(crate) fn read_corpus(
    path: &Path,
    format: Option<FormatArg>,
) -> anyhow::Result<(Format, Corpus)> {
    let format = match format {
        Some(FormatArg::Gritta) => Format::Gritta,
        Some(FormatArg::Brat) => Format::Brat,
        Some(FormatArg::Elevant) => Format::Elevant,
        None => match Format::detect(path) {
            Some(f) => f,
            None => bail!(
                "cannot tell the format of {}: pass --format gritta|brat|elevant",
                path.display()
            ),
        },
    };
    let corpus = eval::read_corpus(path, format)?;
    if corpus.documents.is_empty() {
        bail!("{} holds no documents", path.display());
    }
    Ok((format, corpus))
}

/// Resolves every document of a corpus in-process.
pub(crate) fn resolve_corpus(
    index: &Index,
    corpus: &Corpus,
    options: &ResolveOptions,
) -> anyhow::Result<Vec<Vec<Prediction>>> {
    let mut predictions = Vec::with_capacity(corpus.documents.len());
    for doc in &corpus.documents {
        let mentions = resolve(index, &doc.text, options)
            .with_context(|| format!("resolving document {}", doc.id))?;
        predictions.push(mentions.iter().map(Prediction::from_mention).collect());
    }
    Ok(predictions)
}

pub fn eval(args: EvalArgs) -> anyhow::Result<()> {
    let (format, corpus) = read_corpus(&args.path, args.format)?;
    let options = if args.kinds.is_empty() {
        ScoreOptions::default()
    } else {
        ScoreOptions {
            kinds: args.kinds.clone(),
        }
    };
    let entity_kinds: Vec<_> = options
        .kinds
        .iter()
        .filter_map(|k| k.entity_kind())
        .collect();

    let (predictions, covered, index_version, resolver) = match &args.server {
        None => {
            let index = open_index(&args.index)?;
            let calibration = match (&args.calibration, args.raw_scores) {
                (_, true) => None,
                (Some(file), false) => Some(Arc::new(read_calibration(file)?)),
                (None, false) => Some(Calibration::embedded()),
            };
            let resolve_options = ResolveOptions {
                kinds: entity_kinds,
                min_score: args.min_score,
                listed_spellings_only: args.listed_spellings_only,
                include_demonyms: args.include_demonyms,
                calibration,
                ..ResolveOptions::default()
            };
            let predictions = resolve_corpus(&index, &corpus, &resolve_options)?;
            let coverage = IndexCoverage::new(&index);
            let covered: HashSet<String> = gold_ids(&corpus)
                .into_iter()
                .filter(|id| eval::Coverage::covers(&coverage, id))
                .collect();
            (
                predictions,
                covered,
                index.version().to_string(),
                format!("in-process, index {}", index.location()),
            )
        }
        Some(addr) => {
            let (predictions, covered, version) = over_grpc(
                addr,
                &corpus,
                &entity_kinds,
                args.min_score,
                args.listed_spellings_only,
                args.include_demonyms,
            )?;
            (predictions, covered, version, format!("server {addr}"))
        }
    };
    let coverage = |id: &str| covered.contains(id);
    let report = eval::score(&corpus.documents, &predictions, &coverage, &options);
    print_report(&args, format, &corpus, &report, &index_version, &resolver)
}

/// Reads a table written by `gazetteer calibrate --out`.
pub(crate) fn read_calibration(file: &Path) -> anyhow::Result<Calibration> {
    let json = std::fs::read_to_string(file)
        .with_context(|| format!("reading calibration table {}", file.display()))?;
    Calibration::from_json(&json)
        .map_err(|why| anyhow::anyhow!("{}: not a calibration table: {why}", file.display()))
}

fn gold_ids(corpus: &Corpus) -> BTreeSet<String> {
    corpus
        .documents
        .iter()
        .flat_map(|d| d.gold.iter().flat_map(|g| g.ids.iter().cloned()))
        .collect()
}

fn print_report(
    args: &EvalArgs,
    format: Format,
    corpus: &Corpus,
    report: &ScoreReport,
    index_version: &str,
    resolver: &str,
) -> anyhow::Result<()> {
    if args.json {
        let mut value = serde_json::json!({
            "corpus": args.path.display().to_string(),
            "format": format.as_str(),
            "resolver": resolver,
            "indexVersion": index_version,
            "minScore": args.min_score,
            "readStats": corpus.stats,
            "report": report,
        });
        if let Some(n) = args.errors {
            value["errors"] = serde_json::to_value(eval::group_errors(&report.errors, n))?;
        }
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        let title = format!(
            "{} ({}; {resolver}, index version {index_version}, min score {})",
            args.path.display(),
            format.as_str(),
            args.min_score
        );
        print!("{}", eval::render_table(report, &corpus.stats, &title));
        if let Some(n) = args.errors {
            println!();
            print!("{}", eval::render_errors(report, n));
        }
    }
    Ok(())
}

/// Resolves every document on a running server; coverage asks the server
/// for each gold ID (canonical IDs only: external IDs are not looked up
/// over the wire).
fn over_grpc(
    addr: &str,
    corpus: &Corpus,
    kinds: &[gazetteer::entity::EntityKind],
    min_score: f64,
    listed_spellings_only: bool,
    include_demonyms: bool,
) -> anyhow::Result<(Vec<Vec<Prediction>>, HashSet<String>, String)> {
    use gazetteer::entity::EntityKind;
    use gazetteer::proto;
    use gazetteer::proto::resolver_client::ResolverClient;

    let endpoint = if addr.contains("://") {
        addr.to_string()
    } else {
        format!("http://{addr}")
    };
    let pb_kinds: Vec<i32> = kinds
        .iter()
        .map(|k| match k {
            EntityKind::Place => proto::EntityKind::Place as i32,
            EntityKind::Person => proto::EntityKind::Person as i32,
            EntityKind::Organization => proto::EntityKind::Organization as i32,
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let mut client = ResolverClient::connect(endpoint.clone())
            .await
            .with_context(|| format!("cannot connect to {endpoint}"))?
            .max_decoding_message_size(256 << 20);
        let mut predictions = Vec::with_capacity(corpus.documents.len());
        let mut version = String::new();
        for doc in &corpus.documents {
            let response = client
                .resolve(proto::ResolveRequest {
                    text: doc.text.clone(),
                    doc_id: doc.id.clone(),
                    options: Some(proto::ResolveOptions {
                        kinds: pb_kinds.clone(),
                        min_score,
                        listed_spellings_only,
                        include_demonyms,
                        ..Default::default()
                    }),
                })
                .await
                .with_context(|| format!("resolving document {}", doc.id))?
                .into_inner();
            version = response.index_version;
            predictions.push(
                response
                    .mentions
                    .iter()
                    .filter_map(prediction_from_proto)
                    .collect(),
            );
        }
        let mut covered = HashSet::new();
        for id in gold_ids(corpus) {
            match client
                .get_entity(proto::GetEntityRequest { id: id.clone() })
                .await
            {
                Ok(_) => {
                    covered.insert(id);
                }
                Err(status) if status.code() == tonic::Code::NotFound => {}
                Err(status) => bail!("GetEntity {id}: {status}"),
            }
        }
        Ok((predictions, covered, version))
    })
}

fn prediction_from_proto(m: &gazetteer::proto::Mention) -> Option<Prediction> {
    use gazetteer::proto::EntityKind as Pb;
    let span = m.span.as_ref()?;
    let entity = m.entity.as_ref()?;
    let kind = match Pb::try_from(entity.kind) {
        Ok(Pb::Place) => GoldKind::Place,
        Ok(Pb::Person) => GoldKind::Person,
        Ok(Pb::Organization) => GoldKind::Organization,
        _ => GoldKind::Other,
    };
    let mut ids = vec![entity.id.clone()];
    for x in &entity.external_ids {
        let id = format!("{}:{}", x.scheme, x.id);
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Some(Prediction {
        start: span.start as usize,
        end: span.end as usize,
        surface: m.surface.clone(),
        kind,
        ids,
        name: entity.name.clone(),
        coordinates: entity
            .has_coordinates
            .then_some((entity.latitude, entity.longitude)),
        score: m.score,
        match_kind: match_kind_from_proto(m.match_kind),
        feature_code: Some(entity.feature_code.clone()).filter(|c| !c.is_empty()),
    })
}

fn match_kind_from_proto(kind: i32) -> Option<MatchKind> {
    use gazetteer::proto::MatchKind as Pb;
    Some(match Pb::try_from(kind).ok()? {
        Pb::Exact => MatchKind::Exact,
        Pb::Normalized => MatchKind::Normalized,
        Pb::Alias => MatchKind::Alias,
        Pb::Transliterated => MatchKind::Transliterated,
        Pb::Variant => MatchKind::Variant,
        Pb::Inflected => MatchKind::Inflected,
        Pb::Coreference => MatchKind::Coreference,
        Pb::Demonym => MatchKind::Demonym,
        _ => return None,
    })
}
