//! ELEVANT benchmark JSON Lines: one document per line,
//! `{id, title, text, evaluation_span?, labels: [{span: [s, e], entity_id:
//! "Q…" | "<NIL>", name, type: "Q5|…"}]}`. Spans are code points.
//!
//! ELEVANT annotates coreferring pronouns and descriptions (`he`,
//! `the company`) with the entity too; a gazetteer finds names, so such
//! labels are left out and counted. Labels outside `evaluation_span` are
//! dropped, and predictions there are ignored.

use std::path::Path;

use serde::Deserialize;

use super::{io_error, parse_error, Corpus, EvalDocument, EvalError, GoldKind, GoldMention};

#[derive(Deserialize)]
struct Doc {
    id: serde_json::Value,
    text: String,
    #[serde(default)]
    evaluation_span: Option<(usize, usize)>,
    #[serde(default)]
    labels: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    span: (usize, usize),
    #[serde(default)]
    entity_id: Option<String>,
    #[serde(default, rename = "type")]
    ty: Option<String>,
}

/// The kind of an ELEVANT `type` (Wikidata type QIDs joined by `|`).
pub fn elevant_kind(ty: &str) -> GoldKind {
    let has = |q: &str| ty.split('|').any(|t| t.trim() == q);
    if has("Q5") || has("Q215627") {
        GoldKind::Person
    } else if has("Q27096213") {
        GoldKind::Place
    } else if has("Q43229") {
        GoldKind::Organization
    } else {
        GoldKind::Other
    }
}

const PRONOUNS: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "you",
    "your",
    "yours",
    "yourself",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
    "this",
    "that",
    "these",
    "those",
    "who",
    "whom",
    "whose",
];

const DETERMINERS: &[&str] = &[
    "the ", "a ", "an ", "his ", "her ", "its ", "their ", "our ", "my ", "your ", "this ", "that ",
];

/// Whether a labelled surface is a coreference (a pronoun or a lowercase
/// description such as `the company`) rather than a name.
pub fn is_coreference(surface: &str) -> bool {
    let lower = surface.to_lowercase();
    PRONOUNS.contains(&lower.as_str()) || DETERMINERS.iter().any(|d| surface.starts_with(d))
}

/// Reads an ELEVANT JSON Lines file.
pub fn read_elevant(path: &Path) -> Result<Corpus, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    parse_elevant(&text, &path.display().to_string())
}

/// Parses ELEVANT JSON Lines text; `label` names it in errors.
pub fn parse_elevant(jsonl: &str, label: &str) -> Result<Corpus, EvalError> {
    let mut corpus = Corpus::default();
    for (n, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let doc: Doc = serde_json::from_str(line)
            .map_err(|e| parse_error(format!("{label}:{}", n + 1), e.to_string()))?;
        let chars: Vec<char> = doc.text.chars().collect();
        let mut gold = Vec::new();
        for l in doc.labels {
            let (start, end) = l.span;
            if start >= end || end > chars.len() {
                corpus.stats.unanchored += 1;
                continue;
            }
            if let Some((es, ee)) = doc.evaluation_span {
                if start < es || end > ee {
                    corpus.stats.outside_eval_span += 1;
                    continue;
                }
            }
            let surface: String = chars[start..end].iter().collect();
            if is_coreference(&surface) {
                corpus.stats.coreference_skipped += 1;
                continue;
            }
            let ids = match l.entity_id.as_deref().map(str::trim) {
                Some(q) if q.starts_with('Q') && q.len() > 1 => vec![format!("wikidata:{q}")],
                _ => Vec::new(),
            };
            gold.push(GoldMention {
                start,
                end,
                surface,
                kind: elevant_kind(l.ty.as_deref().unwrap_or("")),
                label: None,
                ids,
                coordinates: None,
            });
        }
        gold.sort_by_key(|g| (g.start, g.end));
        let id = match doc.id {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        };
        corpus.documents.push(EvalDocument {
            id,
            text: doc.text,
            gold,
            eval_span: doc.evaluation_span,
        });
    }
    Ok(corpus)
}
