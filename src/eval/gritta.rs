//! Gritta XML: `<articles><article docid><text>` then `<toponyms><toponym>
//! <start><end><phrase><gaztag geonameid><lat><lon>…`, as used by LGL,
//! TR-News and GeoWebNews. A toponym without a `gaztag` (or with an empty
//! `geonameid`) is a gold span without an ID.

use std::path::Path;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{
    anchor, io_error, parse_error, Corpus, EvalDocument, EvalError, GoldKind, GoldMention,
};

/// Reads a Gritta XML file.
pub fn read_gritta(path: &Path) -> Result<Corpus, EvalError> {
    let xml = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    parse_gritta(&xml, &path.display().to_string())
}

#[derive(Default)]
struct Toponym {
    start: Option<usize>,
    end: Option<usize>,
    phrase: Option<String>,
    geonameid: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Default)]
struct Article {
    id: String,
    text: Option<String>,
    toponyms: Vec<Toponym>,
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok()??;
    let v = a.unescape_value().ok()?.trim().to_string();
    (!v.is_empty()).then_some(v)
}

/// Parses Gritta XML text; `label` names it in errors.
pub fn parse_gritta(xml: &str, label: &str) -> Result<Corpus, EvalError> {
    let mut reader = Reader::from_str(xml);
    let mut corpus = Corpus::default();
    let mut stack: Vec<String> = Vec::new();
    let mut buf = String::new();
    let mut article: Option<Article> = None;
    let mut toponym: Option<Toponym> = None;
    let mut in_gaztag = false;
    loop {
        let position = reader.buffer_position();
        let err = |m: String| parse_error(format!("{label} (byte {position})"), m);
        let event = reader.read_event().map_err(|e| err(e.to_string()))?;
        let (start, end) = match &event {
            Event::Start(e) => (Some(e.clone()), false),
            Event::Empty(e) => (Some(e.clone()), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
            buf.clear();
            match name.as_str() {
                "article" => {
                    let n = corpus.documents.len();
                    article = Some(Article {
                        id: attr(&e, "docid").unwrap_or_else(|| n.to_string()),
                        ..Article::default()
                    });
                }
                "toponym" if article.is_some() => toponym = Some(Toponym::default()),
                "gaztag" => {
                    in_gaztag = true;
                    if let Some(t) = toponym.as_mut() {
                        t.geonameid = attr(&e, "geonameid");
                    }
                }
                _ => {}
            }
            stack.push(name);
            if !end {
                continue;
            }
        }
        match event {
            Event::Text(t) => buf.push_str(&t.decode().map_err(|e| err(e.to_string()))?),
            Event::CData(t) => buf.push_str(&t.decode().map_err(|e| err(e.to_string()))?),
            Event::GeneralRef(r) => {
                let name = r.decode().map_err(|e| err(e.to_string()))?;
                if let Some(c) = r.resolve_char_ref().map_err(|e| err(e.to_string()))? {
                    buf.push(c);
                } else if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
                    buf.push_str(s);
                } else {
                    return Err(err(format!("unknown entity &{name};")));
                }
            }
            Event::End(_) | Event::Empty(_) => {
                let name = stack.pop().unwrap_or_default();
                let value = std::mem::take(&mut buf);
                match name.as_str() {
                    "text" => {
                        if let Some(a) = article.as_mut() {
                            a.text = Some(value);
                        }
                    }
                    "start" | "end" | "phrase" | "lat" | "lon" => {
                        if let Some(t) = toponym.as_mut() {
                            let v = value.trim();
                            let number = |what: &str| {
                                v.parse::<usize>()
                                    .map_err(|_| err(format!("<{what}> is not an offset: {v:?}")))
                            };
                            match name.as_str() {
                                "start" if !in_gaztag => t.start = Some(number("start")?),
                                "end" if !in_gaztag => t.end = Some(number("end")?),
                                "phrase" if !in_gaztag => t.phrase = Some(value),
                                "lat" if in_gaztag => t.lat = v.parse().ok(),
                                "lon" if in_gaztag => t.lon = v.parse().ok(),
                                _ => {}
                            }
                        }
                    }
                    "gaztag" => in_gaztag = false,
                    "toponym" => {
                        if let (Some(a), Some(t)) = (article.as_mut(), toponym.take()) {
                            a.toponyms.push(t);
                        }
                    }
                    "article" => {
                        if let Some(a) = article.take() {
                            corpus.documents.push(finish(a, label, &mut corpus.stats)?);
                        }
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(parse_error(
            label,
            format!("unclosed <{}>", stack.join("><")),
        ));
    }
    Ok(corpus)
}

fn finish(
    a: Article,
    label: &str,
    stats: &mut super::ReadStats,
) -> Result<EvalDocument, EvalError> {
    let text = a
        .text
        .ok_or_else(|| parse_error(label, format!("article {} has no <text>", a.id)))?;
    let chars: Vec<char> = text.chars().collect();
    let mut gold = Vec::new();
    for t in a.toponyms {
        let (Some(start), Some(end)) = (t.start, t.end) else {
            return Err(parse_error(
                label,
                format!("article {}: a toponym lacks <start> or <end>", a.id),
            ));
        };
        let surface = t
            .phrase
            .clone()
            .unwrap_or_else(|| super::char_slice(&text, start, end));
        let Some((start, end)) = anchor(&chars, start, end, &surface, stats) else {
            continue;
        };
        gold.push(GoldMention {
            start,
            end,
            surface,
            kind: GoldKind::Place,
            label: None,
            ids: t
                .geonameid
                .map(|id| vec![format!("geonames:{id}")])
                .unwrap_or_default(),
            coordinates: t.lat.zip(t.lon),
        });
    }
    gold.sort_by_key(|g| (g.start, g.end));
    Ok(EvalDocument {
        id: a.id,
        text,
        gold,
        eval_span: None,
    })
}
