//! Document context: places that name their country unambiguously vote for
//! it, and ambiguous names lean towards the countries the document is
//! about (`Paris` in a story about Texas towns, `Dublin` beside `Ohio`).

use std::collections::HashMap;

use crate::index::{FeatureClass, Index, IndexError};

/// Share of a mention's score its best entity must hold to vote.
const VOTER_SHARE: f64 = 0.8;
/// How much one vote multiplies a candidate's weight, on top of 1.
const VOTE_BOOST: f64 = 3.0;

/// A mention's ranked candidates: (entity, name_ref, score), best first.
pub(crate) type Ranked<'a> = &'a mut Vec<(u32, u32, crate::entity::NameKind, f64)>;

/// Re-ranks ambiguous mentions by the countries the unambiguous ones name.
/// Scores keep their sum, so a mention's confidence is unchanged; only its
/// split between candidates moves.
pub(crate) fn rerank_by_country(
    index: &Index,
    mentions: &mut [Ranked<'_>],
) -> Result<(), IndexError> {
    let mut country_of: HashMap<u32, Option<String>> = HashMap::new();
    let mut country = |entity: u32| -> Result<Option<String>, IndexError> {
        if let Some(known) = country_of.get(&entity) {
            return Ok(known.clone());
        }
        let code = index.entity_shared(entity)?.country_code.clone();
        country_of.insert(entity, code.clone());
        Ok(code)
    };

    // One vote per confident mention for the country of its entity.
    let mut votes: HashMap<String, f64> = HashMap::new();
    let mut voted: Vec<Option<String>> = Vec::with_capacity(mentions.len());
    for ranked in mentions.iter() {
        let total: f64 = ranked.iter().map(|r| r.3).sum();
        let best = ranked[0];
        let vote = if total > 0.0 && best.3 / total >= VOTER_SHARE {
            country(best.0)?
        } else {
            None
        };
        if let Some(code) = &vote {
            *votes.entry(code.clone()).or_default() += 1.0;
        }
        voted.push(vote);
    }
    if votes.is_empty() {
        return Ok(());
    }

    for (ranked, own_vote) in mentions.iter_mut().zip(voted) {
        if ranked.len() < 2 {
            continue;
        }
        let total: f64 = ranked.iter().map(|r| r.3).sum();
        let mut boosted = 0.0;
        for r in ranked.iter_mut() {
            let mut v = match country(r.0)? {
                Some(code) => votes.get(&code).copied().unwrap_or(0.0),
                None => 0.0,
            };
            // A mention does not vote for itself.
            if own_vote.is_some() && own_vote == country(r.0)? {
                v -= 1.0;
            }
            // Countries and continents are what others point at, not what
            // needs pointing at.
            if index.feature_class(r.0) >= FeatureClass::Country {
                v = 0.0;
            }
            r.3 *= 1.0 + VOTE_BOOST * v.max(0.0);
            boosted += r.3;
        }
        if boosted > 0.0 {
            for r in ranked.iter_mut() {
                r.3 *= total / boosted;
            }
        }
        ranked.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
    }
    Ok(())
}
