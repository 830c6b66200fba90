//! Importer for the Wikidata JSON dump
//! (`latest-all.json.gz`, `latest-all.json.bz2`; the entity format is
//! <https://www.mediawiki.org/wiki/Wikibase/DataModel/JSON>).
//!
//! A dump is a JSON array with one entity per line: `[`, then lines
//! `{…},`, then `]`. Plain JSON Lines (one entity per line, no brackets or
//! commas) is read as well. The file may be plain, gzip or bzip2: the
//! format is told by its first bytes, not by its name, and multi-member
//! (parallel-compressed) files are read to the end.
//!
//! Items are kept by their "instance of" (P31) classes (see [`classes`]):
//! humans as people, countries, regions, cities, … as places, companies,
//! parties, … as organisations; everything else, and properties and
//! lexemes, is skipped and counted. A kept item becomes one record with the
//! ID `wikidata:Q…` and:
//!
//! - names: every label and alias in every language, tagged with its
//!   language, each text once; the primary name is the English label, else
//!   the `mul` (all languages) label, else the label of the first language
//!   in code order;
//! - prominence: the sitelink count;
//! - coordinates (P625, on Earth), population (P1082: the preferred
//!   statement, else the one with the latest point in time P585), the
//!   GeoNames ID (P1566) as external ID `geonames`;
//! - country (P17) as an ISO 3166-1 code, taken from the P297 of the
//!   country's own item. That item must be in the same dump; when it is not
//!   (or has no P297, as for historical states), the country is left empty.
//!
//! # Streaming and memory
//!
//! The file is decompressed as a stream and read line by line; a line
//! longer than [`MAX_LINE_BYTES`] is skipped as malformed without being
//! held. Memory holds one line, the ISO code of every country item seen
//! (a few hundred), and the records whose country item has not been seen
//! yet, which wait until the end of the file. Countries have low QIDs and
//! come early in real dumps, so that queue stays small.

pub mod classes;
mod json;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use self::json::{parse_line, DumpLine, Item};
use super::{FileStats, IngestError, SkipReporter, GEONAMES_SCHEME};
use crate::entity::{Entity, EntityKind, EntityRecord, ExternalId, Name, NameKind};

/// The ID scheme of Wikidata records: `wikidata:Q3616`.
pub const WIKIDATA_SCHEME: &str = "wikidata";

/// The longest dump line read; longer ones are skipped as malformed. The
/// biggest items of a 2024 dump take a few MB.
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct WikidataOptions {
    /// Fail on the first malformed line instead of skipping it.
    pub strict: bool,
}

/// Counts of an import, for the build summary.
#[derive(Debug, Clone, Default)]
pub struct WikidataStats {
    /// The dump file: its lines holding an entity, and the malformed ones.
    pub file: FileStats,
    /// Records emitted, by kind.
    pub entities: BTreeMap<EntityKind, u64>,
    /// Names emitted (primary and aliases), by kind of entity.
    pub names: BTreeMap<EntityKind, u64>,
    /// Items skipped because none of their P31 classes is kept.
    pub unkept_class: u64,
    /// Kept items skipped because they have no label at all.
    pub no_label: u64,
    /// Entities that are not items (properties, lexemes), skipped.
    pub not_items: u64,
    /// Records whose country (P17) became an ISO code.
    pub countries_resolved: u64,
    /// Records whose country (P17) item has no ISO code in the dump.
    pub countries_unresolved: u64,
    /// Records with a GeoNames ID.
    pub geonames_ids: u64,
}

impl WikidataStats {
    /// Records emitted, all kinds.
    pub fn entities_total(&self) -> u64 {
        self.entities.values().sum()
    }

    /// A human-readable summary, one line per item.
    pub fn summary_lines(&self) -> Vec<String> {
        let per_kind: Vec<String> = EntityKind::ALL
            .iter()
            .map(|kind| {
                format!(
                    "{} {} ({} names)",
                    kind.as_str(),
                    self.entities.get(kind).copied().unwrap_or(0),
                    self.names.get(kind).copied().unwrap_or(0)
                )
            })
            .collect();
        let reasons: Vec<String> = self
            .file
            .skipped
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect();
        vec![
            format!(
                "wikidata: {} entities: {}",
                self.entities_total(),
                per_kind.join(", ")
            ),
            format!(
                "wikidata: skipped {} items of other classes, {} without a label, {} entities that are not items; {} GeoNames IDs; countries: {} as ISO codes, {} without one in the dump",
                self.unkept_class,
                self.no_label,
                self.not_items,
                self.geonames_ids,
                self.countries_resolved,
                self.countries_unresolved
            ),
            format!(
                "{}: {} entity lines, {} malformed lines skipped{}",
                self.file.path.display(),
                self.file.rows,
                self.file.skipped_total(),
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join(", "))
                }
            ),
        ]
    }
}

/// A streaming import of one dump: an iterator over its records.
pub struct WikidataImport {
    options: WikidataOptions,
    stats: WikidataStats,
    on_skip: SkipReporter,
    /// `None` once the end of the file is reached.
    lines: Option<DumpReader>,
    total_bytes: Option<u64>,
    /// QID number of a country item → its ISO code.
    iso_codes: HashMap<u64, String>,
    /// Records waiting for the item of their country, with its QID number.
    waiting: Vec<(EntityRecord, u64)>,
    /// The waiting records, once the file is read.
    flushing: std::vec::IntoIter<(EntityRecord, u64)>,
    /// The bytes read so far, kept when the reader is finished.
    bytes_done: u64,
}

impl std::fmt::Debug for WikidataImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WikidataImport")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl WikidataImport {
    /// Opens a dump file (failing with its path when it cannot be opened or
    /// its first bytes cannot be read). Malformed lines go to `on_skip`
    /// and are counted, or fail the import when `options.strict`.
    pub fn open(
        path: &Path,
        options: WikidataOptions,
        on_skip: SkipReporter,
    ) -> Result<Self, IngestError> {
        let file = File::open(path).map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let total = file.metadata().ok().map(|m| m.len());
        let mut import = Self::from_reader(path, Box::new(file), options, on_skip)?;
        import.total_bytes = total;
        Ok(import)
    }

    /// Reads a dump from any reader; `label` names it in errors and stats.
    pub fn from_reader(
        label: &Path,
        reader: Box<dyn Read>,
        options: WikidataOptions,
        on_skip: SkipReporter,
    ) -> Result<Self, IngestError> {
        let lines = DumpReader::new(label, reader)?;
        Ok(Self {
            options,
            stats: WikidataStats {
                file: FileStats {
                    path: label.to_path_buf(),
                    ..FileStats::default()
                },
                ..WikidataStats::default()
            },
            on_skip,
            lines: Some(lines),
            total_bytes: None,
            iso_codes: HashMap::new(),
            waiting: Vec::new(),
            flushing: Vec::new().into_iter(),
            bytes_done: 0,
        })
    }

    /// Counts so far; complete once the iterator is exhausted.
    pub fn stats(&self) -> &WikidataStats {
        &self.stats
    }

    /// Bytes of the file read so far, as stored (compressed).
    pub fn bytes_read(&self) -> u64 {
        self.lines
            .as_ref()
            .map_or(self.bytes_done, DumpReader::bytes_read)
    }

    /// Size of the file as stored, when known.
    pub fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    fn skip(
        &mut self,
        line: usize,
        reason: &'static str,
        detail: String,
    ) -> Result<(), IngestError> {
        self.stats.file.skip_row(
            (line, reason, detail),
            self.options.strict,
            &mut self.on_skip,
        )
    }

    /// The next record read from the file, holding back those whose
    /// country is not known yet; `None` at the end of the file.
    fn next_from_file(&mut self) -> Result<Option<EntityRecord>, IngestError> {
        loop {
            let Some(lines) = self.lines.as_mut() else {
                return Ok(None);
            };
            let number = match lines.advance()? {
                Advance::End => {
                    let lines = self.lines.take().expect("reader present");
                    self.bytes_done = lines.bytes_read();
                    self.stats.file.sha256 = lines.finish()?;
                    return Ok(None);
                }
                Advance::TooLong(number) => {
                    let detail = format!("longer than {MAX_LINE_BYTES} bytes");
                    self.skip(number, "line too long", detail)?;
                    continue;
                }
                Advance::Line(number) => number,
            };
            let parsed = match std::str::from_utf8(lines.line()) {
                Ok(text) => parse_line(text),
                Err(e) => Err(("invalid UTF-8", e.to_string())),
            };
            let item = match parsed {
                Ok(DumpLine::Empty) => continue,
                Ok(DumpLine::NotItem) => {
                    self.stats.file.rows += 1;
                    self.stats.not_items += 1;
                    continue;
                }
                Ok(DumpLine::Item(item)) => item,
                Err((reason, detail)) => {
                    self.skip(number, reason, detail)?;
                    continue;
                }
            };
            self.stats.file.rows += 1;
            if let Some(code) = &item.iso_code {
                self.iso_codes.insert(item.qid, code.clone());
            }
            let located = item.geonames_id.is_some() || item.coordinates.is_some();
            let Some(kind) = classes::classify(&item.classes, located) else {
                self.stats.unkept_class += 1;
                continue;
            };
            let country = item.country;
            let Some(mut record) = record(item, kind) else {
                self.stats.no_label += 1;
                continue;
            };
            if record.entity.country_code.is_none() {
                if let Some(country) = country {
                    match self.iso_codes.get(&country) {
                        Some(code) => record.entity.country_code = Some(code.clone()),
                        None => {
                            self.waiting.push((record, country));
                            continue;
                        }
                    }
                }
            }
            return Ok(Some(record));
        }
    }

    fn count(&mut self, record: &EntityRecord) {
        let kind = record.entity.kind;
        *self.stats.entities.entry(kind).or_default() += 1;
        *self.stats.names.entry(kind).or_default() += record.names.len() as u64;
        if record.entity.country_code.is_some() {
            self.stats.countries_resolved += 1;
        }
        if record
            .entity
            .external_ids
            .iter()
            .any(|e| e.scheme == GEONAMES_SCHEME)
        {
            self.stats.geonames_ids += 1;
        }
    }
}

impl Iterator for WikidataImport {
    type Item = Result<EntityRecord, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        let record = match self.next_from_file() {
            Ok(Some(record)) => record,
            Ok(None) => {
                if !self.waiting.is_empty() {
                    self.flushing = std::mem::take(&mut self.waiting).into_iter();
                }
                let (mut record, country) = self.flushing.next()?;
                record.entity.country_code = self.iso_codes.get(&country).cloned();
                if record.entity.country_code.is_none() {
                    self.stats.countries_unresolved += 1;
                }
                record
            }
            Err(e) => {
                self.lines = None;
                self.waiting.clear();
                return Some(Err(e));
            }
        };
        self.count(&record);
        Some(Ok(record))
    }
}

/// The record of a kept item; `None` when it has no label.
fn record(item: Item, kind: EntityKind) -> Option<EntityRecord> {
    let Item {
        qid,
        labels,
        aliases,
        classes: _,
        country: _,
        iso_code,
        coordinates,
        population,
        geonames_id,
        sitelinks,
    } = item;
    let primary = labels
        .iter()
        .enumerate()
        .filter(|(_, (_, text))| !text.trim().is_empty())
        .min_by_key(|&(i, (lang, _))| match lang.as_str() {
            "en" => (0, "", i),
            "mul" => (1, "", i),
            other => (2, other, i),
        })
        .map(|(i, _)| i)?;
    let (primary_lang, name) = &labels[primary];
    let name = name.trim().to_string();
    let mut names = vec![Name {
        text: name.clone(),
        lang: Some(primary_lang.clone()).filter(|l| l != "mul"),
        kind: NameKind::Primary,
        demonym: false,
    }];
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(name.clone());
    for (lang, text) in labels.iter().chain(&aliases) {
        let text = text.trim();
        if !text.is_empty() && seen.insert(text.to_string()) {
            names.push(Name {
                text: text.to_string(),
                lang: Some(lang.clone()).filter(|l| !l.is_empty() && l != "mul"),
                kind: NameKind::Alias,
                demonym: false,
            });
        }
    }
    let external_ids = geonames_id
        .map(|id| ExternalId {
            scheme: GEONAMES_SCHEME.into(),
            id: id.to_string(),
        })
        .into_iter()
        .collect();
    Some(EntityRecord {
        entity: Entity {
            id: format!("{WIKIDATA_SCHEME}:Q{qid}"),
            kind,
            name,
            external_ids,
            // A country's own code; others get theirs through P17.
            country_code: iso_code,
            feature_code: None,
            coordinates,
            population: population.unwrap_or(0),
            admin1: None,
        },
        names,
        prominence: sitelinks,
    })
}

enum Advance {
    Line(usize),
    TooLong(usize),
    End,
}

/// The decompressed lines of a dump, hashing and counting the stored bytes
/// as they go by.
struct DumpReader {
    path: PathBuf,
    decoder: Decoder,
    buf: Vec<u8>,
    line: usize,
}

enum Decoder {
    Plain(BufReader<Stored>),
    Gzip(BufReader<flate2::bufread::MultiGzDecoder<BufReader<Stored>>>),
    Bzip2(BufReader<bzip2::bufread::MultiBzDecoder<BufReader<Stored>>>),
}

/// The file as stored, hashed and counted.
struct Stored {
    inner: Box<dyn Read>,
    hasher: Sha256,
    read: u64,
}

impl Read for Stored {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

const BUFFER: usize = 1 << 16;

impl DumpReader {
    fn new(path: &Path, inner: Box<dyn Read>) -> Result<Self, IngestError> {
        let mut stored = BufReader::with_capacity(
            BUFFER,
            Stored {
                inner,
                hasher: Sha256::new(),
                read: 0,
            },
        );
        let head = stored.fill_buf().map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let decoder = if head.starts_with(&[0x1f, 0x8b]) {
            Decoder::Gzip(BufReader::with_capacity(
                BUFFER,
                flate2::bufread::MultiGzDecoder::new(stored),
            ))
        } else if head.starts_with(b"BZh") {
            Decoder::Bzip2(BufReader::with_capacity(
                BUFFER,
                bzip2::bufread::MultiBzDecoder::new(stored),
            ))
        } else {
            Decoder::Plain(stored)
        };
        Ok(Self {
            path: path.to_path_buf(),
            decoder,
            buf: Vec::new(),
            line: 0,
        })
    }

    fn reader(decoder: &mut Decoder) -> &mut dyn BufRead {
        match decoder {
            Decoder::Plain(r) => r,
            Decoder::Gzip(r) => r,
            Decoder::Bzip2(r) => r,
        }
    }

    fn stored(&self) -> &Stored {
        match &self.decoder {
            Decoder::Plain(r) => r.get_ref(),
            Decoder::Gzip(r) => r.get_ref().get_ref().get_ref(),
            Decoder::Bzip2(r) => r.get_ref().get_ref().get_ref(),
        }
    }

    fn bytes_read(&self) -> u64 {
        self.stored().read
    }

    fn io_error(&self, source: std::io::Error) -> IngestError {
        IngestError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Reads the next line into the buffer (without its terminator); a
    /// line over [`MAX_LINE_BYTES`] is consumed but not kept.
    fn advance(&mut self) -> Result<Advance, IngestError> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        let reader = Self::reader(&mut self.decoder);
        loop {
            let chunk = match reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(source) => {
                    return Err(IngestError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            };
            if chunk.is_empty() {
                break;
            }
            any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                if self.buf.len() + take > MAX_LINE_BYTES + 2 {
                    too_long = true;
                    self.buf = Vec::new();
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            reader.consume(take);
            if done {
                break;
            }
        }
        if !any {
            return Ok(Advance::End);
        }
        self.line += 1;
        if too_long {
            return Ok(Advance::TooLong(self.line));
        }
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(Advance::Line(self.line))
    }

    fn line(&self) -> &[u8] {
        &self.buf
    }

    /// Reads what is left of the stored file (bytes after the end of the
    /// compressed stream) and returns the hex SHA-256 of all of it.
    fn finish(mut self) -> Result<String, IngestError> {
        let result = match &mut self.decoder {
            Decoder::Plain(r) => std::io::copy(r, &mut std::io::sink()),
            Decoder::Gzip(r) => {
                std::io::copy(r.get_mut().get_mut().get_mut(), &mut std::io::sink())
            }
            Decoder::Bzip2(r) => {
                std::io::copy(r.get_mut().get_mut().get_mut(), &mut std::io::sink())
            }
        };
        result.map_err(|e| self.io_error(e))?;
        let stored = match self.decoder {
            Decoder::Plain(r) => r.into_inner(),
            Decoder::Gzip(r) => r.into_inner().into_inner().into_inner(),
            Decoder::Bzip2(r) => r.into_inner().into_inner().into_inner(),
        };
        Ok(stored
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}
