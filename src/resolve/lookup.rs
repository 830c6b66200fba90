//! Direct name lookups and prefix autocomplete.

use std::collections::HashMap;
use std::sync::Arc;

use super::rank::prior_weight;
use crate::entity::{Entity, EntityKind};
use crate::index::{Index, IndexError};
use crate::text::name_key;

/// Default number of lookup results.
pub const DEFAULT_LOOKUP_LIMIT: usize = 10;
/// Most lookup results a caller can ask for.
pub const LOOKUP_LIMIT_CAP: usize = 100;
/// Most keys a prefix lookup reads before ranking.
const PREFIX_KEY_BUDGET: usize = 2_000;

/// Options of a lookup.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LookupOptions {
    /// Treat the name as a prefix.
    pub prefix: bool,
    /// Maximum results; 0 means [`DEFAULT_LOOKUP_LIMIT`].
    pub limit: usize,
    /// Kinds to keep; empty keeps all.
    pub kinds: Vec<EntityKind>,
}

/// One ranked lookup result.
#[derive(Debug, Clone, PartialEq)]
pub struct LookupMatch {
    /// The entity.
    pub entity: Arc<Entity>,
    /// Its name that matched.
    pub matched_name: String,
    /// Share of the total prior weight of all results, in [0, 1].
    pub score: f64,
}

/// Looks up a name (or prefix) and ranks the entities it names.
pub fn lookup(
    index: &Index,
    name: &str,
    options: &LookupOptions,
) -> Result<Vec<LookupMatch>, IndexError> {
    let Some(key) = name_key(name) else {
        return Ok(Vec::new());
    };
    let keys: Vec<u64> = if options.prefix {
        index
            .keys_with_prefix(&key, PREFIX_KEY_BUDGET)
            .into_iter()
            .map(|(_, ordinal)| ordinal)
            .collect()
    } else {
        index.find_key(&key).into_iter().collect()
    };
    // Best weight per entity across all keys.
    let mut best: HashMap<u32, (u32, f64)> = HashMap::new();
    for ordinal in keys {
        for posting in index.postings(ordinal) {
            if !options.kinds.is_empty()
                && !index
                    .entity_kind(posting.entity)
                    .is_some_and(|k| options.kinds.contains(&k))
            {
                continue;
            }
            let weight = prior_weight(index, posting.entity, posting.name_kind);
            let slot = best
                .entry(posting.entity)
                .or_insert((posting.name_ref, 0.0));
            if weight > slot.1 {
                *slot = (posting.name_ref, weight);
            }
        }
    }
    let total: f64 = best.values().map(|v| v.1).sum();
    let mut ranked: Vec<(u32, u32, f64)> = best.into_iter().map(|(e, (n, w))| (e, n, w)).collect();
    ranked.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
    let limit = match options.limit {
        0 => DEFAULT_LOOKUP_LIMIT,
        n => n.min(LOOKUP_LIMIT_CAP),
    };
    ranked
        .into_iter()
        .take(limit)
        .map(|(entity, name_ref, weight)| {
            Ok(LookupMatch {
                entity: index.entity_shared(entity)?,
                matched_name: index.name(name_ref).to_string(),
                score: if total > 0.0 { weight / total } else { 0.0 },
            })
        })
        .collect()
}
