//! `gazetteer build`: reads every source, merges the records that stand for
//! the same entity, and writes the index.
//!
//! Order: every input is opened first, so a wrong path fails before the
//! long passes. JSON Lines files are read into memory; GeoNames reads its
//! small files and validates its main file, which tells which places it
//! will emit; the Wikidata dump is streamed, holding back only the items
//! whose GeoNames ID is such a place, or whose QID such a place lists in
//! its `wkdt` alternate names; then GeoNames streams its records,
//! each absorbing the held JSON Lines records and Wikidata items of its
//! place. Nothing is written until the index is complete, and then into a
//! temporary directory renamed over `--out`.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::Context;
use gazetteer::entity::EntityRecord;
use gazetteer::index::{BuildSource, IndexBuilder, SourceInfo};
use gazetteer::ingest::{
    geonames_id_of, merge_record, GeonamesFiles, GeonamesFilter, GeonamesImport, GeonamesOptions,
    IngestError, SkipReporter, WikidataImport, WikidataOptions, WIKIDATA_SCHEME,
};
use indicatif::{ProgressBar, ProgressStyle};

use crate::BuildArgs;

/// Malformed rows reported one by one before the rest only count.
const REPORTED_SKIPS: u64 = 100;

/// JSON Lines records held in memory: `(file index, record index)`.
type JsonlRef = (usize, usize);

pub fn build(args: BuildArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut builder = IndexBuilder::new();
    let bar = progress_bar();
    let wikidata = args
        .wikidata
        .as_deref()
        .map(|path| {
            WikidataImport::open(
                path,
                WikidataOptions {
                    strict: args.strict,
                },
                skip_reporter(bar.clone()),
            )
        })
        .transpose()?;

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
    let mut jsonl_by_geonames_id: HashMap<u32, Vec<JsonlRef>> = HashMap::new();
    let mut jsonl_by_qid: HashMap<String, JsonlRef> = HashMap::new();
    for (s, (_, _, records)) in jsonl.iter().enumerate() {
        for (r, record) in records.iter().enumerate() {
            let Some(record) = record else { continue };
            if let Some(id) = geonames_id_of(record) {
                jsonl_by_geonames_id.entry(id).or_default().push((s, r));
            }
            if let Some(qid) = wikidata_id_of(record) {
                jsonl_by_qid.entry(qid.to_string()).or_insert((s, r));
            }
        }
    }

    let geonames = match &args.geonames {
        Some(main) => {
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
            Some(GeonamesImport::open(
                &files,
                options,
                skip_reporter(bar.clone()),
            )?)
        }
        None => None,
    };

    // Wikidata items of places GeoNames will emit, waiting to merge.
    let mut wikidata_by_geonames_id: HashMap<u32, Vec<EntityRecord>> = HashMap::new();
    let mut merged_into_jsonl = 0u64;
    if let Some(mut import) = wikidata {
        let label = file_label(&import.stats().file.path);
        if let Some(total) = import.total_bytes() {
            bar.set_length(total);
        }
        bar.set_message(label.clone());
        let mut count = 0u64;
        while let Some(record) = import.next() {
            let record = record?;
            count += 1;
            if count % 1024 == 0 {
                bar.set_position(import.bytes_read());
            }
            let held_by_geonames = geonames.as_ref().and_then(|g| {
                // The item's GeoNames ID, else the place GeoNames gives its QID.
                geonames_id_of(&record)
                    .filter(|id| g.keeps(*id))
                    .or_else(|| {
                        wikidata_id_of(&record)
                            .and_then(|q| q.strip_prefix('Q')?.parse().ok())
                            .and_then(|q| g.geonames_id_of_wikidata(q))
                    })
            });
            if let Some(id) = held_by_geonames {
                wikidata_by_geonames_id.entry(id).or_default().push(record);
            } else if let Some(&(s, r)) = wikidata_id_of(&record).and_then(|q| jsonl_by_qid.get(q))
            {
                if let Some(into) = jsonl[s].2[r].as_mut() {
                    merge_record(into, record);
                    merged_into_jsonl += 1;
                }
            } else {
                builder.add_streamed_record(&label, record)?;
            }
        }
        bar.finish_and_clear();
        let stats = import.stats();
        builder.add_source_info(SourceInfo {
            name: label,
            records: stats.entities_total(),
            sha256: stats.file.sha256.clone(),
        });
        for line in stats.summary_lines() {
            eprintln!("{line}");
        }
    }

    let mut merged_jsonl = 0u64;
    let mut merged_wikidata = 0u64;
    if let Some(mut import) = geonames {
        let label = file_label(&import.stats().main.path);
        for record in &mut import {
            let mut record = record?;
            if let Some(id) = geonames_id_of(&record) {
                for (s, r) in jsonl_by_geonames_id.remove(&id).unwrap_or_default() {
                    if let Some(other) = jsonl[s].2[r].take() {
                        merge_record(&mut record, other);
                        merged_jsonl += 1;
                    }
                }
                for other in wikidata_by_geonames_id.remove(&id).unwrap_or_default() {
                    merge_record(&mut record, other);
                    merged_wikidata += 1;
                }
            }
            builder.add_streamed_record(&label, record)?;
        }
        let stats = import.stats();
        builder.add_source_info(SourceInfo {
            name: label,
            records: stats.entities,
            sha256: stats.main.sha256.clone(),
        });
        for file in stats.files().skip(1) {
            builder.add_source_info(SourceInfo {
                name: file_label(&file.path),
                records: file.rows,
                sha256: file.sha256.clone(),
            });
        }
        for line in stats.summary_lines() {
            eprintln!("{line}");
        }
    }
    // Items whose GeoNames place did not come (a repeated geonameid) stand
    // on their own.
    let unmerged: Vec<EntityRecord> = wikidata_by_geonames_id.into_values().flatten().collect();
    if !unmerged.is_empty() {
        eprintln!(
            "{} Wikidata items kept apart: their GeoNames place was not emitted",
            unmerged.len()
        );
        for record in unmerged {
            builder.add_streamed_record("wikidata", record)?;
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
    if merged_jsonl > 0 {
        eprintln!("{merged_jsonl} JSON Lines records merged into GeoNames places");
    }
    if merged_wikidata > 0 {
        eprintln!("{merged_wikidata} Wikidata items merged into GeoNames places");
    }
    if merged_into_jsonl > 0 {
        eprintln!("{merged_into_jsonl} Wikidata items merged into JSON Lines records");
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

/// The record's Wikidata QID (`Q3616`): its own ID or an external ID.
fn wikidata_id_of(record: &EntityRecord) -> Option<&str> {
    record
        .entity
        .id
        .strip_prefix(WIKIDATA_SCHEME)
        .and_then(|rest| rest.strip_prefix(':'))
        .or_else(|| {
            record
                .entity
                .external_ids
                .iter()
                .find(|e| e.scheme == WIKIDATA_SCHEME)
                .map(|e| e.id.as_str())
        })
}

/// Bytes read of a streamed input, drawn only when stderr is a terminal.
fn progress_bar() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "{msg} {wide_bar} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Prints the first malformed rows (file, line, reason) above the progress
/// bar; the summary counts the rest.
fn skip_reporter(bar: ProgressBar) -> SkipReporter {
    let mut reported = 0u64;
    Box::new(move |e: &IngestError| {
        reported += 1;
        if reported <= REPORTED_SKIPS {
            bar.suspend(|| eprintln!("warning: skipped {e}"));
        } else if reported == REPORTED_SKIPS + 1 {
            bar.suspend(|| eprintln!("warning: more malformed rows skipped; see the summary"));
        }
    })
}

fn file_label(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
