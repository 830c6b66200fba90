//! Demonyms (`Iranian`, `Iranians`, `South Koreans`), matched only when a
//! call asks for them (`ResolveOptions::include_demonyms`).
//!
//! The index keeps demonyms in their own FST
//! ([`DEMONYMS_FST`](crate::index::DEMONYMS_FST)), so the name matcher never
//! meets them and a call without the option behaves exactly as if there were
//! none. This pass runs after the matcher: it finds demonyms leftmost-longest
//! over the same tokens, scores them like alternate names, and merges them
//! into the matcher's mentions under the overlap policy.

use unicode_script::{Script, UnicodeScript};

use crate::entity::{EntityKind, NameKind};
use crate::index::{Index, IndexError};
use crate::text::{name_key_into, tokenize, OffsetConverter, KEY_SEPARATOR};

use super::inflection::russian_adjective_lemmas;
use super::rank::{match_confidence, prior_weight};
use super::{Candidate, MatchKind, Mention, OverlapPolicy, ResolveOptions, Span};

/// Most words in one demonym (`Papua New Guinean`, `Saint Vincentian`).
const MAX_DEMONYM_TOKENS: usize = 4;

/// Drops the matcher's mentions whose whole surface is a demonym: read as
/// a name, `German` is a parish on the Isle of Man and `Thai` a town in
/// Malaysia, and where another source lists a demonym as a name of its own
/// country (`Israeli`) it is a demonym all the same, which only
/// [`ResolveOptions::include_demonyms`] asks for (and then the demonym
/// pass reports it, as a demonym).
/// A person stays: `Finn` the surname is no demonym.
pub(crate) fn drop_demonym_names(index: &Index, mentions: &mut Vec<Mention>) {
    // One buffer for the keys, which most surfaces need no tokenising for.
    let mut key = String::new();
    mentions.retain(|m| {
        m.entity.kind == EntityKind::Person
            || !m.surface.chars().next().is_some_and(char::is_uppercase)
            || !name_key_into(&m.surface, &mut key)
            || !index.is_demonym(&key)
    });
}

/// Finds the demonyms of `text` and merges them into `mentions` (sorted by
/// span, as the matcher returns them). Under [`OverlapPolicy::Longest`] a
/// demonym that overlaps a name found by the matcher is kept only when it is
/// longer (`South Korean` over a `South` of some other place), and then
/// replaces the names it overlaps.
pub(crate) fn add_demonyms(
    index: &Index,
    text: &str,
    options: &ResolveOptions,
    mentions: &mut Vec<Mention>,
) -> Result<(), IndexError> {
    let found = find(index, text, options)?;
    if found.is_empty() {
        return Ok(());
    }
    for demonym in found {
        let overlaps = |m: &Mention| {
            m.span.byte_start < demonym.span.byte_end && demonym.span.byte_start < m.span.byte_end
        };
        if options.overlap == OverlapPolicy::Longest {
            let longer = mentions.iter().filter(|m| overlaps(m)).all(|m| {
                demonym.span.byte_end - demonym.span.byte_start
                    > m.span.byte_end - m.span.byte_start
            });
            if !longer {
                continue;
            }
            mentions.retain(|m| !overlaps(m));
        }
        mentions.push(demonym);
    }
    mentions.sort_by_key(|m| (m.span.byte_start, m.span.byte_end));
    Ok(())
}

/// Demonyms of `text`, leftmost-longest. A demonym in a script with
/// case must start with a capital letter (`iranian` is never one), except
/// in Cyrillic, where adjectives and words for people are written in
/// lowercase (`британской`, `иранец`); the last Cyrillic word may also be
/// an inflected form of a listed Russian adjective (`нью-йоркском`).
fn find(index: &Index, text: &str, options: &ResolveOptions) -> Result<Vec<Mention>, IndexError> {
    let tokens = tokenize(text);
    let mut converter = OffsetConverter::new(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let first = tokens.surface(i).chars().next();
        let cyrillic = first.is_some_and(|c| !c.is_ascii() && c.script() == Script::Cyrillic);
        if !cyrillic && !first.is_some_and(char::is_uppercase) {
            i += 1;
            continue;
        }
        let mut key = String::new();
        let mut longest = None;
        for j in i..tokens.len().min(i + MAX_DEMONYM_TOKENS) {
            if j > i {
                if !tokens.can_join(j) {
                    break;
                }
                if !tokens.is_tight(j) {
                    key.push(KEY_SEPARATOR as char);
                }
            }
            let words_before = key.len();
            key.push_str(tokens.normalized(j));
            let hits = wanted_demonyms(index, &key, options);
            if !hits.is_empty() {
                longest = Some((j, key.clone(), hits));
            } else if cyrillic {
                // The last word may be an inflected Russian adjective
                // (`британской`, `нью-йоркском`).
                let inflected = russian_adjective_lemmas(tokens.normalized(j))
                    .into_iter()
                    .map(|lemma| {
                        let lemma_key = format!("{}{lemma}", &key[..words_before]);
                        let hits = wanted_demonyms(index, &lemma_key, options);
                        (j, lemma_key, hits)
                    })
                    .find(|(_, _, hits)| !hits.is_empty());
                if inflected.is_some() {
                    longest = inflected;
                }
            }
        }
        let Some((last, key, hits)) = longest else {
            i += 1;
            continue;
        };
        let (byte_start, byte_end) = (tokens.token(i).start, tokens.token(last).end);
        if let Some(mention) = score(
            index,
            text,
            &mut converter,
            (byte_start, byte_end),
            &key,
            &hits,
            options,
        )? {
            found.push(mention);
        }
        i = last + 1;
    }
    Ok(found)
}

/// The entities of the kinds the call wants whose demonym has key `key`.
fn wanted_demonyms(index: &Index, key: &str, options: &ResolveOptions) -> Vec<(u32, u32)> {
    index
        .demonyms(key)
        .into_iter()
        .filter(|&(entity, _)| kind_wanted(index, entity, options))
        .collect()
}

fn kind_wanted(index: &Index, entity: u32, options: &ResolveOptions) -> bool {
    options.kinds.is_empty()
        || index
            .entity_kind(entity)
            .is_some_and(|kind: EntityKind| options.kinds.contains(&kind))
}

/// Ranks the entities of one demonym as alternate names rank (a demonym is
/// listed, like an alias) and builds the mention; `None` below `min_score`.
fn score(
    index: &Index,
    text: &str,
    converter: &mut OffsetConverter<'_>,
    (byte_start, byte_end): (usize, usize),
    key: &str,
    hits: &[(u32, u32)],
    options: &ResolveOptions,
) -> Result<Option<Mention>, IndexError> {
    let mut ranked: Vec<(u32, u32, f64)> = hits
        .iter()
        .map(|&(entity, name_ref)| {
            (
                entity,
                name_ref,
                prior_weight(index, entity, NameKind::Alias),
            )
        })
        .collect();
    let total: f64 = ranked.iter().map(|r| r.2).sum();
    let confidence = match_confidence(key.chars(), false);
    for r in &mut ranked {
        r.2 = if total > 0.0 {
            confidence * r.2 / total
        } else {
            0.0
        };
    }
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let (best, name_ref, score) = ranked[0];
    if score < options.min_score {
        return Ok(None);
    }
    let mut candidates = Vec::new();
    for &(entity, name_ref, score) in ranked.iter().skip(1).take(options.max_candidates) {
        candidates.push(Candidate {
            entity: index.entity_shared(entity)?,
            score,
            matched_name: index.name(name_ref).to_string(),
        });
    }
    Ok(Some(Mention {
        span: Span::of_bytes(converter, byte_start, byte_end),
        surface: text[byte_start..byte_end].to_string(),
        entity: index.entity_shared(best)?,
        score,
        match_kind: MatchKind::Demonym,
        matched_name: index.name(name_ref).to_string(),
        candidates,
    }))
}
