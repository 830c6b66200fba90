//! `City, Region`, `City, Country` and `City (Country)`: a place name
//! followed, after a comma or inside parentheses, by a name of the region
//! or country that contains it. The pair settles both names at once:
//! `Paris, Texas` is the Texan town and Texas the state, `Athens, Georgia`
//! the town in the US state and not the Greek capital or the country.

use super::context::Ranked;
use crate::entity::EntityKind;
use crate::index::{FeatureClass, Index};

/// Share of a mention's score that the candidates a pattern picks hold
/// afterwards (together), at least.
const PATTERN_SHARE: f64 = 0.95;

/// Settles every `Place, Container` and `Place (Container)` pair among
/// `mentions` (byte spans into `text` with their ranked candidates, in
/// text order). Returns, per mention, whether a pattern settled it.
pub(crate) fn settle_containment_pairs(
    index: &Index,
    text: &str,
    mentions: &mut [(usize, usize, &mut Ranked)],
) -> Vec<bool> {
    let mut settled = vec![false; mentions.len()];
    for first in 0..mentions.len() {
        let Some(second) = container_mention(text, mentions, first) else {
            continue;
        };
        let Some(container) = best_container(index, mentions[first].2, mentions[second].2) else {
            continue;
        };
        pin(mentions[first].2, |entity| {
            contains(index, container, entity)
        });
        pin(mentions[second].2, |entity| entity == container);
        settled[first] = true;
        settled[second] = true;
    }
    settled
}

/// Per mention, whether the mention right after it, after a comma or inside
/// parentheses, is a region or country (by its best candidate) that holds
/// none of its candidates: `Port Lois, Ireland` is not Port Louis in
/// Mauritius.
pub(crate) fn contradicted_by_container(
    index: &Index,
    text: &str,
    mentions: &[(usize, usize, &Ranked)],
) -> Vec<bool> {
    let mut contradicted = vec![false; mentions.len()];
    for first in 0..mentions.len() {
        let Some(second) = container_mention(text, mentions, first) else {
            continue;
        };
        let container = mentions[second].2[0].0;
        if !matches!(
            index.feature_class(container),
            FeatureClass::Region | FeatureClass::Country
        ) || index.entity_kind(container) != Some(EntityKind::Place)
        {
            continue;
        }
        contradicted[first] = !mentions[first]
            .2
            .iter()
            .any(|place| contains(index, container, place.0));
    }
    contradicted
}

/// The mention that follows mention `first` as its container, after a
/// comma or inside closed parentheses (`Paris, Texas`, `Paris (Texas)`),
/// among `mentions` (byte spans, in text order).
fn container_mention<T>(text: &str, mentions: &[(usize, usize, T)], first: usize) -> Option<usize> {
    let container_start = container_start(text, mentions[first].1)?;
    // Mentions are in text order, so the container is among the next few
    // (nested matches come first only under the `All` policy).
    let second = (first + 1..mentions.len())
        .take_while(|&j| mentions[j].0 <= container_start)
        .find(|&j| mentions[j].0 == container_start)?;
    let opened = text[mentions[first].1..container_start]
        .trim_end()
        .ends_with('(');
    (!opened || text[mentions[second].1..].starts_with(')')).then_some(second)
}

/// Where a container name may start after a place name ending at `end`:
/// after `, ` (a comma and white space) or ` (`; `None` otherwise.
fn container_start(text: &str, end: usize) -> Option<usize> {
    let rest = &text[end..];
    let after = if let Some(after_comma) = rest.strip_prefix(',') {
        // A comma glued to the next word (`1,000`) separates nothing.
        if !after_comma.starts_with([' ', '\u{a0}']) {
            return None;
        }
        after_comma.trim_start_matches([' ', '\u{a0}'])
    } else {
        rest.trim_start_matches([' ', '\u{a0}']).strip_prefix('(')?
    };
    Some(text.len() - after.len())
}

/// The container of the most likely (place, container) pair of
/// candidates, by the product of their scores, where the container is a
/// region or country that holds the place.
fn best_container(index: &Index, places: &Ranked, containers: &Ranked) -> Option<u32> {
    let mut best: Option<(f64, u32)> = None;
    for container in containers {
        if !matches!(
            index.feature_class(container.0),
            FeatureClass::Region | FeatureClass::Country
        ) || index.entity_kind(container.0) != Some(EntityKind::Place)
        {
            continue;
        }
        for place in places {
            if !contains(index, container.0, place.0) {
                continue;
            }
            let weight = place.3 * container.3;
            if best.is_none_or(|(w, _)| weight > w) {
                best = Some((weight, container.0));
            }
        }
    }
    best.map(|(_, container)| container)
}

/// Whether place `inner` lies in region or country `outer`: same
/// first-level region under a region, same country under a country.
pub(crate) fn contains(index: &Index, outer: u32, inner: u32) -> bool {
    if outer == inner || index.entity_kind(inner) != Some(EntityKind::Place) {
        return false;
    }
    let inner_class = index.feature_class(inner);
    match index.feature_class(outer) {
        FeatureClass::Region => {
            inner_class < FeatureClass::Region
                && index.admin1(inner).is_some()
                && index.admin1(inner) == index.admin1(outer)
        }
        FeatureClass::Country => {
            inner_class < FeatureClass::Country
                && index.country(inner).is_some()
                && index.country(inner) == index.country(outer)
        }
        _ => false,
    }
}

/// Gives the candidates `keep` accepts at least [`PATTERN_SHARE`] of the
/// mention's score between them (keeping their proportions), the others
/// the rest, and re-sorts. The total is unchanged.
fn pin(ranked: &mut Ranked, keep: impl Fn(u32) -> bool) {
    let total: f64 = ranked.iter().map(|r| r.3).sum();
    let kept: f64 = ranked.iter().filter(|r| keep(r.0)).map(|r| r.3).sum();
    let rest = total - kept;
    if total <= 0.0 || kept <= 0.0 || rest <= 0.0 || kept >= PATTERN_SHARE * total {
        if kept > 0.0 {
            sort(ranked);
        }
        return;
    }
    let kept_scale = PATTERN_SHARE * total / kept;
    let rest_scale = (1.0 - PATTERN_SHARE) * total / rest;
    for r in ranked.iter_mut() {
        r.3 *= if keep(r.0) { kept_scale } else { rest_scale };
    }
    sort(ranked);
}

fn sort(ranked: &mut Ranked) {
    ranked.sort_by(|a, b| b.3.total_cmp(&a.3).then(a.0.cmp(&b.0)));
}

#[cfg(test)]
mod tests {
    use super::container_start;

    #[test]
    fn a_container_follows_a_comma_and_space_or_an_opening_parenthesis() {
        fn at(text: &str, end: usize) -> Option<&str> {
            container_start(text, end).map(|i| &text[i..])
        }
        assert_eq!(at("Paris, Texas", 5), Some("Texas"));
        assert_eq!(at("Paris,\u{a0} Texas", 5), Some("Texas"));
        assert_eq!(at("Paris (Texas)", 5), Some("Texas)"));
        assert_eq!(at("Paris(Texas)", 5), Some("Texas)"));
        // A comma inside a number, a period, a dash: no pair.
        assert_eq!(at("Paris,Texas", 5), None);
        assert_eq!(at("Paris. Texas", 5), None);
        assert_eq!(at("Paris - Texas", 5), None);
        assert_eq!(at("Paris", 5), None);
    }
}
