//! The parts of the Wikibase entity JSON
//! (<https://www.mediawiki.org/wiki/Wikibase/DataModel/JSON>) the importer
//! reads. Everything else in an entity is skipped while parsing, without
//! being kept. Empty maps may come as `[]` (the dumps are written by PHP),
//! so every map accepts an empty list too.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// What one dump line holds.
#[derive(Debug)]
pub(super) enum DumpLine {
    /// Blank, or the `[` / `]` around the entities of the array format.
    Empty,
    /// An entity that is not an item (property, lexeme, media info).
    NotItem,
    /// An item.
    Item(Item),
}

/// The facts of one item the importer uses.
#[derive(Debug, Default)]
pub(super) struct Item {
    /// The number of the QID (`3616` for `Q3616`).
    pub qid: u64,
    /// `(language, label)` in file order.
    pub labels: Vec<(String, String)>,
    /// `(language, alias)` in file order.
    pub aliases: Vec<(String, String)>,
    /// Instance of (P31): QID numbers.
    pub classes: Vec<u64>,
    /// Country (P17): QID number.
    pub country: Option<u64>,
    /// ISO 3166-1 alpha-2 code (P297), upper case: the item is a country.
    pub iso_code: Option<String>,
    /// Coordinate location (P625) on Earth.
    pub coordinates: Option<(f64, f64)>,
    /// Population (P1082): preferred, else the latest by point in time.
    pub population: Option<u64>,
    /// GeoNames ID (P1566).
    pub geonames_id: Option<u32>,
    /// Sitelinks (articles in Wikipedia and other wikis).
    pub sitelinks: u32,
}

/// Parses one line of a dump: an entity followed by an optional `,`, a
/// bracket of the array around the entities, or a blank line. The error is
/// `(reason, detail)`.
pub(super) fn parse_line(line: &str) -> Result<DumpLine, (&'static str, String)> {
    let trimmed = line.trim();
    let json = trimmed.strip_suffix(',').unwrap_or(trimmed).trim_end();
    if json.is_empty() || json == "[" || json == "]" {
        return Ok(DumpLine::Empty);
    }
    let raw: RawEntity = serde_json::from_str(json).map_err(|e| ("invalid JSON", e.to_string()))?;
    let RawEntity {
        entity_type,
        id,
        labels,
        aliases,
        claims,
        sitelinks,
    } = raw;
    let Some(id) = id else {
        return Err(("missing id", String::new()));
    };
    match entity_type.as_deref() {
        Some("item") => {}
        None if id.starts_with('Q') => {}
        _ => return Ok(DumpLine::NotItem),
    }
    let qid = parse_qid(&id).ok_or_else(|| ("bad id", format!("{id:?} is not a QID")))?;
    let Claims {
        p31,
        p17,
        p297,
        p625,
        p1082,
        p1566,
    } = claims;
    let item = Item {
        qid,
        labels: labels.0.into_iter().map(|(k, t)| t.into_pair(k)).collect(),
        aliases: aliases
            .0
            .into_iter()
            .flat_map(|(k, terms)| terms.into_iter().map(move |t| t.into_pair(k.clone())))
            .collect(),
        classes: best(&p31).filter_map(|s| s.item_value()).collect(),
        country: best(&p17).find_map(Statement::item_value),
        iso_code: best(&p297)
            .filter_map(Statement::string_value)
            .find(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_alphabetic()))
            .map(|c| c.to_ascii_uppercase()),
        coordinates: best(&p625).find_map(Statement::coordinates),
        population: population(&p1082),
        geonames_id: best(&p1566)
            .filter_map(Statement::string_value)
            .find_map(|s| s.trim().parse().ok()),
        sitelinks: u32::try_from(sitelinks.0.len()).unwrap_or(u32::MAX),
    };
    Ok(DumpLine::Item(item))
}

/// `Q3616` → 3616.
pub(super) fn parse_qid(id: &str) -> Option<u64> {
    let digits = id.strip_prefix('Q')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

#[derive(Deserialize)]
struct RawEntity {
    #[serde(rename = "type", default)]
    entity_type: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    labels: LangMap<Term>,
    #[serde(default)]
    aliases: LangMap<Vec<Term>>,
    #[serde(default, alias = "statements")]
    claims: Claims,
    #[serde(default)]
    sitelinks: LangMap<IgnoredAny>,
}

#[derive(Deserialize)]
struct Term {
    #[serde(default)]
    language: Option<String>,
    value: String,
}

impl Term {
    fn into_pair(self, key: String) -> (String, String) {
        (self.language.unwrap_or(key), self.value)
    }
}

/// The statements of the properties the importer reads; the others are
/// skipped while parsing.
#[derive(Deserialize, Default)]
struct Claims {
    #[serde(rename = "P31", default)]
    p31: Vec<Statement>,
    #[serde(rename = "P17", default)]
    p17: Vec<Statement>,
    #[serde(rename = "P297", default)]
    p297: Vec<Statement>,
    #[serde(rename = "P625", default)]
    p625: Vec<Statement>,
    #[serde(rename = "P1082", default)]
    p1082: Vec<Statement>,
    #[serde(rename = "P1566", default)]
    p1566: Vec<Statement>,
}

#[derive(Deserialize)]
struct Statement {
    mainsnak: Snak,
    #[serde(default)]
    rank: Option<String>,
    #[serde(default)]
    qualifiers: Qualifiers,
}

#[derive(Deserialize, Default)]
struct Qualifiers {
    /// Point in time.
    #[serde(rename = "P585", default)]
    p585: Vec<Snak>,
}

#[derive(Deserialize)]
struct Snak {
    #[serde(default)]
    snaktype: Option<String>,
    #[serde(default)]
    datavalue: Option<DataValue>,
}

#[derive(Deserialize)]
struct DataValue {
    value: serde_json::Value,
}

impl Snak {
    /// The value of a `value` snak (not `somevalue` or `novalue`).
    fn value(&self) -> Option<&serde_json::Value> {
        match self.snaktype.as_deref() {
            None | Some("value") => self.datavalue.as_ref().map(|d| &d.value),
            Some(_) => None,
        }
    }
}

impl Statement {
    fn item_value(&self) -> Option<u64> {
        let value = self.mainsnak.value()?;
        value
            .get("numeric-id")
            .and_then(serde_json::Value::as_u64)
            .or_else(|| value.get("id")?.as_str().and_then(parse_qid))
    }

    fn string_value(&self) -> Option<&str> {
        self.mainsnak.value()?.as_str()
    }

    fn coordinates(&self) -> Option<(f64, f64)> {
        let value = self.mainsnak.value()?;
        let on_earth = match value.get("globe").and_then(serde_json::Value::as_str) {
            None => true,
            Some(globe) => globe.ends_with("/Q2"),
        };
        let lat = value.get("latitude")?.as_f64()?;
        let lon = value.get("longitude")?.as_f64()?;
        (on_earth && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
            .then_some((lat, lon))
    }

    fn quantity(&self) -> Option<u64> {
        let amount = self.mainsnak.value()?.get("amount")?.as_str()?;
        let amount: f64 = amount.strip_prefix('+').unwrap_or(amount).parse().ok()?;
        (amount.is_finite() && amount >= 0.0 && amount < u64::MAX as f64)
            .then(|| amount.round() as u64)
    }

    /// The statement's point in time (P585) as `(year, month, day)`.
    fn point_in_time(&self) -> Option<(i64, u8, u8)> {
        self.qualifiers
            .p585
            .iter()
            .find_map(|snak| parse_time(snak.value()?.get("time")?.as_str()?))
    }
}

/// The statements of a property that count: the preferred ones if there
/// are any, else the normal ones; deprecated ones never.
fn best(statements: &[Statement]) -> impl Iterator<Item = &Statement> {
    let preferred = statements
        .iter()
        .any(|s| s.rank.as_deref() == Some("preferred"));
    statements.iter().filter(move |s| match s.rank.as_deref() {
        Some("preferred") => true,
        Some("deprecated") => false,
        _ => !preferred,
    })
}

/// The population among the best statements with the latest point in time;
/// among undated ones, the last listed.
fn population(statements: &[Statement]) -> Option<u64> {
    best(statements)
        .enumerate()
        .filter_map(|(i, s)| Some(((s.point_in_time(), i), s.quantity()?)))
        .max_by_key(|(key, _)| *key)
        .map(|(_, amount)| amount)
}

/// `+2016-07-01T00:00:00Z` → `(2016, 7, 1)`; months and days may be `00`.
fn parse_time(time: &str) -> Option<(i64, u8, u8)> {
    let (negative, rest) = match time.as_bytes().first()? {
        b'+' => (false, &time[1..]),
        b'-' => (true, &time[1..]),
        _ => (false, time),
    };
    let mut parts = rest.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.get(..2)?.parse().ok()?;
    Some((if negative { -year } else { year }, month, day))
}

/// A JSON object keyed by language (or site), also accepted as an empty
/// list; entries keep file order.
struct LangMap<T>(Vec<(String, T)>);

impl<T> Default for LangMap<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LangMap<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapOrList<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapOrList<T> {
            type Value = LangMap<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object keyed by language or site, or an empty list")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, T>()? {
                    entries.push(entry);
                }
                Ok(LangMap(entries))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(LangMap(Vec::new()))
            }
        }

        deserializer.deserialize_any(MapOrList(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(line: &str) -> Item {
        match parse_line(line) {
            Ok(DumpLine::Item(item)) => item,
            other => panic!("{line}: {other:?}"),
        }
    }

    #[test]
    fn brackets_and_blank_lines_are_empty() {
        for line in ["[", "]", "", "  ", "[\r"] {
            assert!(matches!(parse_line(line), Ok(DumpLine::Empty)), "{line:?}");
        }
    }

    #[test]
    fn reads_labels_aliases_and_claims() {
        let line = r#"{"type":"item","id":"Q3616","labels":{"en":{"language":"en","value":"Tehran"},"fa":{"language":"fa","value":"تهران"}},"aliases":{"en":[{"language":"en","value":"Teheran"}]},"claims":{"P31":[{"mainsnak":{"snaktype":"value","property":"P31","datavalue":{"value":{"entity-type":"item","numeric-id":515,"id":"Q515"},"type":"wikibase-entityid"}},"type":"statement","rank":"normal"}],"P1566":[{"mainsnak":{"snaktype":"value","property":"P1566","datavalue":{"value":"112931","type":"string"}},"type":"statement","rank":"normal"}]},"sitelinks":{"enwiki":{"site":"enwiki","title":"Tehran","badges":[]}}},"#;
        let item = item(line);
        assert_eq!(item.qid, 3616);
        assert_eq!(item.labels[1], ("fa".into(), "تهران".into()));
        assert_eq!(item.aliases, vec![("en".into(), "Teheran".into())]);
        assert_eq!(item.classes, vec![515]);
        assert_eq!(item.geonames_id, Some(112931));
        assert_eq!(item.sitelinks, 1);
    }

    #[test]
    fn empty_maps_may_be_lists() {
        let item = item(
            r#"{"type":"item","id":"Q1","labels":[],"aliases":[],"claims":[],"sitelinks":[]}"#,
        );
        assert!(item.labels.is_empty() && item.classes.is_empty());
    }

    #[test]
    fn population_prefers_preferred_then_latest() {
        let statement = |amount: &str, rank: &str, year: Option<&str>| {
            let qualifiers = year.map_or(String::new(), |y| {
                format!(r#","qualifiers":{{"P585":[{{"snaktype":"value","property":"P585","datavalue":{{"value":{{"time":"+{y}-00-00T00:00:00Z","precision":9}},"type":"time"}}}}]}}"#)
            });
            format!(
                r#"{{"mainsnak":{{"snaktype":"value","property":"P1082","datavalue":{{"value":{{"amount":"{amount}","unit":"1"}},"type":"quantity"}}}},"type":"statement","rank":"{rank}"{qualifiers}}}"#
            )
        };
        let line = |statements: &[String]| {
            format!(
                r#"{{"type":"item","id":"Q1","claims":{{"P1082":[{}]}}}}"#,
                statements.join(",")
            )
        };
        let dated = [
            statement("+100", "normal", Some("2016")),
            statement("+300", "normal", Some("2021")),
            statement("+200", "normal", Some("2011")),
        ];
        assert_eq!(item(&line(&dated)).population, Some(300));
        let preferred = [
            statement("+100", "preferred", Some("2016")),
            statement("+300", "normal", Some("2021")),
            statement("+900", "deprecated", Some("2022")),
        ];
        assert_eq!(item(&line(&preferred)).population, Some(100));
    }

    #[test]
    fn errors_and_other_entities() {
        assert!(matches!(
            parse_line(r#"{"type":"property","id":"P31","datatype":"wikibase-item"},"#),
            Ok(DumpLine::NotItem)
        ));
        assert_eq!(
            parse_line("{\"type\":\"item\"").unwrap_err().0,
            "invalid JSON"
        );
        assert_eq!(
            parse_line(r#"{"type":"item"}"#).unwrap_err().0,
            "missing id"
        );
        assert_eq!(
            parse_line(r#"{"type":"item","id":"Q12x"}"#).unwrap_err().0,
            "bad id"
        );
        assert_eq!(parse_time("-0500-00-00T00:00:00Z"), Some((-500, 0, 0)));
    }
}
