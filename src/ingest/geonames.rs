//! Importer for the GeoNames dump formats (<https://download.geonames.org/export/dump/>):
//!
//! - `allCountries.txt`, `citiesN.txt`, `XX.txt`: 19 tab-separated columns
//!   (geonameid, name, asciiname, alternatenames, latitude, longitude,
//!   feature class, feature code, country code, cc2, admin1–4, population,
//!   elevation, dem, timezone, modification date);
//! - `alternateNamesV2.txt` (10 columns) or the older `alternateNames.txt`
//!   (8 columns): alternateNameId, geonameid, isolanguage, alternate name,
//!   isPreferredName, isShortName, isColloquial, isHistoric[, from, to];
//! - `admin1CodesASCII.txt`: `CC.code`, name, asciiname, geonameid;
//! - `countryInfo.txt`: ISO, ISO3, ISO-Numeric, fips, Country, Capital, Area,
//!   Population, Continent, tld, CurrencyCode, CurrencyName, Phone, Postal
//!   Code Format, Postal Code Regex, Languages, geonameid, neighbours,
//!   EquivalentFipsCode; `#` lines are comments.
//!
//! Every record gets the ID `geonames:<geonameid>` and kind `place`. Names:
//! the `name` column is the primary name; the alternate names, the
//! `asciiname` and the admin1/country names are aliases. With
//! `--alternate-names` the alternate names come from that file, with their
//! language tags, and the `alternatenames` column (an untagged copy of the
//! same table that also holds airport codes) is ignored; without it the
//! column is used. `isolanguage` values that are not language tags are
//! pseudo-codes: `wkdt` gives the Wikidata QID (external ID `wikidata`), the
//! others (`link`, `post`, `iata`, `icao`, `faac`, `tcid`, `unlc`, `abbr`,
//! `fr_1793`, …) are not names and are skipped and counted.
//!
//! The admin1 column becomes the record's `admin1` in `CC.code` form
//! (`US.IL`), the key of `admin1CodesASCII.txt`; a region from that file
//! gets its own code. GeoNames' `00` ("no region") is left out.
//!
//! # Streaming and memory
//!
//! Files are read line by line with [`BufRead`]; no file is held in memory.
//! The alternate-names file is sorted by alternateNameId, not by
//! geonameid, so the import runs in passes:
//!
//! 1. `admin1CodesASCII.txt` and `countryInfo.txt` are read into maps (a few
//!    thousand rows).
//! 2. The main file is read once to validate every row and keep the sorted
//!    geonameids of the rows that pass the filters: 4 bytes per kept row
//!    (48 MB for all 12 million rows of `allCountries.txt`), plus one bit per
//!    kept row to catch duplicate IDs in the second pass.
//! 3. The alternate-names file is read once; rows of kept places go into a
//!    compact table: 12 bytes per name (geonameid, offset, length, language)
//!    plus the name's UTF-8 bytes in one arena, and 8 bytes per Wikidata ID.
//!    For the full 15 million rows that is about 180 MB of table plus about
//!    250 MB of text. Rows of places that were filtered out cost nothing.
//! 4. The main file is streamed again; each kept row becomes one
//!    [`EntityRecord`], joined with its alternate names by binary search.
//!    Admin1 regions and countries missing from the main file follow.
//!
//! [`GeonamesImport`] is an iterator over the records, so a caller can feed
//! an index builder without collecting them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::IngestError;
use crate::entity::{Entity, EntityKind, EntityRecord, ExternalId, Name, NameKind};

/// The ID scheme of GeoNames records: `geonames:112931`.
pub const GEONAMES_SCHEME: &str = "geonames";

const MAIN_COLUMNS: usize = 19;

/// The files of one GeoNames import.
#[derive(Debug, Clone, Default)]
pub struct GeonamesFiles {
    /// `allCountries.txt`, `citiesN.txt` or a country file.
    pub main: PathBuf,
    /// `alternateNamesV2.txt` (or the older 8-column `alternateNames.txt`).
    pub alternate_names: Option<PathBuf>,
    /// `admin1CodesASCII.txt`.
    pub admin1: Option<PathBuf>,
    /// `countryInfo.txt`.
    pub country_info: Option<PathBuf>,
}

/// Which places to keep. Empty lists keep everything; the conditions of
/// different fields must all hold.
#[derive(Debug, Clone, Default)]
pub struct GeonamesFilter {
    /// Feature classes (`P`, `A`, …), upper case.
    pub feature_classes: Vec<String>,
    /// Feature codes (`PPLC`, `ADM1`, …), upper case.
    pub feature_codes: Vec<String>,
    /// Smallest population kept.
    pub min_population: u64,
}

impl GeonamesFilter {
    /// Whether a place with these attributes is kept.
    pub fn keeps(&self, class: &str, code: &str, population: u64) -> bool {
        (self.feature_classes.is_empty() || self.feature_classes.iter().any(|c| c == class))
            && (self.feature_codes.is_empty() || self.feature_codes.iter().any(|c| c == code))
            && population >= self.min_population
    }
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct GeonamesOptions {
    /// Which places to keep.
    pub filter: GeonamesFilter,
    /// Fail on the first malformed row instead of skipping it.
    pub strict: bool,
}

/// What was read from one file.
#[derive(Debug, Clone, Default)]
pub struct FileStats {
    /// The file.
    pub path: PathBuf,
    /// Hex SHA-256 of its bytes.
    pub sha256: String,
    /// Well-formed data rows read (comments and blank lines excluded).
    pub rows: u64,
    /// Malformed rows skipped, by reason.
    pub skipped: BTreeMap<&'static str, u64>,
}

impl FileStats {
    /// Reports malformed row `line` of this file (`reason`, and `detail`
    /// when not empty) to `on_skip` and counts it, or, when `strict`,
    /// returns it as the import's error.
    pub(crate) fn skip_row(
        &mut self,
        (line, reason, detail): (usize, &'static str, String),
        strict: bool,
        on_skip: &mut SkipReporter,
    ) -> Result<(), IngestError> {
        let error = IngestError::Malformed {
            path: self.path.clone(),
            line,
            message: if detail.is_empty() {
                reason.to_string()
            } else {
                format!("{reason}: {detail}")
            },
        };
        if strict {
            return Err(error);
        }
        on_skip(&error);
        *self.skipped.entry(reason).or_default() += 1;
        Ok(())
    }

    fn new(path: &Path) -> Self {
        Self {
            path: path.to_path_buf(),
            ..Self::default()
        }
    }

    /// Malformed rows skipped, all reasons together.
    pub fn skipped_total(&self) -> u64 {
        self.skipped.values().sum()
    }
}

/// Counts of an import, for the build summary.
#[derive(Debug, Clone, Default)]
pub struct GeonamesStats {
    /// The main file.
    pub main: FileStats,
    /// The alternate-names file, when given.
    pub alternate_names: Option<FileStats>,
    /// The admin1 file, when given.
    pub admin1: Option<FileStats>,
    /// The country-info file, when given.
    pub country_info: Option<FileStats>,
    /// Well-formed main rows left out by the filters.
    pub filtered_out: u64,
    /// Main rows whose geonameid was already emitted.
    pub duplicates: u64,
    /// Records emitted.
    pub entities: u64,
    /// Names emitted (primary and aliases).
    pub names: u64,
    /// Records made from admin1 rows missing from the main file.
    pub entities_from_admin1: u64,
    /// Records made from country-info rows missing from the main file.
    pub entities_from_country_info: u64,
    /// Alternate names joined to a kept place.
    pub alternate_names_joined: u64,
    /// Alternate-name rows of places not kept (ignored).
    pub alternate_names_other_places: u64,
    /// Alternate-name rows skipped because their `isolanguage` is a
    /// pseudo-code, by code.
    pub pseudo_codes_skipped: BTreeMap<String, u64>,
    /// Wikidata IDs joined to kept places.
    pub wikidata_ids: u64,
}

impl GeonamesStats {
    /// Every file read, main file first.
    pub fn files(&self) -> impl Iterator<Item = &FileStats> {
        std::iter::once(&self.main)
            .chain(self.alternate_names.as_ref())
            .chain(self.admin1.as_ref())
            .chain(self.country_info.as_ref())
    }

    /// A human-readable summary, one line per item.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "geonames: {} entities, {} names ({} from admin1, {} from countryInfo); {} rows filtered out",
            self.entities,
            self.names,
            self.entities_from_admin1,
            self.entities_from_country_info,
            self.filtered_out
        )];
        if self.alternate_names.is_some() {
            let codes: Vec<String> = self
                .pseudo_codes_skipped
                .iter()
                .map(|(code, n)| format!("{code} {n}"))
                .collect();
            lines.push(format!(
                "geonames: {} alternate names joined, {} Wikidata IDs, {} rows of other places ignored, pseudo-codes skipped: {}",
                self.alternate_names_joined,
                self.wikidata_ids,
                self.alternate_names_other_places,
                if codes.is_empty() { "none".to_string() } else { codes.join(", ") }
            ));
        }
        if self.duplicates > 0 {
            lines.push(format!(
                "geonames: {} rows with a repeated geonameid skipped",
                self.duplicates
            ));
        }
        for file in self.files() {
            let reasons: Vec<String> = file
                .skipped
                .iter()
                .map(|(reason, n)| format!("{reason} {n}"))
                .collect();
            lines.push(format!(
                "{}: {} rows, {} malformed rows skipped{}",
                file.path.display(),
                file.rows,
                file.skipped_total(),
                if reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", reasons.join(", "))
                }
            ));
        }
        lines
    }
}

/// Reports a skipped malformed row (file, line and reason).
pub type SkipReporter = Box<dyn FnMut(&IngestError)>;

/// A GeoNames import: [`open`](Self::open) reads the small files, validates
/// the main file and joins the alternate names; iterating streams the
/// records.
pub struct GeonamesImport {
    options: GeonamesOptions,
    stats: GeonamesStats,
    on_skip: SkipReporter,
    /// Sorted geonameids of kept places (main rows and admin1/country rows).
    kept: Vec<u32>,
    /// One bit per `kept` entry: already emitted.
    emitted: Vec<u64>,
    alternates: AlternateNames,
    /// Admin1/country rows whose place is in the main file: extra names.
    enrich: HashMap<u32, Aux>,
    /// Admin1/country rows missing from the main file, to emit at the end.
    pending: std::vec::IntoIter<(u32, Aux)>,
    main: Option<Lines>,
}

impl std::fmt::Debug for GeonamesImport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GeonamesImport")
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct Aux {
    name: String,
    ascii: String,
    country: String,
    feature_code: &'static str,
    population: u64,
    /// The region's own code (the part after `CC.`), for admin1 rows;
    /// empty for countries.
    admin1: String,
    in_main: bool,
    from_admin1: bool,
}

#[derive(Debug, Default)]
struct AlternateNames {
    /// (geonameid, arena offset, byte length, language index), sorted by
    /// geonameid, file order within one place.
    entries: Vec<AltEntry>,
    arena: String,
    /// Language tags; index 0 is "no language".
    langs: Vec<String>,
    lang_index: HashMap<String, u16>,
    /// (geonameid, QID number), sorted.
    wikidata: Vec<(u32, u32)>,
    /// (QID number, geonameid), sorted: the same pairs keyed by QID.
    by_wikidata: Vec<(u32, u32)>,
}

#[derive(Debug, Clone, Copy)]
struct AltEntry {
    id: u32,
    start: u32,
    len: u16,
    lang: u16,
}

impl AlternateNames {
    fn names_of(&self, id: u32) -> &[AltEntry] {
        let start = self.entries.partition_point(|e| e.id < id);
        let end = start + self.entries[start..].partition_point(|e| e.id == id);
        &self.entries[start..end]
    }

    fn text(&self, e: &AltEntry) -> &str {
        &self.arena[e.start as usize..e.start as usize + e.len as usize]
    }

    fn lang(&self, e: &AltEntry) -> Option<&str> {
        (e.lang != 0).then(|| self.langs[e.lang as usize].as_str())
    }

    fn geonames_id_of_wikidata(&self, qid: u32) -> Option<u32> {
        let i = self.by_wikidata.partition_point(|w| w.0 < qid);
        self.by_wikidata.get(i).filter(|w| w.0 == qid).map(|w| w.1)
    }

    fn wikidata_of(&self, id: u32) -> Option<u32> {
        let i = self.wikidata.partition_point(|w| w.0 < id);
        self.wikidata.get(i).filter(|w| w.0 == id).map(|w| w.1)
    }

    fn intern_lang(&mut self, lang: &str) -> u16 {
        if lang.is_empty() {
            return 0;
        }
        if let Some(&i) = self.lang_index.get(lang) {
            return i;
        }
        if self.langs.is_empty() {
            self.langs.push(String::new());
        }
        let Ok(i) = u16::try_from(self.langs.len()) else {
            return 0;
        };
        self.langs.push(lang.to_string());
        self.lang_index.insert(lang.to_string(), i);
        i
    }
}

impl GeonamesImport {
    /// Opens every file (failing with the path of the first one that cannot
    /// be opened, before reading anything), reads admin1 and country info,
    /// validates the main file and joins the alternate names. Malformed rows
    /// go to `on_skip` and are counted, or fail the import when
    /// `options.strict`.
    pub fn open(
        files: &GeonamesFiles,
        options: GeonamesOptions,
        on_skip: SkipReporter,
    ) -> Result<Self, IngestError> {
        let mut main = Lines::open(&files.main)?;
        let alternate_names = files
            .alternate_names
            .as_deref()
            .map(Lines::open)
            .transpose()?;
        let admin1 = files.admin1.as_deref().map(Lines::open).transpose()?;
        let country_info = files.country_info.as_deref().map(Lines::open).transpose()?;

        let mut import = Self {
            options,
            stats: GeonamesStats {
                main: FileStats::new(&files.main),
                ..GeonamesStats::default()
            },
            on_skip,
            kept: Vec::new(),
            emitted: Vec::new(),
            alternates: AlternateNames::default(),
            enrich: HashMap::new(),
            pending: Vec::new().into_iter(),
            main: None,
        };
        let mut aux: HashMap<u32, Aux> = HashMap::new();
        if let Some(lines) = admin1 {
            import.stats.admin1 = Some(import.read_admin1(lines, &mut aux)?);
        }
        if let Some(lines) = country_info {
            import.stats.country_info = Some(import.read_country_info(lines, &mut aux)?);
        }

        // Pass 1 over the main file: validate, filter, keep the IDs.
        let mut kept = Vec::new();
        let mut main_stats = FileStats::new(&files.main);
        while main.advance()? {
            let line_number = main.line;
            let line = match main.text() {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => line,
                Err(_) => {
                    import.skip_row(
                        &mut main_stats,
                        line_number,
                        "invalid UTF-8",
                        String::new(),
                    )?;
                    continue;
                }
            };
            match parse_main(line) {
                Ok(row) => {
                    main_stats.rows += 1;
                    if let Some(a) = aux.get_mut(&row.id) {
                        a.in_main = true;
                    }
                    if import
                        .options
                        .filter
                        .keeps(row.class, row.code, row.population)
                    {
                        kept.push(row.id);
                    } else {
                        import.stats.filtered_out += 1;
                    }
                }
                Err((reason, detail)) => {
                    import.skip_row(&mut main_stats, line_number, reason, detail)?
                }
            }
        }
        main_stats.sha256 = main.finish();
        import.stats.main = main_stats;

        let mut pending = Vec::new();
        for (id, a) in aux {
            if a.in_main {
                import.enrich.insert(id, a);
            } else if import
                .options
                .filter
                .keeps("A", a.feature_code, a.population)
            {
                kept.push(id);
                pending.push((id, a));
            }
        }
        pending.sort_unstable_by_key(|p| p.0);
        kept.sort_unstable();
        kept.dedup();
        kept.shrink_to_fit();
        import.emitted = vec![0; kept.len().div_ceil(64)];
        import.kept = kept;
        import.pending = pending.into_iter();

        if let Some(lines) = alternate_names {
            import.stats.alternate_names = Some(import.read_alternate_names(lines)?);
        }
        import.main = Some(Lines::open(&files.main)?);
        Ok(import)
    }

    /// Counts so far; complete once the iterator is exhausted.
    pub fn stats(&self) -> &GeonamesStats {
        &self.stats
    }

    /// Whether the place of this geonameid passed the filters and will be
    /// emitted (known once [`open`](Self::open) returns), so that another
    /// source can hold back its records of that place to merge them.
    pub fn keeps(&self, geonameid: u32) -> bool {
        self.kept.binary_search(&geonameid).is_ok()
    }

    /// The kept place whose `wkdt` alternate name is this Wikidata QID
    /// number (the lowest geonameid when several are), so that a Wikidata
    /// item without a GeoNames ID still meets its place.
    pub fn geonames_id_of_wikidata(&self, qid: u32) -> Option<u32> {
        self.alternates.geonames_id_of_wikidata(qid)
    }

    fn skip_row(
        &mut self,
        stats: &mut FileStats,
        line: usize,
        reason: &'static str,
        detail: String,
    ) -> Result<(), IngestError> {
        stats.skip_row(
            (line, reason, detail),
            self.options.strict,
            &mut self.on_skip,
        )
    }

    /// The next data line of a small table (admin1, countryInfo) with its
    /// line number: blank and `#` comment lines are passed over, a line
    /// that is not UTF-8 is skipped as a malformed row.
    fn next_table_line(
        &mut self,
        lines: &mut Lines,
        stats: &mut FileStats,
    ) -> Result<Option<(usize, String)>, IngestError> {
        while lines.advance()? {
            let n = lines.line;
            match lines.text() {
                Ok(l) if l.trim().is_empty() || l.starts_with('#') => {}
                Ok(l) => return Ok(Some((n, l.to_string()))),
                Err(_) => self.skip_row(stats, n, "invalid UTF-8", String::new())?,
            }
        }
        Ok(None)
    }

    fn read_admin1(
        &mut self,
        mut lines: Lines,
        aux: &mut HashMap<u32, Aux>,
    ) -> Result<FileStats, IngestError> {
        let mut stats = FileStats::new(&lines.path);
        while let Some((n, line)) = self.next_table_line(&mut lines, &mut stats)? {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() != 4 {
                self.skip_row(
                    &mut stats,
                    n,
                    "wrong column count",
                    format!("{} columns, expected 4", cols.len()),
                )?;
                continue;
            }
            let (country, code) = match cols[0].split_once('.') {
                Some((cc, code)) if is_country_code(cc) && !code.is_empty() => (cc, code),
                _ => {
                    self.skip_row(
                        &mut stats,
                        n,
                        "bad admin1 code",
                        format!("{:?} is not CC.code", cols[0]),
                    )?;
                    continue;
                }
            };
            let Ok(id) = cols[3].trim().parse::<u32>() else {
                self.skip_row(
                    &mut stats,
                    n,
                    "bad geonameid",
                    format!("{:?} is not a number", cols[3]),
                )?;
                continue;
            };
            if cols[1].trim().is_empty() {
                self.skip_row(&mut stats, n, "empty name", String::new())?;
                continue;
            }
            stats.rows += 1;
            aux.insert(
                id,
                Aux {
                    name: cols[1].trim().to_string(),
                    ascii: cols[2].trim().to_string(),
                    country: country.to_ascii_uppercase(),
                    feature_code: "ADM1",
                    population: 0,
                    admin1: code.trim().to_string(),
                    in_main: false,
                    from_admin1: true,
                },
            );
        }
        stats.sha256 = lines.finish();
        Ok(stats)
    }

    fn read_country_info(
        &mut self,
        mut lines: Lines,
        aux: &mut HashMap<u32, Aux>,
    ) -> Result<FileStats, IngestError> {
        let mut stats = FileStats::new(&lines.path);
        while let Some((n, line)) = self.next_table_line(&mut lines, &mut stats)? {
            let cols: Vec<&str> = line.split('\t').collect();
            // The trailing columns (neighbours, EquivalentFipsCode) are
            // often empty; some copies drop their tabs.
            if !(17..=19).contains(&cols.len()) {
                self.skip_row(
                    &mut stats,
                    n,
                    "wrong column count",
                    format!("{} columns, expected 19", cols.len()),
                )?;
                continue;
            }
            if !is_country_code(cols[0]) {
                self.skip_row(
                    &mut stats,
                    n,
                    "bad country code",
                    format!("{:?} is not an ISO 3166-1 alpha-2 code", cols[0]),
                )?;
                continue;
            }
            let Ok(id) = cols[16].trim().parse::<u32>() else {
                self.skip_row(
                    &mut stats,
                    n,
                    "bad geonameid",
                    format!("{:?} is not a number", cols[16]),
                )?;
                continue;
            };
            let Some(population) = parse_population(cols[7]) else {
                self.skip_row(
                    &mut stats,
                    n,
                    "bad population",
                    format!("{:?} is not a number", cols[7]),
                )?;
                continue;
            };
            if cols[4].trim().is_empty() {
                self.skip_row(&mut stats, n, "empty name", String::new())?;
                continue;
            }
            stats.rows += 1;
            aux.insert(
                id,
                Aux {
                    name: cols[4].trim().to_string(),
                    ascii: String::new(),
                    country: cols[0].to_ascii_uppercase(),
                    feature_code: "PCLI",
                    population,
                    admin1: String::new(),
                    in_main: false,
                    from_admin1: false,
                },
            );
        }
        stats.sha256 = lines.finish();
        Ok(stats)
    }

    fn read_alternate_names(&mut self, mut lines: Lines) -> Result<FileStats, IngestError> {
        let mut stats = FileStats::new(&lines.path);
        let mut alt = AlternateNames::default();
        alt.langs.push(String::new());
        while lines.advance()? {
            let n = lines.line;
            let line = match lines.text() {
                Ok(l) if l.trim().is_empty() => continue,
                Ok(l) => l,
                Err(_) => {
                    self.skip_row(&mut stats, n, "invalid UTF-8", String::new())?;
                    continue;
                }
            };
            let mut cols = [""; 10];
            let mut count = 0;
            for col in line.split('\t') {
                if count < cols.len() {
                    cols[count] = col;
                }
                count += 1;
            }
            if count != 8 && count != 10 {
                self.skip_row(
                    &mut stats,
                    n,
                    "wrong column count",
                    format!("{count} columns, expected 10 (or 8)"),
                )?;
                continue;
            }
            let Ok(id) = cols[1].parse::<u32>() else {
                let detail = format!("{:?} is not a number", cols[1]);
                self.skip_row(&mut stats, n, "bad geonameid", detail)?;
                continue;
            };
            let (lang, name) = (cols[2], cols[3].trim());
            if name.is_empty() {
                self.skip_row(&mut stats, n, "empty name", String::new())?;
                continue;
            }
            stats.rows += 1;
            if self.kept.binary_search(&id).is_err() {
                self.stats.alternate_names_other_places += 1;
                continue;
            }
            if lang == "wkdt" {
                match name.strip_prefix('Q').and_then(|q| q.parse::<u32>().ok()) {
                    Some(q) => alt.wikidata.push((id, q)),
                    None => {
                        let detail = format!("{name:?} is not a Wikidata QID");
                        self.skip_row(&mut stats, n, "bad Wikidata ID", detail)?;
                    }
                }
                continue;
            }
            if !lang.is_empty() && !is_language_tag(lang) {
                *self
                    .stats
                    .pseudo_codes_skipped
                    .entry(lang.to_string())
                    .or_default() += 1;
                continue;
            }
            let Ok(len) = u16::try_from(name.len()) else {
                self.skip_row(&mut stats, n, "name too long", String::new())?;
                continue;
            };
            let Ok(start) = u32::try_from(alt.arena.len()) else {
                return Err(IngestError::Malformed {
                    path: stats.path.clone(),
                    line: n,
                    message: "alternate names of the kept places exceed 4 GiB; filter more".into(),
                });
            };
            alt.arena.push_str(name);
            let lang = alt.intern_lang(lang);
            alt.entries.push(AltEntry {
                id,
                start,
                len,
                lang,
            });
        }
        stats.sha256 = lines.finish();
        // Stable: a place's names stay in file order.
        alt.entries.sort_by_key(|e| e.id);
        alt.entries.shrink_to_fit();
        alt.arena.shrink_to_fit();
        alt.wikidata.sort_unstable();
        alt.wikidata.dedup_by_key(|w| w.0);
        alt.by_wikidata = alt.wikidata.iter().map(|&(id, q)| (q, id)).collect();
        alt.by_wikidata.sort_unstable();
        self.stats.alternate_names_joined = alt.entries.len() as u64;
        self.stats.wikidata_ids = alt.wikidata.len() as u64;
        self.alternates = alt;
        Ok(stats)
    }

    fn mark_emitted(&mut self, id: u32) -> bool {
        let Ok(i) = self.kept.binary_search(&id) else {
            return false;
        };
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let first = self.emitted[word] & bit == 0;
        self.emitted[word] |= bit;
        first
    }

    fn next_main(&mut self) -> Result<Option<EntityRecord>, IngestError> {
        loop {
            let Some(lines) = self.main.as_mut() else {
                return Ok(None);
            };
            if !lines.advance()? {
                self.main = None;
                return Ok(None);
            }
            let Ok(line) = lines.text() else { continue };
            // Malformed rows were reported in the first pass.
            let Ok(row) = parse_main(line) else { continue };
            if !self
                .options
                .filter
                .keeps(row.class, row.code, row.population)
            {
                continue;
            }
            let row = row.to_owned_row();
            if !self.mark_emitted(row.id) {
                self.stats.duplicates += 1;
                continue;
            }
            let aux = self.enrich.remove(&row.id);
            return Ok(Some(self.record(row, aux.as_ref())));
        }
    }

    fn record(&mut self, row: OwnedRow, aux: Option<&Aux>) -> EntityRecord {
        let mut names = vec![Name {
            text: row.name.clone(),
            lang: None,
            kind: NameKind::Primary,
            demonym: false,
        }];
        let mut seen: HashSet<String> = HashSet::new();
        seen.insert(row.name.clone());
        let mut add = |names: &mut Vec<Name>, text: &str, lang: Option<&str>| {
            let text = text.trim();
            if !text.is_empty() && seen.insert(text.to_string()) {
                names.push(Name {
                    text: text.to_string(),
                    lang: lang.map(str::to_string),
                    kind: NameKind::Alias,
                    demonym: false,
                });
            }
        };
        for e in self.alternates.names_of(row.id) {
            add(&mut names, self.alternates.text(e), self.alternates.lang(e));
        }
        if let Some(aux) = aux {
            add(&mut names, &aux.name, None);
            add(&mut names, &aux.ascii, None);
        }
        add(&mut names, &row.ascii, None);
        if self.stats.alternate_names.is_none() {
            for alternate in row.alternates.split(',') {
                add(&mut names, alternate, None);
            }
        }
        let mut external_ids = Vec::new();
        if let Some(q) = self.alternates.wikidata_of(row.id) {
            external_ids.push(ExternalId {
                scheme: "wikidata".into(),
                id: format!("Q{q}"),
            });
        }
        let country_code = Some(row.country.as_str())
            .filter(|c| is_country_code(c))
            .or(aux.map(|a| a.country.as_str()))
            .map(str::to_ascii_uppercase);
        let population = if row.population == 0 {
            aux.map_or(0, |a| a.population)
        } else {
            row.population
        };
        let admin1 = country_code.as_deref().and_then(|cc| {
            admin1_code(cc, &row.admin1).or_else(|| aux.and_then(|a| admin1_code(cc, &a.admin1)))
        });
        self.stats.entities += 1;
        self.stats.names += names.len() as u64;
        EntityRecord {
            entity: Entity {
                id: format!("{GEONAMES_SCHEME}:{}", row.id),
                kind: EntityKind::Place,
                name: row.name,
                external_ids,
                country_code,
                feature_code: Some(row.code).filter(|c| !c.is_empty()),
                coordinates: row.coordinates,
                population,
                admin1,
            },
            names,
            prominence: 0,
        }
    }
}

impl Iterator for GeonamesImport {
    type Item = Result<EntityRecord, IngestError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_main() {
            Ok(Some(record)) => return Some(Ok(record)),
            Ok(None) => {}
            Err(e) => {
                self.main = None;
                return Some(Err(e));
            }
        }
        let (id, aux) = self.pending.next()?;
        if aux.from_admin1 {
            self.stats.entities_from_admin1 += 1;
        } else {
            self.stats.entities_from_country_info += 1;
        }
        let row = OwnedRow {
            id,
            name: aux.name.clone(),
            ascii: aux.ascii.clone(),
            alternates: String::new(),
            coordinates: None,
            code: aux.feature_code.to_string(),
            country: aux.country.clone(),
            admin1: aux.admin1.clone(),
            population: aux.population,
        };
        Some(Ok(self.record(row, None)))
    }
}

/// The geonameid a record stands for: its own ID when it is
/// `geonames:N`, else its `geonames` external ID.
pub fn geonames_id_of(record: &EntityRecord) -> Option<u32> {
    if let Some(n) = record
        .entity
        .id
        .strip_prefix(GEONAMES_SCHEME)
        .and_then(|rest| rest.strip_prefix(':'))
    {
        return n.parse().ok();
    }
    record
        .entity
        .external_ids
        .iter()
        .find(|e| e.scheme == GEONAMES_SCHEME)
        .and_then(|e| e.id.parse().ok())
}

/// Merges `other` (the same place from another source) into `into`: its
/// names become aliases, its ID and external IDs become external IDs of
/// schemes `into` lacks, it fills fields `into` leaves empty, and the
/// larger prominence stays.
pub fn merge_record(into: &mut EntityRecord, other: EntityRecord) {
    let EntityRecord {
        entity,
        names,
        prominence,
    } = other;
    into.prominence = into.prominence.max(prominence);
    let has_scheme = |ids: &[ExternalId], scheme: &str| ids.iter().any(|e| e.scheme == scheme);
    if entity.id != into.entity.id {
        if let Some((scheme, id)) = entity.id.split_once(':') {
            if scheme != GEONAMES_SCHEME && !has_scheme(&into.entity.external_ids, scheme) {
                into.entity.external_ids.push(ExternalId {
                    scheme: scheme.to_string(),
                    id: id.to_string(),
                });
            }
        }
    }
    for external in entity.external_ids {
        if external.scheme != GEONAMES_SCHEME
            && !has_scheme(&into.entity.external_ids, &external.scheme)
        {
            into.entity.external_ids.push(external);
        }
    }
    for name in names {
        if !into.names.iter().any(|n| n.text == name.text) {
            into.names.push(Name {
                kind: NameKind::Alias,
                demonym: false,
                ..name
            });
        }
    }
    let e = &mut into.entity;
    if e.country_code.is_none() {
        e.country_code = entity.country_code;
    }
    if e.feature_code.is_none() {
        e.feature_code = entity.feature_code;
    }
    if e.coordinates.is_none() {
        e.coordinates = entity.coordinates;
    }
    if e.population == 0 {
        e.population = entity.population;
    }
    if e.admin1.is_none() {
        e.admin1 = entity.admin1;
    }
}

struct MainRow<'a> {
    id: u32,
    name: &'a str,
    ascii: &'a str,
    alternates: &'a str,
    coordinates: (f64, f64),
    class: &'a str,
    code: &'a str,
    country: &'a str,
    admin1: &'a str,
    population: u64,
}

struct OwnedRow {
    id: u32,
    name: String,
    ascii: String,
    alternates: String,
    coordinates: Option<(f64, f64)>,
    code: String,
    country: String,
    admin1: String,
    population: u64,
}

impl MainRow<'_> {
    fn to_owned_row(&self) -> OwnedRow {
        OwnedRow {
            id: self.id,
            name: self.name.to_string(),
            ascii: self.ascii.to_string(),
            alternates: self.alternates.to_string(),
            coordinates: Some(self.coordinates),
            code: self.code.to_string(),
            country: self.country.to_string(),
            admin1: self.admin1.to_string(),
            population: self.population,
        }
    }
}

fn parse_main(line: &str) -> Result<MainRow<'_>, (&'static str, String)> {
    let mut cols = [""; MAIN_COLUMNS];
    let mut count = 0;
    for col in line.split('\t') {
        if count < MAIN_COLUMNS {
            cols[count] = col;
        }
        count += 1;
    }
    if count != MAIN_COLUMNS {
        return Err((
            "wrong column count",
            format!("{count} columns, expected {MAIN_COLUMNS}"),
        ));
    }
    let id = cols[0]
        .parse::<u32>()
        .map_err(|_| ("bad geonameid", format!("{:?} is not a number", cols[0])))?;
    let name = cols[1].trim();
    if name.is_empty() {
        return Err(("empty name", String::new()));
    }
    let lat = cols[4].trim().parse::<f64>().ok();
    let lon = cols[5].trim().parse::<f64>().ok();
    let coordinates = match (lat, lon) {
        (Some(lat), Some(lon))
            if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) =>
        {
            (lat, lon)
        }
        _ => {
            return Err((
                "bad coordinates",
                format!("latitude {:?}, longitude {:?}", cols[4], cols[5]),
            ))
        }
    };
    let population = parse_population(cols[14])
        .ok_or_else(|| ("bad population", format!("{:?} is not a number", cols[14])))?;
    Ok(MainRow {
        id,
        name,
        ascii: cols[2],
        alternates: cols[3],
        coordinates,
        class: cols[6],
        code: cols[7],
        country: cols[8],
        admin1: cols[10],
        population,
    })
}

/// A region's key in `CC.code` form; `None` for an empty code or GeoNames'
/// `00`, which means no first-level region.
fn admin1_code(country: &str, code: &str) -> Option<String> {
    let code = code.trim();
    if code.is_empty() || code == "00" || !is_country_code(country) {
        return None;
    }
    Some(format!("{}.{code}", country.to_ascii_uppercase()))
}

/// An empty population is 0.
fn parse_population(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        Some(0)
    } else {
        s.parse().ok()
    }
}

fn is_country_code(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic())
}

/// A GeoNames language tag: an ISO 639 code of 2 or 3 letters, optionally
/// followed by subtags (`zh-CN`, `zh-Hant`, `sr-Latn`). Anything else
/// (`post`, `iata`, `link`, `fr_1793`, …) is a pseudo-code.
pub fn is_language_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_lowercase())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// A file read line by line, hashing its bytes as they go by.
struct Lines {
    path: PathBuf,
    reader: BufReader<Hashing<File>>,
    buf: Vec<u8>,
    line: usize,
}

struct Hashing<R> {
    inner: R,
    hasher: Sha256,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

impl Lines {
    fn open(path: &Path) -> Result<Self, IngestError> {
        let file = File::open(path).map_err(|source| IngestError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Ok(Self {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(
                1 << 16,
                Hashing {
                    inner: file,
                    hasher: Sha256::new(),
                },
            ),
            buf: Vec::new(),
            line: 0,
        })
    }

    /// Reads the next line into the buffer; false at the end of the file.
    fn advance(&mut self) -> Result<bool, IngestError> {
        self.buf.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|source| IngestError::Io {
                path: self.path.clone(),
                source,
            })?;
        if n == 0 {
            return Ok(false);
        }
        self.line += 1;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        Ok(true)
    }

    /// The current line, without its terminator.
    fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.buf)
    }

    /// Hex SHA-256 of the bytes read.
    fn finish(self) -> String {
        let digest = self.reader.into_inner().hasher.finalize();
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_and_pseudo_codes() {
        for tag in ["en", "fa", "zh-CN", "zh-Hant", "sr-Latn", "ast"] {
            assert!(is_language_tag(tag), "{tag}");
        }
        for code in [
            "link", "post", "iata", "icao", "faac", "tcid", "unlc", "abbr", "fr_1793", "wkdt",
            "EN", "",
        ] {
            assert!(!is_language_tag(code), "{code}");
        }
    }

    #[test]
    fn parses_a_main_row() {
        let line = "112931\tTehran\tTehran\tTeheran,THR,تهران\t35.69439\t51.42151\tP\tPPLC\tIR\t\t26\t\t\t\t7153309\t\t1195\tAsia/Tehran\t2023-01-01";
        let row = parse_main(line).unwrap();
        assert_eq!(row.id, 112931);
        assert_eq!(row.code, "PPLC");
        assert_eq!(row.population, 7153309);
        assert_eq!(row.coordinates, (35.69439, 51.42151));
        let bad = line.replace("\t7153309\t", "\tmany\t");
        assert_eq!(parse_main(&bad).err().unwrap().0, "bad population");
        assert_eq!(parse_main("1\tA").err().unwrap().0, "wrong column count");
    }

    #[test]
    fn filters_combine() {
        let filter = GeonamesFilter {
            feature_classes: vec!["P".into(), "A".into()],
            feature_codes: vec![],
            min_population: 1000,
        };
        assert!(filter.keeps("P", "PPL", 1000));
        assert!(!filter.keeps("P", "PPL", 999));
        assert!(!filter.keeps("H", "LK", 5000));
    }

    #[test]
    fn places_and_regions_carry_their_admin1_code() {
        let fixture = |name: &str| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/geonames")
                .join(name)
        };
        let files = GeonamesFiles {
            main: fixture("allCountries.txt"),
            alternate_names: None,
            admin1: Some(fixture("admin1CodesASCII.txt")),
            country_info: Some(fixture("countryInfo.txt")),
        };
        let import = GeonamesImport::open(&files, GeonamesOptions::default(), Box::new(|_| {}))
            .expect("opens");
        let admin1: HashMap<String, Option<String>> = import
            .map(|r| r.expect("record").entity)
            .map(|e| (e.id, e.admin1))
            .collect();
        for (id, code) in [
            // A city, and the province it lies in (main file, admin1 26).
            ("geonames:112931", Some("IR.26")),
            ("geonames:110791", Some("IR.26")),
            ("geonames:2643743", Some("GB.ENG")),
            // A country: GeoNames' `00` is no region.
            ("geonames:130758", None),
            // A region only in admin1CodesASCII.txt gets its own code.
            ("geonames:3012874", Some("FR.11")),
        ] {
            assert_eq!(admin1[id].as_deref(), code, "{id}");
        }
        assert_eq!(admin1_code("us", "IL").as_deref(), Some("US.IL"));
        assert_eq!(admin1_code("US", " 00 "), None);
        assert_eq!(admin1_code("USA", "IL"), None);
    }
}
