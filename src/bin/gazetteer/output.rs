//! JSON shapes printed by the CLI; field names follow the proto's JSON
//! mapping so CLI and gRPC output read alike.

use gazetteer::entity::Entity;
use gazetteer::resolve::{LookupMatch, MatchKind, Mention};
use serde_json::{json, Value};

pub fn entity(e: &Entity) -> Value {
    let mut v = json!({
        "id": e.id,
        "kind": e.kind.as_str(),
        "name": e.name,
    });
    let map = v.as_object_mut().expect("object");
    if !e.external_ids.is_empty() {
        let ids: Vec<Value> = e
            .external_ids
            .iter()
            .map(|x| json!({"scheme": x.scheme, "id": x.id}))
            .collect();
        map.insert("externalIds".into(), ids.into());
    }
    if let Some(c) = &e.country_code {
        map.insert("countryCode".into(), c.clone().into());
    }
    if let Some(f) = &e.feature_code {
        map.insert("featureCode".into(), f.clone().into());
    }
    if let Some((lat, lon)) = e.coordinates {
        map.insert("latitude".into(), lat.into());
        map.insert("longitude".into(), lon.into());
    }
    if e.population > 0 {
        map.insert("population".into(), e.population.into());
    }
    v
}

fn match_kind(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "MATCH_KIND_EXACT",
        MatchKind::Normalized => "MATCH_KIND_NORMALIZED",
        MatchKind::Alias => "MATCH_KIND_ALIAS",
        MatchKind::Transliterated => "MATCH_KIND_TRANSLITERATED",
        MatchKind::Variant => "MATCH_KIND_VARIANT",
        MatchKind::Inflected => "MATCH_KIND_INFLECTED",
        MatchKind::Coreference => "MATCH_KIND_COREFERENCE",
        MatchKind::Demonym => "MATCH_KIND_DEMONYM",
    }
}

pub fn mention(m: &Mention) -> Value {
    json!({
        "span": {
            "start": m.span.start,
            "end": m.span.end,
            "byteStart": m.span.byte_start,
            "byteEnd": m.span.byte_end,
            "utf16Start": m.span.utf16_start,
            "utf16End": m.span.utf16_end,
        },
        "surface": m.surface,
        "entity": entity(&m.entity),
        "score": m.score,
        "matchKind": match_kind(m.match_kind),
        "matchedName": m.matched_name,
        "candidates": m.candidates.iter().map(|c| json!({
            "entity": entity(&c.entity),
            "score": c.score,
            "matchedName": c.matched_name,
        })).collect::<Vec<_>>(),
    })
}

pub fn document(doc_id: &str, mentions: &[Mention], index_version: &str) -> Value {
    json!({
        "docId": doc_id,
        "mentions": mentions.iter().map(mention).collect::<Vec<_>>(),
        "indexVersion": index_version,
    })
}

pub fn lookup_match(m: &LookupMatch) -> Value {
    json!({
        "entity": entity(&m.entity),
        "matchedName": m.matched_name,
        "score": m.score,
    })
}
