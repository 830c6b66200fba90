//! Document context: places that name their country unambiguously vote for
//! it, and ambiguous names lean towards the countries the document is
//! about (`Alexandria` beside `Virginia` and `Ohio`).

use crate::entity::NameKind;
use crate::index::{FeatureClass, Index};

/// Share of a mention's score its best entity must hold to vote.
const VOTER_SHARE: f64 = 0.8;
/// How much one vote multiplies a candidate's weight, on top of 1.
const VOTE_BOOST: f64 = 3.0;

/// A mention's ranked candidates: (entity, name_ref, name kind, score),
/// best first.
pub(crate) type Ranked = Vec<(u32, u32, NameKind, f64)>;

/// Re-ranks ambiguous mentions by the countries the confident ones name.
/// Scores keep their sum, so a mention's confidence is unchanged; only its
/// split between candidates moves.
pub(crate) fn rerank_by_country(index: &Index, mentions: &mut [&mut Ranked]) {
    // One vote per confident mention for the country of its entity.
    // Few countries per document: a short list beats hashing.
    let mut votes: Vec<([u8; 2], f64)> = Vec::new();
    let mut voted: Vec<Option<[u8; 2]>> = Vec::with_capacity(mentions.len());
    for ranked in mentions.iter() {
        let total: f64 = ranked.iter().map(|r| r.3).sum();
        let best = ranked[0];
        let vote = if total > 0.0 && best.3 / total >= VOTER_SHARE {
            index.country(best.0)
        } else {
            None
        };
        if let Some(code) = vote {
            match votes.iter_mut().find(|(c, _)| *c == code) {
                Some((_, n)) => *n += 1.0,
                None => votes.push((code, 1.0)),
            }
        }
        voted.push(vote);
    }
    if votes.is_empty() {
        return;
    }

    for (ranked, own_vote) in mentions.iter_mut().zip(voted) {
        if ranked.len() < 2 {
            continue;
        }
        let total: f64 = ranked.iter().map(|r| r.3).sum();
        let mut boosted = 0.0;
        for r in ranked.iter_mut() {
            let country = index.country(r.0);
            let mut v = country
                .and_then(|c| votes.iter().find(|(code, _)| *code == c))
                .map_or(0.0, |(_, n)| *n);
            // A mention does not vote for itself.
            if own_vote.is_some() && own_vote == country {
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
}
