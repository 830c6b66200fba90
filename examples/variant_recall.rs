//! Variant recall: how many unlisted spellings of the default gazetteer's
//! cities reach the right city.
//!
//! From every city of `data/default/cities.jsonl`, one Latin alternate name
//! is held out when it is a spelling variant of another Latin name the
//! city keeps (one or two letters changed, added or dropped: `Jerevan`
//! beside `Yerevan`), and no other entity has it. The index is built
//! without the held-out names; each is then resolved inside a sentence,
//! alone and followed by its country, with variant matching on and off.
//!
//! ```sh
//! cargo run --release --example variant_recall
//! ```

use std::collections::{HashMap, HashSet};
use std::path::Path;

use gazetteer::entity::EntityRecord;
use gazetteer::index::{BuildSource, Index, IndexBuilder};
use gazetteer::ingest::read_jsonl_file;
use gazetteer::resolve::{resolve, ResolveOptions};
use gazetteer::text::name_key;

/// One held-out spelling.
struct HeldOut {
    city: String,
    spelling: String,
    /// The kept name it is a variant of.
    near: String,
    country: String,
}

fn is_plain_latin_key(key: &str) -> bool {
    key.bytes().all(|b| b.is_ascii_lowercase() || b == b' ')
}

fn main() -> anyhow::Result<()> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/default");
    let mut sources: Vec<(String, Vec<EntityRecord>)> = Vec::new();
    for file in [
        "continents.jsonl",
        "countries.jsonl",
        "regions.jsonl",
        "cities.jsonl",
        "people.jsonl",
    ] {
        let path = data.join(file);
        if path.exists() {
            sources.push((file.to_string(), read_jsonl_file(&path)?));
        }
    }

    // Which entities list each key, to hold out only unambiguous spellings.
    let mut owners: HashMap<String, HashSet<String>> = HashMap::new();
    for (_, records) in &sources {
        for record in records {
            for name in &record.names {
                if let Some(key) = name_key(&name.text) {
                    owners
                        .entry(key)
                        .or_default()
                        .insert(record.entity.id.clone());
                }
            }
        }
    }
    let country_names: HashMap<String, String> = sources
        .iter()
        .filter(|(file, _)| file == "countries.jsonl")
        .flat_map(|(_, records)| records)
        .filter_map(|r| Some((r.entity.country_code.clone()?, r.entity.name.clone())))
        .collect();

    let mut held_out = Vec::new();
    let mut removed: HashSet<(String, String)> = HashSet::new();
    for (file, records) in &mut sources {
        if file != "cities.jsonl" {
            continue;
        }
        for record in records.iter_mut() {
            let keys: Vec<Option<String>> =
                record.names.iter().map(|n| name_key(&n.text)).collect();
            let choice = record.names.iter().enumerate().skip(1).find_map(|(i, n)| {
                let key = keys[i].as_deref()?;
                if key.len() < 5
                    || !is_plain_latin_key(key)
                    || owners.get(key).is_some_and(|o| o.len() > 1)
                {
                    return None;
                }
                let near = keys.iter().enumerate().find(|(j, other)| {
                    other.as_deref().is_some_and(|other| {
                        *j != i
                            && other != key
                            && is_plain_latin_key(other)
                            && strsim::levenshtein(key, other) <= 2
                    })
                })?;
                Some((
                    n.text.clone(),
                    key.to_string(),
                    record.names[near.0].text.clone(),
                ))
            });
            let Some((spelling, key, near)) = choice else {
                continue;
            };
            let Some(country) = record
                .entity
                .country_code
                .as_ref()
                .and_then(|c| country_names.get(c))
            else {
                continue;
            };
            record
                .names
                .retain(|n| name_key(&n.text).as_deref() != Some(key.as_str()));
            removed.insert((record.entity.id.clone(), key));
            held_out.push(HeldOut {
                city: record.entity.id.clone(),
                spelling,
                near,
                country: country.clone(),
            });
        }
    }

    // `VARIANT_ONLY=Name1,Name2` keeps only those spellings and prints
    // every mention found for them.
    let only: Vec<String> = std::env::var("VARIANT_ONLY")
        .map(|v| v.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    if !only.is_empty() {
        held_out.retain(|h| only.contains(&h.spelling));
    }

    // `VARIANT_RIGHT=1` lists the right answers too, with `VARIANT_EXAMPLES`.
    let show_right = std::env::var_os("VARIANT_RIGHT").is_some();

    let mut builder = IndexBuilder::new();
    for (name, records) in sources {
        builder.add_source(BuildSource {
            name,
            sha256: String::new(),
            records,
        })?;
    }
    let index = Index::from_files(builder.finish(String::new())?, "variant-recall")?;

    println!(
        "{} held-out spellings of {} cities",
        held_out.len(),
        removed.len()
    );
    println!(
        "| sentence | matching | right | wrong entity | not found | recall | right among answers |"
    );
    println!("|---|---|---:|---:|---:|---:|---:|");
    for with_country in [false, true] {
        for listed_only in [true, false] {
            let options = ResolveOptions {
                listed_spellings_only: listed_only,
                ..ResolveOptions::default()
            };
            let (mut right, mut wrong, mut missed) = (0usize, 0usize, 0usize);
            let mut examples = Vec::new();
            for h in &held_out {
                let prefix = "Officials said talks in ";
                let text = if with_country {
                    format!(
                        "{prefix}{}, {}, would resume next week.",
                        h.spelling, h.country
                    )
                } else {
                    format!("{prefix}{} would resume next week.", h.spelling)
                };
                let span = (prefix.len(), prefix.len() + h.spelling.len());
                let mentions = resolve(&index, &text, &options)?;
                if !only.is_empty() {
                    eprintln!("{text}");
                    for m in &mentions {
                        eprintln!(
                            "  {:?} → {} {} via {:?} {:?} {:.2}",
                            m.surface,
                            m.entity.id,
                            m.entity.name,
                            m.matched_name,
                            m.match_kind,
                            m.score
                        );
                    }
                }
                match mentions
                    .iter()
                    .find(|m| (m.span.byte_start, m.span.byte_end) == span)
                {
                    Some(m) if m.entity.id == h.city => {
                        right += 1;
                        if show_right {
                            examples.push(format!(
                                "  right: {} ({}) via {:?} {:?}",
                                h.spelling, h.city, m.matched_name, m.match_kind
                            ));
                        }
                    }
                    Some(m) => {
                        wrong += 1;
                        examples.push(format!(
                            "  wrong: {} ({}) → {} {} via {:?} {:?}",
                            h.spelling,
                            h.city,
                            m.entity.id,
                            m.entity.name,
                            m.matched_name,
                            m.match_kind
                        ));
                    }
                    None => {
                        missed += 1;
                        examples.push(format!(
                            "  missed: {} ({}) near {:?}",
                            h.spelling, h.city, h.near
                        ));
                    }
                }
            }
            let total = held_out.len().max(1) as f64;
            let answered = (right + wrong).max(1) as f64;
            println!(
                "| {} | {} | {right} | {wrong} | {missed} | {:.1} % | {:.1} % |",
                if with_country {
                    "`in {name}, {country},`"
                } else {
                    "`in {name}`"
                },
                if listed_only {
                    "listed spellings only"
                } else {
                    "with variants"
                },
                100.0 * right as f64 / total,
                100.0 * right as f64 / answered,
            );
            // `VARIANT_EXAMPLES=N` prints N misses and wrong answers.
            let show: usize = std::env::var("VARIANT_EXAMPLES")
                .ok()
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            if show > 0 {
                eprintln!("# with_country={with_country} listed_only={listed_only}");
            }
            for example in examples
                .iter()
                .step_by((examples.len() / show.max(1)).max(1))
                .take(show)
            {
                eprintln!("{example}");
            }
        }
    }
    Ok(())
}
