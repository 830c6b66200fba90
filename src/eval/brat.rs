//! brat standoff, as NEREL publishes it: `NNN.txt` + `NNN.ann` pairs in a
//! directory. `T` lines are entities (`T4\tCITY 28 38\tВашингтоне`,
//! discontinuous `a b;c d` taken from the first start to the last end),
//! `N` lines link them (`N1\tReference T4 Wikidata:Q61\t…`). Other lines
//! (relations, attributes, notes) are ignored.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::{
    anchor, char_slice, io_error, parse_error, Corpus, EvalDocument, EvalError, GoldKind,
    GoldMention, ReadStats,
};

/// The kind of a brat entity type.
pub fn brat_kind(label: &str) -> GoldKind {
    match label {
        "PERSON" | "PER" => GoldKind::Person,
        "CITY" | "COUNTRY" | "STATE_OR_PROV" | "STATE_OR_PROVINCE" | "LOCATION" | "LOC"
        | "DISTRICT" | "GPE" => GoldKind::Place,
        "ORGANIZATION" | "ORGANISATION" | "ORG" => GoldKind::Organization,
        _ => GoldKind::Other,
    }
}

/// Reads every `.ann`/`.txt` pair of a directory (sorted by name), or the
/// one pair when `path` is an `.ann` or `.txt` file.
pub fn read_brat_dir(path: &Path) -> Result<Corpus, EvalError> {
    let mut anns: Vec<PathBuf> = if path.is_dir() {
        std::fs::read_dir(path)
            .map_err(|e| io_error(path, e))?
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "ann"))
            .collect()
    } else {
        vec![path.with_extension("ann")]
    };
    anns.sort();
    let mut corpus = Corpus::default();
    for ann_path in anns {
        let txt_path = ann_path.with_extension("txt");
        let text = std::fs::read_to_string(&txt_path).map_err(|e| io_error(&txt_path, e))?;
        let ann = std::fs::read_to_string(&ann_path).map_err(|e| io_error(&ann_path, e))?;
        let id = ann_path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let doc = parse_brat(
            &id,
            text,
            &ann,
            &ann_path.display().to_string(),
            &mut corpus.stats,
        )?;
        corpus.documents.push(doc);
    }
    Ok(corpus)
}

/// Parses one document from its text and its `.ann` content; `label`
/// names the file in errors.
pub fn parse_brat(
    id: &str,
    text: String,
    ann: &str,
    label: &str,
    stats: &mut ReadStats,
) -> Result<EvalDocument, EvalError> {
    let chars: Vec<char> = text.chars().collect();
    // T id → (type, start, end, surface, discontinuous)
    let mut entities: Vec<(String, String, usize, usize, String, bool)> = Vec::new();
    let mut links: HashMap<String, Vec<String>> = HashMap::new();
    for (n, line) in ann.lines().enumerate() {
        let at = || format!("{label}:{}", n + 1);
        let mut fields = line.splitn(3, '\t');
        let tag = fields.next().unwrap_or_default();
        let body = fields.next().unwrap_or_default();
        let rest = fields.next().unwrap_or_default();
        if tag.starts_with('T') {
            let (ty, ranges) = body
                .split_once(' ')
                .ok_or_else(|| parse_error(at(), format!("bad entity line {line:?}")))?;
            let mut bounds = Vec::new();
            for range in ranges.split(';') {
                let (a, b) = range
                    .trim()
                    .split_once(' ')
                    .ok_or_else(|| parse_error(at(), format!("bad span {range:?}")))?;
                let parse = |s: &str| {
                    s.trim()
                        .parse::<usize>()
                        .map_err(|_| parse_error(at(), format!("bad offset {s:?}")))
                };
                bounds.push((parse(a)?, parse(b)?));
            }
            let start = bounds.iter().map(|b| b.0).min().unwrap_or(0);
            let end = bounds.iter().map(|b| b.1).max().unwrap_or(0);
            entities.push((
                tag.to_string(),
                ty.to_string(),
                start,
                end,
                rest.to_string(),
                bounds.len() > 1,
            ));
        } else if tag.starts_with('N') {
            // "Reference T4 Wikidata:Q61"
            let parts: Vec<&str> = body.split_whitespace().collect();
            if parts.len() >= 3 {
                let target = parts[1];
                if let Some((db, key)) = parts[2].split_once(':') {
                    let key = key.trim();
                    let known = !key.is_empty()
                        && !key.eq_ignore_ascii_case("NULL")
                        && !key.eq_ignore_ascii_case("NIL");
                    if known {
                        let id = format!("{}:{key}", db.to_lowercase());
                        let ids = links.entry(target.to_string()).or_default();
                        if !ids.contains(&id) {
                            ids.push(id);
                        }
                    }
                }
            }
        }
    }
    let mut gold = Vec::new();
    for (tid, ty, start, end, surface, discontinuous) in entities {
        let (start, end, surface) = if discontinuous {
            stats.discontinuous += 1;
            if end > chars.len() {
                stats.unanchored += 1;
                continue;
            }
            (start, end, char_slice(&text, start, end))
        } else {
            match anchor(&chars, start, end, &surface, stats) {
                Some((s, e)) => (s, e, surface),
                None => continue,
            }
        };
        gold.push(GoldMention {
            start,
            end,
            surface,
            kind: brat_kind(&ty),
            label: Some(ty),
            ids: links.remove(&tid).unwrap_or_default(),
            coordinates: None,
        });
    }
    gold.sort_by_key(|g| (g.start, g.end));
    Ok(EvalDocument {
        id: id.to_string(),
        text,
        gold,
        eval_span: None,
    })
}
