//! The `gazetteer` command: serve, resolve, build, lookup, inspect.

mod build_command;
mod calibrate_command;
mod commands;
mod config;
mod eval_command;
mod output;
mod security;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Exit code for an invalid command line or configuration (EX_USAGE).
const EXIT_USAGE: u8 = 64;

/// Multilingual place and person resolution over an FST gazetteer.
#[derive(Debug, Parser)]
#[command(name = "gazetteer", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the gRPC API (with health and reflection).
    Serve(serve::ServeArgs),
    /// Resolve text from FILE (or stdin) and print the mentions as JSON.
    Resolve(ResolveArgs),
    /// Compile JSON Lines entity records into an index directory.
    Build(BuildArgs),
    /// Look a name (or a prefix) up and print the ranked entities.
    Lookup(LookupArgs),
    /// Print the metadata of an index directory (default: the embedded one).
    Inspect(InspectArgs),
    /// Score the resolver against an annotated corpus (Gritta XML, brat, ELEVANT).
    Eval(eval_command::EvalArgs),
    /// Fit the score calibration on annotated corpora and report how it
    /// carries over between them.
    Calibrate(calibrate_command::CalibrateArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct IndexArg {
    /// Index directory built by `gazetteer build`; the embedded default
    /// gazetteer when absent.
    #[arg(long, env = "GAZETTEER_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
struct ResolveArgs {
    /// Input file; stdin when absent.
    file: Option<PathBuf>,
    /// Treat each input line as a document and print one JSON line each. A
    /// line that is a JSON object with "text" (and optional "doc_id") is
    /// read as such; any other line is the text itself.
    #[arg(long)]
    jsonl: bool,
    #[command(flatten)]
    index: IndexArg,
    /// Runner-up candidates per mention.
    #[arg(long, default_value_t = 5)]
    max_candidates: usize,
    /// Drop mentions scoring below this.
    #[arg(long, default_value_t = 0.0)]
    min_score: f64,
    /// Report every overlapping match instead of leftmost-longest.
    #[arg(long)]
    all: bool,
    /// Match only spellings the gazetteer lists (no unlisted variants).
    #[arg(long)]
    listed_spellings_only: bool,
    /// Also match demonyms (`Iranian` → Iran) as MATCH_KIND_DEMONYM
    /// mentions.
    #[arg(long)]
    include_demonyms: bool,
}

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).multiple(true).args(["jsonl", "geonames", "wikidata"])))]
struct BuildArgs {
    /// JSON Lines entity files (see README, "Record format").
    #[arg(long, num_args = 1.., value_name = "FILE")]
    jsonl: Vec<PathBuf>,
    /// GeoNames main file: allCountries.txt, citiesN.txt or a country file.
    #[arg(long, value_name = "FILE")]
    geonames: Option<PathBuf>,
    /// GeoNames alternateNamesV2.txt (or the 8-column alternateNames.txt).
    #[arg(long, value_name = "FILE", requires = "geonames")]
    alternate_names: Option<PathBuf>,
    /// GeoNames admin1CodesASCII.txt: names of, and records for, regions.
    #[arg(long, value_name = "FILE", requires = "geonames")]
    admin1: Option<PathBuf>,
    /// GeoNames countryInfo.txt: names of, and records for, countries.
    #[arg(long, value_name = "FILE", requires = "geonames")]
    country_info: Option<PathBuf>,
    /// Keep only these GeoNames feature classes (A,H,L,P,R,S,T,U,V).
    #[arg(long, value_delimiter = ',', value_name = "CLASS,...", value_parser = parse_feature_class, requires = "geonames")]
    feature_class: Vec<String>,
    /// Keep only these GeoNames feature codes (PPLC,PPLA,ADM1,PCLI,...).
    #[arg(long, value_delimiter = ',', value_name = "CODE,...", value_parser = parse_feature_code, requires = "geonames")]
    feature_code: Vec<String>,
    /// Keep only GeoNames places of at least this population.
    #[arg(long, default_value_t = 0, value_name = "N")]
    min_population: u64,
    /// Fail on the first malformed GeoNames row or Wikidata line instead of
    /// skipping it.
    #[arg(long)]
    strict: bool,
    /// Wikidata JSON dump (`latest-all.json`, `.json.gz` or `.json.bz2`):
    /// people, places and organisations. Items with a GeoNames ID merge
    /// into that GeoNames place when `--geonames` is given.
    #[arg(long, value_name = "FILE")]
    wikidata: Option<PathBuf>,
    /// Output index directory; replaced atomically, left alone on failure.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn parse_feature_class(s: &str) -> Result<String, String> {
    let class = s.trim().to_ascii_uppercase();
    if class.len() == 1 && "AHLPRSTUV".contains(class.as_str()) {
        Ok(class)
    } else {
        Err(format!(
            "{s:?} is not a GeoNames feature class (A, H, L, P, R, S, T, U, V)"
        ))
    }
}

fn parse_feature_code(s: &str) -> Result<String, String> {
    let code = s.trim().to_ascii_uppercase();
    if (1..=10).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        Ok(code)
    } else {
        Err(format!(
            "{s:?} is not a GeoNames feature code such as PPLC or ADM1"
        ))
    }
}

#[derive(Debug, clap::Args)]
struct LookupArgs {
    /// The name to look up.
    name: String,
    /// Treat NAME as a prefix (autocomplete).
    #[arg(long)]
    prefix: bool,
    /// Maximum results.
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[command(flatten)]
    index: IndexArg,
}

#[derive(Debug, clap::Args)]
struct InspectArgs {
    /// Index directory; the embedded default gazetteer when absent.
    dir: Option<PathBuf>,
}

fn main() -> ExitCode {
    // Parsed through `ArgMatches` so `serve` can tell a flag or variable
    // from a default when it merges its configuration file.
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches).map(|cli| (cli, matches)));
    let (cli, matches) = match parsed {
        Ok(parsed) => parsed,
        Err(e) => {
            let usage_error = e.use_stderr();
            let _ = e.print();
            return if usage_error {
                ExitCode::from(EXIT_USAGE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let result = match cli.command {
        Command::Serve(args) => {
            let serve_matches = matches
                .subcommand_matches("serve")
                .expect("the serve subcommand was parsed");
            let settings = config::resolve(args, serve_matches)
                .and_then(|args| security::load(&args).map(|security| (args, security)));
            match settings {
                Ok((args, security)) => serve::serve(args, security),
                Err(e) => {
                    eprintln!("error: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
        Command::Resolve(args) => commands::resolve(args),
        Command::Build(args) => build_command::build(args),
        Command::Lookup(args) => commands::lookup(args),
        Command::Inspect(args) => commands::inspect(args),
        Command::Eval(args) => eval_command::eval(args),
        Command::Calibrate(args) => calibrate_command::calibrate(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => {
            // `gazetteer resolve … | head`: the reader has what it wanted.
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io_kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(serde_json::Error::io_error_kind)
            });
        io_kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// glibc malloc cost ~15% of the CPU of a resolve call in server profiles
/// (malloc_consolidate across tokio threads); mimalloc does not.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
