//! Document context: places that name their country or first-level region
//! unambiguously vote for it, and ambiguous names lean towards the
//! countries and regions the document is about (`Alexandria` beside
//! `Virginia` and `Ohio`, `Springfield` beside `Illinois` or `Chicago`).
//! Before the votes, `City, Region` and `City (Country)` pairs settle
//! both names ([`super::patterns`]); settled names vote too.

use std::num::NonZeroU32;

use super::patterns::settle_containment_pairs;
use crate::entity::NameKind;
use crate::index::{FeatureClass, Index};

/// Share of a mention's score its best entity must hold to vote.
const VOTER_SHARE: f64 = 0.8;
/// How much one vote for a candidate's country multiplies its weight, on
/// top of 1.
const VOTE_BOOST: f64 = 3.0;
/// How much one vote for a candidate's first-level region multiplies its
/// weight, on top of 1 (and of the country's vote, which the region's
/// mention casts too). A region is a far narrower hint than a country.
const REGION_VOTE_BOOST: f64 = 10.0;

/// A mention's ranked candidates: (entity, name_ref, name kind, score),
/// best first.
pub(crate) type Ranked = Vec<(u32, u32, NameKind, f64)>;

/// What one confident mention votes for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Vote {
    country: Option<[u8; 2]>,
    region: Option<NonZeroU32>,
}

/// Votes by country and by first-level region, tallied per voter `V`:
/// the whole document (`()`) or the mentions of one surface (the first
/// mention's number). Few per document: short lists beat hashing, and
/// one list for all surfaces spares a pair of lists per surface.
#[derive(Debug)]
struct Votes<V> {
    countries: Vec<((V, [u8; 2]), f64)>,
    regions: Vec<((V, NonZeroU32), f64)>,
}

impl<V: Copy + PartialEq> Votes<V> {
    fn new() -> Self {
        Self {
            countries: Vec::new(),
            regions: Vec::new(),
        }
    }

    fn add(&mut self, voter: V, vote: Vote) {
        if let Some(code) = vote.country {
            add_one(&mut self.countries, (voter, code));
        }
        if let Some(region) = vote.region {
            add_one(&mut self.regions, (voter, region));
        }
    }

    fn for_country(&self, voter: V, country: Option<[u8; 2]>) -> f64 {
        count(&self.countries, country.map(|code| (voter, code)))
    }

    fn for_region(&self, voter: V, region: Option<NonZeroU32>) -> f64 {
        count(&self.regions, region.map(|region| (voter, region)))
    }

    fn is_empty(&self) -> bool {
        self.countries.is_empty() && self.regions.is_empty()
    }
}

fn add_one<K: PartialEq>(tally: &mut Vec<(K, f64)>, key: K) {
    match tally.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1.0,
        None => tally.push((key, 1.0)),
    }
}

/// Most votes, from mentions other than those of the surface `own`, for
/// a country of the mention's other candidates (`rivals`): how strongly
/// the document is about where the namesakes are.
fn strongest_rival(
    votes: &Votes<()>,
    by_surface: &Votes<usize>,
    own: usize,
    rivals: &[Option<[u8; 2]>],
    country: Option<[u8; 2]>,
) -> f64 {
    votes
        .countries
        .iter()
        .filter(|((_, k), _)| Some(*k) != country && rivals.contains(&Some(*k)))
        .map(|((_, k), n)| n - by_surface.for_country(own, Some(*k)))
        .fold(0.0, f64::max)
}

fn count<K: PartialEq>(tally: &[(K, f64)], key: Option<K>) -> f64 {
    key.and_then(|key| tally.iter().find(|(k, _)| *k == key))
        .map_or(0.0, |(_, n)| *n)
}

/// What an unsettled mention votes for: the country (and first-level
/// region) holding at least [`VOTER_SHARE`] of its score, summed over its
/// candidates. Three Jacksons of three US states say "United States" as
/// surely as one; they name no state.
fn vote_of(index: &Index, ranked: &Ranked) -> Option<Vote> {
    let total: f64 = ranked.iter().map(|r| r.3).sum();
    if total <= 0.0 {
        return None;
    }
    let best = ranked[0].0;
    let country = index.country(best);
    let region = index.admin1(best);
    let (mut in_country, mut in_region) = (0.0, 0.0);
    for r in ranked {
        if country.is_some() && index.country(r.0) == country {
            in_country += r.3;
            if region.is_some() && index.admin1(r.0) == region {
                in_region += r.3;
            }
        }
    }
    (in_country / total >= VOTER_SHARE).then(|| Vote {
        country,
        region: region.filter(|_| in_region / total >= VOTER_SHARE),
    })
}

/// Re-ranks the mentions of one document (byte spans into `text` with
/// their ranked candidates, in text order) by their context: first the
/// `Place, Container` pairs, then the votes of confident mentions for
/// countries and regions. Scores keep their sum, so a mention's
/// confidence is unchanged; only its split between candidates moves.
pub(crate) fn rerank_by_context(
    index: &Index,
    text: &str,
    mentions: &mut [(usize, usize, &mut Ranked)],
) {
    let settled = settle_containment_pairs(index, text, mentions);

    // Votes of the whole document, and of the mentions of each surface:
    // a name does not vote for itself, however often it is repeated.
    let mut votes = Votes::new();
    let mut by_surface = Votes::new();
    let mut surfaces: Vec<&str> = Vec::with_capacity(mentions.len());
    // Per mention, the number of the first mention of its surface.
    let mut surface_ids: Vec<usize> = Vec::with_capacity(mentions.len());
    for ((start, end, ranked), settled) in mentions.iter().zip(&settled) {
        let surface = text.get(*start..*end).unwrap_or("");
        let surface_id = surfaces
            .iter()
            .position(|s| *s == surface)
            .unwrap_or(surfaces.len());
        surfaces.push(surface);
        surface_ids.push(surface_id);
        let best = ranked[0];
        // A town's alias (`Barrow` for Barrow-in-Furness) is too often
        // something else to speak for a country.
        let trusted =
            best.2 == NameKind::Primary || index.feature_class(best.0) >= FeatureClass::Region;
        let vote = if *settled {
            Vote {
                country: index.country(best.0),
                region: index.admin1(best.0),
            }
        } else {
            match vote_of(index, ranked).filter(|_| trusted) {
                Some(vote) => vote,
                None => continue,
            }
        };
        votes.add((), vote);
        by_surface.add(surface_id, vote);
    }
    if votes.is_empty() {
        return;
    }

    let mut rivals: Vec<Option<[u8; 2]>> = Vec::new();
    for (((_, _, ranked), own), settled) in mentions.iter_mut().zip(surface_ids).zip(settled) {
        if ranked.len() < 2 || settled {
            continue;
        }
        let total: f64 = ranked.iter().map(|r| r.3).sum();
        rivals.clear();
        rivals.extend(ranked.iter().map(|r| index.country(r.0)));
        let mut boosted = 0.0;
        for r in ranked.iter_mut() {
            let country = index.country(r.0);
            let country_votes =
                votes.for_country((), country) - by_surface.for_country(own, country);
            // Countries and continents are what others point at, not what
            // needs pointing at; but a country no other mention points
            // at, in a document about the country of one of its namesakes,
            // is likelier that namesake (`Georgia`, `Lebanon` in US local
            // news; not `Georgia` in news about Russia).
            if index.feature_class(r.0) >= FeatureClass::Country {
                if country_votes <= 0.0 {
                    r.3 /= 1.0
                        + VOTE_BOOST * strongest_rival(&votes, &by_surface, own, &rivals, country);
                }
                boosted += r.3;
                continue;
            }
            let region = index.admin1(r.0);
            let region_votes = votes.for_region((), region) - by_surface.for_region(own, region);
            r.3 *= (1.0 + VOTE_BOOST * country_votes.max(0.0))
                * (1.0 + REGION_VOTE_BOOST * region_votes.max(0.0));
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
