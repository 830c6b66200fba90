//! Conversions between protobuf messages and core types. Messages are
//! destructured completely so a new field fails to compile until handled.

use super::ServiceError;
use crate::entity::{Entity, EntityKind};
use crate::proto;
use crate::resolve::{
    Candidate, LookupMatch, MatchKind, Mention, OverlapPolicy, ResolveOptions, Span,
    DEFAULT_MAX_CANDIDATES, MAX_CANDIDATES_CAP,
};

pub(super) fn resolve_options(
    options: Option<proto::ResolveOptions>,
) -> Result<ResolveOptions, ServiceError> {
    let proto::ResolveOptions {
        languages,
        kinds,
        max_candidates,
        min_score,
        overlap,
        listed_spellings_only,
        include_demonyms,
    } = options.unwrap_or_default();
    if !(0.0..=1.0).contains(&min_score) {
        return Err(ServiceError::InvalidArgument(format!(
            "options.min_score is {min_score}; it must be between 0 and 1"
        )));
    }
    let overlap = match proto::OverlapPolicy::try_from(overlap) {
        Ok(proto::OverlapPolicy::Longest) => OverlapPolicy::Longest,
        Ok(proto::OverlapPolicy::All) => OverlapPolicy::All,
        Err(_) => {
            return Err(ServiceError::InvalidArgument(format!(
                "options.overlap is {overlap}; expected 0 (LONGEST) or 1 (ALL)"
            )))
        }
    };
    Ok(ResolveOptions {
        languages,
        kinds: entity_kinds(&kinds, "options.kinds")?,
        max_candidates: match max_candidates {
            0 => DEFAULT_MAX_CANDIDATES,
            n => (n as usize).min(MAX_CANDIDATES_CAP),
        },
        min_score,
        overlap,
        listed_spellings_only,
        include_demonyms,
        ..ResolveOptions::default()
    })
}

pub(super) fn entity_kinds(kinds: &[i32], field: &str) -> Result<Vec<EntityKind>, ServiceError> {
    let mut out = Vec::new();
    for &k in kinds {
        match proto::EntityKind::try_from(k) {
            Ok(proto::EntityKind::Unspecified) => {}
            Ok(proto::EntityKind::Place) => out.push(EntityKind::Place),
            Ok(proto::EntityKind::Person) => out.push(EntityKind::Person),
            Ok(proto::EntityKind::Organization) => out.push(EntityKind::Organization),
            Err(_) => {
                return Err(ServiceError::InvalidArgument(format!(
                "{field} holds {k}, which is not an EntityKind (1 place, 2 person, 3 organization)"
            )))
            }
        }
    }
    Ok(out)
}

pub(super) fn entity(entity: &Entity) -> proto::Entity {
    let Entity {
        id,
        kind,
        name,
        external_ids,
        country_code,
        feature_code,
        coordinates,
        population,
        // Not in the proto (yet): used for ranking only.
        admin1: _,
    } = entity;
    let (latitude, longitude) = coordinates.unwrap_or_default();
    proto::Entity {
        id: id.clone(),
        kind: entity_kind(*kind) as i32,
        name: name.clone(),
        external_ids: external_ids
            .iter()
            .map(|e| proto::ExternalId {
                scheme: e.scheme.clone(),
                id: e.id.clone(),
            })
            .collect(),
        country_code: country_code.clone().unwrap_or_default(),
        feature_code: feature_code.clone().unwrap_or_default(),
        latitude,
        longitude,
        population: *population,
        has_coordinates: coordinates.is_some(),
    }
}

fn entity_kind(kind: EntityKind) -> proto::EntityKind {
    match kind {
        EntityKind::Place => proto::EntityKind::Place,
        EntityKind::Person => proto::EntityKind::Person,
        EntityKind::Organization => proto::EntityKind::Organization,
    }
}

fn match_kind(kind: MatchKind) -> proto::MatchKind {
    match kind {
        MatchKind::Exact => proto::MatchKind::Exact,
        MatchKind::Normalized => proto::MatchKind::Normalized,
        MatchKind::Alias => proto::MatchKind::Alias,
        MatchKind::Transliterated => proto::MatchKind::Transliterated,
        MatchKind::Variant => proto::MatchKind::Variant,
        MatchKind::Inflected => proto::MatchKind::Inflected,
        MatchKind::Coreference => proto::MatchKind::Coreference,
        MatchKind::Demonym => proto::MatchKind::Demonym,
    }
}

fn span(span: Span) -> proto::Span {
    let Span {
        start,
        end,
        byte_start,
        byte_end,
        utf16_start,
        utf16_end,
    } = span;
    // Texts are capped far below 4 GiB, so every offset fits.
    proto::Span {
        start: start as u32,
        end: end as u32,
        byte_start: byte_start as u32,
        byte_end: byte_end as u32,
        utf16_start: utf16_start as u32,
        utf16_end: utf16_end as u32,
    }
}

pub(super) fn mention(mention: Mention) -> proto::Mention {
    let Mention {
        span: s,
        surface,
        entity: e,
        score,
        match_kind: k,
        matched_name,
        candidates,
    } = mention;
    proto::Mention {
        span: Some(span(s)),
        surface,
        entity: Some(entity(&e)),
        score,
        match_kind: match_kind(k) as i32,
        matched_name,
        candidates: candidates
            .into_iter()
            .map(
                |Candidate {
                     entity: e,
                     score,
                     matched_name,
                 }| proto::Candidate {
                    entity: Some(entity(&e)),
                    score,
                    matched_name,
                },
            )
            .collect(),
    }
}

pub(super) fn lookup_match(m: LookupMatch) -> proto::LookupMatch {
    let LookupMatch {
        entity: e,
        matched_name,
        score,
    } = m;
    proto::LookupMatch {
        entity: Some(entity(&e)),
        matched_name,
        score,
    }
}
