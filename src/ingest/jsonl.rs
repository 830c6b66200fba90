//! The project's own JSON Lines entity format, one entity per line:
//!
//! ```json
//! {"id":"geonames:112931","kind":"place","name":"Tehran",
//!  "names":[{"name":"تهران","lang":"fa"},"Teheran"],"country":"IR",
//!  "feature_code":"PPLC","lat":35.69,"lon":51.42,"population":7153309,
//!  "external_ids":{"wikidata":"Q3616"},"admin1":"IR.26"}
//! ```
//!
//! `prominence` (optional) is how well known the entity is, such as its
//! Wikidata sitelink count; it ranks people and organisations.

use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use serde::Deserialize;

use super::IngestError;
use crate::entity::{Entity, EntityKind, EntityRecord, ExternalId, Name, NameKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonlRecord {
    id: String,
    kind: String,
    name: String,
    #[serde(default)]
    names: Vec<JsonlName>,
    #[serde(default)]
    country: Option<String>,
    #[serde(default)]
    feature_code: Option<String>,
    #[serde(default)]
    lat: Option<f64>,
    #[serde(default)]
    lon: Option<f64>,
    #[serde(default)]
    population: Option<u64>,
    #[serde(default)]
    external_ids: BTreeMap<String, String>,
    #[serde(default)]
    admin1: Option<String>,
    #[serde(default)]
    prominence: Option<u32>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum JsonlName {
    Plain(String),
    Tagged {
        name: String,
        #[serde(default)]
        lang: Option<String>,
        #[serde(default)]
        kind: Option<String>,
    },
}

/// Reads every record of a JSON Lines file. Blank lines are skipped; the
/// first malformed line fails the read with its file and line number.
pub fn read_jsonl_file(path: &Path) -> Result<Vec<EntityRecord>, IngestError> {
    let io_error = |source| IngestError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let mut records = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let line = line.map_err(io_error)?;
        if let Some(record) = parse_jsonl_line(&line, path, index + 1)? {
            records.push(record);
        }
    }
    Ok(records)
}

/// Reads every record of JSON Lines held in memory; `label` names the
/// source in errors.
pub fn read_jsonl_str(label: &str, text: &str) -> Result<Vec<EntityRecord>, IngestError> {
    let path = Path::new(label);
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if let Some(record) = parse_jsonl_line(line, path, index + 1)? {
            records.push(record);
        }
    }
    Ok(records)
}

/// Parses and validates one line; `Ok(None)` for a blank line.
pub fn parse_jsonl_line(
    line: &str,
    path: &Path,
    line_number: usize,
) -> Result<Option<EntityRecord>, IngestError> {
    if line.trim().is_empty() {
        return Ok(None);
    }
    let malformed = |message: String| IngestError::Malformed {
        path: path.to_path_buf(),
        line: line_number,
        message,
    };
    let raw: JsonlRecord =
        serde_json::from_str(line).map_err(|e| malformed(format!("invalid record: {e}")))?;
    convert(raw).map(Some).map_err(malformed)
}

fn convert(raw: JsonlRecord) -> Result<EntityRecord, String> {
    let JsonlRecord {
        id,
        kind,
        name,
        names,
        country,
        feature_code,
        lat,
        lon,
        population,
        external_ids,
        admin1,
        prominence,
    } = raw;
    validate_id(&id)?;
    let kind = EntityKind::parse(&kind).ok_or_else(|| {
        format!("unknown kind {kind:?}: expected \"place\", \"person\" or \"organization\"")
    })?;
    if name.trim().is_empty() {
        return Err("\"name\" is empty".into());
    }
    let coordinates = match (lat, lon) {
        (Some(lat), Some(lon)) => {
            if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
                return Err(format!(
                    "coordinates out of range: lat {lat} must be in [-90, 90], lon {lon} in [-180, 180]"
                ));
            }
            Some((lat, lon))
        }
        (None, None) => None,
        _ => return Err("\"lat\" and \"lon\" must be given together".into()),
    };
    let country_code = match country {
        Some(c) if !c.is_empty() => {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_alphabetic()) {
                return Err(format!(
                    "\"country\" {c:?} is not an ISO 3166-1 alpha-2 code"
                ));
            }
            Some(c.to_ascii_uppercase())
        }
        _ => None,
    };
    let admin1 = match admin1 {
        Some(code) if !code.is_empty() => Some(admin1_code(&code, country_code.as_deref())?),
        _ => None,
    };
    let mut all_names = vec![Name {
        text: name.clone(),
        lang: None,
        kind: NameKind::Primary,
        demonym: false,
    }];
    for entry in names {
        let (text, lang, demonym) = match entry {
            JsonlName::Plain(text) => (text, None, false),
            JsonlName::Tagged { name, lang, kind } => {
                let demonym = match kind.as_deref() {
                    None | Some("") | Some("alias") => false,
                    Some("demonym") => true,
                    Some(other) => {
                        return Err(format!(
                        "name {name:?} has \"kind\" {other:?}; expected \"alias\" or \"demonym\""
                    ))
                    }
                };
                (name, lang.filter(|l| !l.is_empty()), demonym)
            }
        };
        if text.trim().is_empty() {
            continue;
        }
        all_names.push(Name {
            text,
            lang,
            kind: NameKind::Alias,
            demonym,
        });
    }
    let external_ids = external_ids
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(scheme, id)| ExternalId { scheme, id })
        .collect();
    Ok(EntityRecord {
        entity: Entity {
            id,
            kind,
            name,
            external_ids,
            country_code,
            feature_code: feature_code.filter(|f| !f.is_empty()),
            coordinates,
            population: population.unwrap_or(0),
            admin1,
        },
        names: all_names,
        prominence: prominence.unwrap_or(0),
    })
}

/// Checks a first-level region code (`US.IL`, `IR.26`) against the
/// record's country and returns it with the country part in upper case.
fn admin1_code(code: &str, country: Option<&str>) -> Result<String, String> {
    let malformed = || {
        format!(
            "\"admin1\" {code:?} must be \"<country>.<code>\" as in GeoNames admin1CodesASCII.txt, for example \"US.IL\""
        )
    };
    let (cc, region) = code.split_once('.').ok_or_else(malformed)?;
    if cc.len() != 2
        || !cc.bytes().all(|b| b.is_ascii_alphabetic())
        || region.is_empty()
        || region.chars().any(char::is_whitespace)
    {
        return Err(malformed());
    }
    let cc = cc.to_ascii_uppercase();
    if let Some(country) = country {
        if country != cc {
            return Err(format!(
                "\"admin1\" {code:?} is a region of {cc}, but \"country\" is {country}"
            ));
        }
    }
    Ok(format!("{cc}.{region}"))
}

fn validate_id(id: &str) -> Result<(), String> {
    match id.split_once(':') {
        Some((scheme, rest)) if !scheme.is_empty() && !rest.is_empty() => {
            if id.chars().any(char::is_whitespace) {
                Err(format!("\"id\" {id:?} contains whitespace"))
            } else {
                Ok(())
            }
        }
        _ => Err(format!(
            "\"id\" {id:?} must be \"<scheme>:<id>\", for example \"geonames:112931\""
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_and_tagged_names() {
        let line = r#"{"id":"geonames:112931","kind":"place","name":"Tehran","names":[{"name":"تهران","lang":"fa"},"Teheran"],"country":"ir","lat":35.69,"lon":51.42,"population":7153309,"external_ids":{"wikidata":"Q3616"}}"#;
        let record = parse_jsonl_line(line, Path::new("t.jsonl"), 1)
            .unwrap()
            .unwrap();
        assert_eq!(record.entity.country_code.as_deref(), Some("IR"));
        assert_eq!(record.names.len(), 3);
        assert_eq!(record.names[1].lang.as_deref(), Some("fa"));
        assert_eq!(record.names[2].text, "Teheran");
        assert_eq!(record.entity.external_ids[0].id, "Q3616");
        assert_eq!(record.entity.admin1, None);
    }

    #[test]
    fn reads_and_checks_the_admin1_code() {
        let line = r#"{"id":"geonames:4250542","kind":"place","name":"Springfield","country":"US","admin1":"us.IL"}"#;
        let record = parse_jsonl_line(line, Path::new("f"), 1).unwrap().unwrap();
        assert_eq!(record.entity.admin1.as_deref(), Some("US.IL"));
        for (bad, message) in [
            (r#""country":"US","admin1":"IL""#, "<country>.<code>"),
            (r#""country":"US","admin1":"USA.IL""#, "<country>.<code>"),
            (r#""country":"US","admin1":"US.""#, "<country>.<code>"),
            (r#""country":"US","admin1":"US.I L""#, "<country>.<code>"),
            (
                r#""country":"CA","admin1":"US.IL""#,
                "but \"country\" is CA",
            ),
        ] {
            let line = format!(r#"{{"id":"x:1","kind":"place","name":"A",{bad}}}"#);
            let err = parse_jsonl_line(&line, Path::new("f"), 1)
                .unwrap_err()
                .to_string();
            assert!(err.contains(message), "{bad}: {err}");
        }
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let text = "{\"id\":\"x:1\",\"kind\":\"place\",\"name\":\"A\"}\n\n{\"id\":\"nocolon\",\"kind\":\"place\",\"name\":\"B\"}";
        let err = read_jsonl_str("input.jsonl", text).unwrap_err().to_string();
        assert!(err.starts_with("input.jsonl:3:"), "{err}");
        assert!(err.contains("<scheme>:<id>"), "{err}");
    }

    #[test]
    fn rejects_unknown_kinds_and_bad_coordinates() {
        let bad_kind = r#"{"id":"x:1","kind":"river","name":"A"}"#;
        let err = parse_jsonl_line(bad_kind, Path::new("f"), 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown kind"), "{err}");
        let bad_lat = r#"{"id":"x:1","kind":"place","name":"A","lat":95,"lon":0}"#;
        let err = parse_jsonl_line(bad_lat, Path::new("f"), 1)
            .unwrap_err()
            .to_string();
        assert!(err.contains("[-90, 90]"), "{err}");
    }
}
