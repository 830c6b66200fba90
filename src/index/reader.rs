//! Opens an index from a directory (memory-mapped) or from memory, checks it
//! against its metadata, and answers lookups without copying.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::num::NonZeroU32;
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use fst::{IntoStreamer, Streamer};

use super::first_tokens::FirstTokens;
use super::{
    FeatureClass, IndexError, IndexFiles, IndexMeta, DATA_FILES, ENTITIES, ENTITY_ROW_SIZE,
    FORMAT_VERSION, IDS_FST, LOWERCASE_FST, META, NAMES_FST, NAME_TABLE, POSTINGS, POSTING_SIZE,
    VARIANTS_FST,
};
use crate::entity::{Entity, EntityKind, NameKind};
use crate::text::KEY_SEPARATOR;

/// The bytes of one index file.
#[derive(Debug)]
pub enum Bytes {
    /// Memory-mapped from disk.
    Mapped(memmap2::Mmap),
    /// Held in memory.
    Owned(Vec<u8>),
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        match self {
            Self::Mapped(m) => m,
            Self::Owned(v) => v,
        }
    }
}

/// One entity listed under a name key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// Entity ordinal.
    pub entity: u32,
    /// Reference into the name table: the name as listed.
    pub name_ref: u32,
    /// Primary name or alias.
    pub name_kind: NameKind,
}

/// An opened, verified index.
#[derive(Debug)]
pub struct Index {
    names: fst::Map<Bytes>,
    ids: fst::Map<Bytes>,
    lowercase_first_tokens: fst::Set<Bytes>,
    lowercase_prefixes: PrefixBitmap,
    variants: fst::Map<Bytes>,
    variant_keys: Bytes,
    demonyms: fst::Map<Bytes>,
    postings: Bytes,
    name_table: Bytes,
    entities: Bytes,
    meta: IndexMeta,
    location: String,
    decoded: DecodedEntities,
    /// Built on first use or by [`Index::warm`]; `None` inside when the
    /// FST has too many first tokens for a table.
    first_name_tokens: OnceLock<Option<FirstTokens>>,
    first_skeletons: OnceLock<Option<FirstTokens>>,
    /// [`LOWERCASE_FST`]'s keys, for [`Index::starts_lowercase_name`].
    lowercase_table: OnceLock<Option<FirstTokens>>,
    /// The demonym keys (before their zero byte), for
    /// [`Index::is_demonym`].
    demonym_table: OnceLock<Option<FirstTokens>>,
    /// Population of each country by ISO code, for
    /// [`Index::country_population`].
    country_populations: OnceLock<HashMap<[u8; 2], u64>>,
    /// External ID → entity, for [`Index::find_external_id`].
    external_ids: OnceLock<HashMap<String, u32>>,
}

/// Entities already decoded, shared between calls. Sharded to keep lock
/// contention low and bounded so a huge index cannot grow it without end.
#[derive(Debug, Default)]
struct DecodedEntities {
    shards: [Mutex<DecodedShard>; DECODED_SHARDS],
}

type DecodedShard = HashMap<u32, Arc<Entity>, BuildHasherDefault<OrdinalHasher>>;

/// Entity ordinals need no SipHash: one multiply spreads them, and the
/// rotation moves the well-mixed high bits down to the bucket bits.
#[derive(Debug, Default)]
struct OrdinalHasher(u64);

impl Hasher for OrdinalHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
}

const DECODED_SHARDS: usize = 16;
const DECODED_PER_SHARD: usize = 4_096;

impl Index {
    /// Opens the index in `dir`, memory-mapping its files. Fails with a
    /// message that says how to rebuild when the directory is not a complete
    /// index of this format version.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        let meta_path = dir.join(META);
        let meta_bytes = std::fs::read(&meta_path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                IndexError::Corrupt {
                    path: meta_path.clone(),
                    reason: "meta.json is missing, so this is not a complete index".into(),
                }
            } else {
                IndexError::Io {
                    path: meta_path.clone(),
                    source,
                }
            }
        })?;
        let meta = parse_meta(&meta_bytes, &meta_path)?;
        let mut files = Vec::with_capacity(DATA_FILES.len());
        for name in DATA_FILES {
            let path = dir.join(name);
            let io = |source| IndexError::Io {
                path: path.clone(),
                source,
            };
            let file = std::fs::File::open(&path).map_err(|source| {
                if source.kind() == std::io::ErrorKind::NotFound {
                    IndexError::Corrupt {
                        path: path.clone(),
                        reason: "file is missing".into(),
                    }
                } else {
                    io(source)
                }
            })?;
            let len = file.metadata().map_err(io)?.len();
            let expected = meta.file_sizes.get(name).copied().unwrap_or(0);
            if len != expected {
                return Err(IndexError::Corrupt {
                    path: path.clone(),
                    reason: format!("{len} bytes where meta.json records {expected}"),
                });
            }
            let bytes = if len == 0 {
                Bytes::Owned(Vec::new())
            } else {
                // SAFETY: index files are written once into a staging
                // directory and renamed into place; nothing modifies them
                // while they are mapped.
                Bytes::Mapped(unsafe { memmap2::Mmap::map(&file) }.map_err(io)?)
            };
            files.push(bytes);
        }
        Self::assemble(files, meta, dir.display().to_string(), dir)
    }

    /// Opens an index built in memory. `location` labels it in `IndexInfo`.
    pub fn from_files(built: IndexFiles, location: &str) -> Result<Self, IndexError> {
        let IndexFiles { files, meta } = built;
        let bytes = files.into_iter().map(|(_, b)| Bytes::Owned(b)).collect();
        Self::assemble(bytes, meta, location.to_string(), Path::new(location))
    }

    fn assemble(
        files: Vec<Bytes>,
        meta: IndexMeta,
        location: String,
        dir: &Path,
    ) -> Result<Self, IndexError> {
        let mut files = files.into_iter();
        let mut next = || files.next().expect("one buffer per data file");
        let corrupt = |file: &str, reason: String| IndexError::Corrupt {
            path: dir.join(file),
            reason,
        };
        let names = fst::Map::new(next()).map_err(|e| corrupt(NAMES_FST, e.to_string()))?;
        let postings = next();
        let name_table = next();
        let entities = next();
        let ids = fst::Map::new(next()).map_err(|e| corrupt(IDS_FST, e.to_string()))?;
        let lowercase_first_tokens =
            fst::Set::new(next()).map_err(|e| corrupt(LOWERCASE_FST, e.to_string()))?;
        let variants = fst::Map::new(next()).map_err(|e| corrupt(VARIANTS_FST, e.to_string()))?;
        let demonyms =
            fst::Map::new(next()).map_err(|e| corrupt(super::DEMONYMS_FST, e.to_string()))?;
        let variant_keys = next();

        let key_count = read_u32(postings.as_ref(), 0).unwrap_or(u32::MAX) as usize;
        let posting_count = key_count
            .checked_add(1)
            .and_then(|n| read_u32(postings.as_ref(), 4 + key_count * 4).map(|c| (n, c)));
        match posting_count {
            Some((n, count))
                if key_count == names.len()
                    && postings.as_ref().len() == 4 + n * 4 + count as usize * POSTING_SIZE => {}
            _ => {
                return Err(corrupt(
                    POSTINGS,
                    format!("posting table does not match the {} names", names.len()),
                ))
            }
        }
        let entity_count = read_u32(entities.as_ref(), 0).unwrap_or(0) as u64;
        if entity_count != meta.entity_count
            || (entities.as_ref().len() as u64) < 4 + entity_count * ENTITY_ROW_SIZE as u64
            || ids.len() as u64 != entity_count
        {
            return Err(corrupt(
                ENTITIES,
                format!(
                    "entity table does not hold the {} entities meta.json records",
                    meta.entity_count
                ),
            ));
        }
        if name_table.as_ref().is_empty() && key_count > 0 {
            return Err(corrupt(NAME_TABLE, "name table is empty".into()));
        }
        let lowercase_prefixes = PrefixBitmap::of(&lowercase_first_tokens);
        Ok(Self {
            names,
            ids,
            lowercase_prefixes,
            lowercase_first_tokens,
            variants,
            variant_keys,
            demonyms,
            postings,
            name_table,
            entities,
            meta,
            location,
            decoded: DecodedEntities::default(),
            first_name_tokens: OnceLock::new(),
            first_skeletons: OnceLock::new(),
            lowercase_table: OnceLock::new(),
            demonym_table: OnceLock::new(),
            country_populations: OnceLock::new(),
            external_ids: OnceLock::new(),
        })
    }

    /// The build metadata.
    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }

    /// Where the index came from: a directory or a label such as `embedded`.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// The version string responses carry.
    pub fn version(&self) -> &str {
        &self.meta.version
    }

    /// Number of entities.
    pub fn entity_count(&self) -> u32 {
        self.meta.entity_count as u32
    }

    /// The state of [`Self::names_fst`] after each first token of a key
    /// (tokens end at [`KEY_SEPARATOR`]), built on first use; `None` for
    /// an index too large for the table.
    pub fn first_name_tokens(&self) -> Option<&FirstTokens> {
        self.first_name_tokens
            .get_or_init(|| FirstTokens::of(self.names.as_fst(), &[KEY_SEPARATOR]))
            .as_ref()
    }

    /// The state of [`Self::variants_fst`] after each first skeleton token
    /// (ending at [`KEY_SEPARATOR`] or at the zero byte before the listed
    /// key), built on first use.
    pub fn first_skeletons(&self) -> Option<&FirstTokens> {
        self.first_skeletons
            .get_or_init(|| FirstTokens::of(self.variants.as_fst(), &[KEY_SEPARATOR, 0]))
            .as_ref()
    }

    /// Builds the lookup tables resolving uses, so that the first call
    /// does not pay for them (about 0.1–0.2 s for the default gazetteer).
    pub fn warm(&self) {
        self.first_name_tokens();
        self.first_skeletons();
        self.lowercase_table();
        self.demonym_table();
        self.country_population([0, 0]);
    }

    /// The raw FST of name keys, for walking it token by token.
    pub fn names_fst(&self) -> &fst::raw::Fst<Bytes> {
        self.names.as_fst()
    }

    /// Whether `token` (normalised) is the first token of a name listed
    /// with a lowercase initial: no other name can start at a lowercase
    /// word.
    pub fn starts_lowercase_name(&self, token: &str) -> bool {
        if !self.lowercase_prefixes.contains(token.as_bytes()) {
            return false;
        }
        match self.lowercase_table() {
            Some(table) => table
                .get(self.lowercase_first_tokens.as_fst(), token.as_bytes())
                .is_some(),
            None => self.lowercase_first_tokens.contains(token),
        }
    }

    fn lowercase_table(&self) -> Option<&FirstTokens> {
        self.lowercase_table
            .get_or_init(|| FirstTokens::of(self.lowercase_first_tokens.as_fst(), &[]))
            .as_ref()
    }

    /// The spelling-variant groups (see [`super::VARIANTS_FST`]), for
    /// walking them token by token.
    pub fn variants_fst(&self) -> &fst::raw::Fst<Bytes> {
        self.variants.as_fst()
    }

    /// The keys of the variant group at byte offset `at` of
    /// [`super::VARIANT_KEYS`] (a [`Self::variants_fst`] output), each
    /// with its key ordinal, in key order. A corrupt list ends early.
    pub fn variant_keys(&self, at: u64) -> impl Iterator<Item = (u64, &[u8])> + '_ {
        let bytes = self.variant_keys.as_ref();
        let at = usize::try_from(at).unwrap_or(usize::MAX);
        let count = read_u32(bytes, at).unwrap_or(0);
        let mut next = at.saturating_add(4);
        (0..count).map_while(move |_| {
            let ordinal = read_u32(bytes, next)?;
            let len = bytes.get(next + 4..next + 6)?;
            let len = usize::from(u16::from_le_bytes([len[0], len[1]]));
            let key = bytes.get(next + 6..next + 6 + len)?;
            next += 6 + len;
            Some((u64::from(ordinal), key))
        })
    }

    /// Whether some entity has a demonym with the normalised key `key`:
    /// [`Self::demonyms`] without opening a stream.
    pub fn is_demonym(&self, key: &str) -> bool {
        // Every mention's surface is checked: one probe instead of a node
        // per byte.
        if let Some(table) = self.demonym_table() {
            return table.contains(key.as_bytes());
        }
        let fst = self.demonyms.as_fst();
        let mut node = fst.root();
        for &b in key.as_bytes().iter().chain(&[0]) {
            match node.find_input(b) {
                Some(t) => node = fst.node(node.transition_addr(t)),
                None => return false,
            }
        }
        true
    }

    fn demonym_table(&self) -> Option<&FirstTokens> {
        self.demonym_table
            .get_or_init(|| FirstTokens::of(self.demonyms.as_fst(), &[0]))
            .as_ref()
    }

    /// The entities whose demonym has the normalised key `key`, each with
    /// the demonym's `name_ref` (see [`super::DEMONYMS_FST`]).
    pub fn demonyms(&self, key: &str) -> Vec<(u32, u32)> {
        let mut from = key.as_bytes().to_vec();
        from.push(0);
        let mut to = key.as_bytes().to_vec();
        to.push(1);
        let mut stream = self.demonyms.range().ge(&from).lt(&to).into_stream();
        let mut found = Vec::new();
        while let Some((entry, name_ref)) = stream.next() {
            let Some(entity) = entry[from.len()..].try_into().ok().map(u32::from_be_bytes) else {
                continue;
            };
            if entity < self.entity_count() {
                found.push((entity, name_ref as u32));
            }
        }
        found
    }

    /// The key ordinal of an exact normalised key.
    pub fn find_key(&self, key: &str) -> Option<u64> {
        self.names.get(key)
    }

    /// Keys that start with `prefix`, in key order, at most `limit`.
    pub fn keys_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, u64)> {
        let automaton = fst::automaton::Str::new(prefix);
        let automaton = fst::Automaton::starts_with(automaton);
        let mut stream = self.names.search(automaton).into_stream();
        let mut found = Vec::new();
        while let Some((key, ordinal)) = stream.next() {
            if found.len() >= limit {
                break;
            }
            found.push((String::from_utf8_lossy(key).into_owned(), ordinal));
        }
        found
    }

    /// The postings of a key ordinal.
    pub fn postings(&self, key: u64) -> impl Iterator<Item = Posting> + '_ {
        let bytes = self.postings.as_ref();
        let key_count = read_u32(bytes, 0).unwrap_or(0) as u64;
        let (from, to) = if key < key_count {
            let at = 4 + key as usize * 4;
            (
                read_u32(bytes, at).unwrap_or(0) as usize,
                read_u32(bytes, at + 4).unwrap_or(0) as usize,
            )
        } else {
            (0, 0)
        };
        let base = 4 + (key_count as usize + 1) * 4;
        (from..to).filter_map(move |i| {
            let at = base + i * POSTING_SIZE;
            let record = bytes.get(at..at + POSTING_SIZE)?;
            Some(Posting {
                entity: u32::from_le_bytes(record[0..4].try_into().ok()?),
                name_ref: u32::from_le_bytes(record[4..8].try_into().ok()?),
                name_kind: match record[8] {
                    0 => NameKind::Primary,
                    2 => NameKind::Transliterated,
                    _ => NameKind::Alias,
                },
            })
        })
    }

    /// The listed name behind a posting's `name_ref`.
    pub fn name(&self, name_ref: u32) -> &str {
        std::str::from_utf8(self.name_bytes(name_ref)).unwrap_or("")
    }

    /// The UTF-8 bytes of a listed name, for comparisons that need no
    /// `str`.
    pub fn name_bytes(&self, name_ref: u32) -> &[u8] {
        let bytes = self.name_table.as_ref();
        let at = name_ref as usize;
        read_u32(bytes, at)
            .and_then(|len| bytes.get(at + 4..at + 4 + len as usize))
            .unwrap_or(&[])
    }

    fn entity_row(&self, entity: u32) -> Option<&[u8]> {
        if entity >= self.entity_count() {
            return None;
        }
        let at = 4 + entity as usize * ENTITY_ROW_SIZE;
        self.entities.as_ref().get(at..at + ENTITY_ROW_SIZE)
    }

    /// Kind of an entity.
    pub fn entity_kind(&self, entity: u32) -> Option<EntityKind> {
        self.entity_row(entity)
            .and_then(|row| EntityKind::from_byte(row[12]))
    }

    /// Feature class of an entity (places only).
    pub fn feature_class(&self, entity: u32) -> FeatureClass {
        self.entity_row(entity)
            .map_or(FeatureClass::Other, |row| FeatureClass::from_byte(row[13]))
    }

    /// ISO country code of an entity as two ASCII bytes, `None` when unknown;
    /// read from the fixed row, so cheap enough for ranking.
    pub fn country(&self, entity: u32) -> Option<[u8; 2]> {
        self.entity_row(entity)
            .map(|row| [row[14], row[15]])
            .filter(|code| code != &[0, 0])
    }

    /// Population of the country with ISO code `code` (two ASCII bytes),
    /// 0 when the index holds no such country or no population for it.
    pub fn country_population(&self, code: [u8; 2]) -> u64 {
        let populations = self.country_populations.get_or_init(|| {
            let mut populations = HashMap::new();
            for entity in 0..self.entity_count() {
                if self.feature_class(entity) == FeatureClass::Country {
                    if let Some(code) = self.country(entity) {
                        let population = populations.entry(code).or_insert(0);
                        *population = self.population(entity).max(*population);
                    }
                }
            }
            populations
        });
        populations.get(&code).copied().unwrap_or(0)
    }

    /// Population of an entity, 0 when unknown.
    pub fn population(&self, entity: u32) -> u64 {
        self.entity_row(entity)
            .and_then(|row| row[16..24].try_into().ok())
            .map_or(0, u64::from_le_bytes)
    }

    /// The entity's first-level region as a number that equals another
    /// entity's exactly when their `admin1` codes are equal (a region's own
    /// code is its cities' code); `None` when unknown. Read from the fixed
    /// row, so cheap enough for ranking.
    pub fn admin1(&self, entity: u32) -> Option<NonZeroU32> {
        self.entity_row(entity)
            .and_then(|row| row[24..28].try_into().ok())
            .and_then(|b| NonZeroU32::new(u32::from_le_bytes(b)))
    }

    /// How well known an entity is (Wikidata sitelinks), 0 when unknown;
    /// read from the fixed row, so cheap enough for ranking.
    pub fn prominence(&self, entity: u32) -> u32 {
        self.entity_row(entity)
            .and_then(|row| row[28..32].try_into().ok())
            .map_or(0, u32::from_le_bytes)
    }

    /// An entity's payload, decoded once and shared afterwards.
    pub fn entity_shared(&self, entity: u32) -> Result<Arc<Entity>, IndexError> {
        let shard = &self.decoded.shards[entity as usize % DECODED_SHARDS];
        if let Some(found) = shard.lock().unwrap_or_else(|e| e.into_inner()).get(&entity) {
            return Ok(found.clone());
        }
        let decoded = Arc::new(self.entity(entity)?);
        let mut shard = shard.lock().unwrap_or_else(|e| e.into_inner());
        if shard.len() >= DECODED_PER_SHARD {
            shard.clear();
        }
        shard.insert(entity, decoded.clone());
        Ok(decoded)
    }

    /// Decodes an entity's payload.
    pub fn entity(&self, entity: u32) -> Result<Entity, IndexError> {
        let corrupt = |reason: String| IndexError::Corrupt {
            path: Path::new(&self.location).join(ENTITIES),
            reason,
        };
        let row = self
            .entity_row(entity)
            .ok_or_else(|| corrupt(format!("no entity {entity}")))?;
        let offset = u64::from_le_bytes(row[0..8].try_into().expect("8 bytes")) as usize;
        let len = u32::from_le_bytes(row[8..12].try_into().expect("4 bytes")) as usize;
        let data_start = 4 + self.entity_count() as usize * ENTITY_ROW_SIZE;
        let payload = self
            .entities
            .as_ref()
            .get(data_start + offset..data_start + offset + len)
            .ok_or_else(|| corrupt(format!("entity {entity} points past the end")))?;
        postcard::from_bytes(payload).map_err(|e| corrupt(format!("entity {entity}: {e}")))
    }

    /// The ordinal of a canonical ID.
    pub fn find_id(&self, id: &str) -> Option<u32> {
        self.ids.get(id).map(|o| o as u32)
    }

    /// The first entity (by ordinal) that carries the external ID `id`
    /// (`wikidata:Q649`, `iso3166_2:RU-MOS`), from a map built on first
    /// use by decoding every entity once.
    pub fn find_external_id(&self, id: &str) -> Option<u32> {
        self.external_ids
            .get_or_init(|| {
                let mut map = HashMap::new();
                for ordinal in 0..self.entity_count() {
                    let Ok(entity) = self.entity(ordinal) else {
                        continue;
                    };
                    for x in &entity.external_ids {
                        map.entry(format!("{}:{}", x.scheme, x.id))
                            .or_insert(ordinal);
                    }
                }
                map
            })
            .get(id)
            .copied()
    }

    /// [`Self::find_id`], else [`Self::find_external_id`].
    pub fn find_any_id(&self, id: &str) -> Option<u32> {
        self.find_id(id).or_else(|| self.find_external_id(id))
    }
}

/// Which two-byte prefixes occur among a set's keys (one-byte keys count
/// with a zero second byte). Built on open: the set is small, since few
/// names start with a lowercase letter.
#[derive(Debug)]
struct PrefixBitmap(Box<[u64; 1024]>);

impl PrefixBitmap {
    fn of(set: &fst::Set<Bytes>) -> Self {
        let mut bits = Box::new([0u64; 1024]);
        let mut stream = set.stream();
        while let Some(key) = stream.next() {
            let at = Self::slot(key);
            bits[at / 64] |= 1 << (at % 64);
        }
        Self(bits)
    }

    fn slot(key: &[u8]) -> usize {
        let first = key.first().copied().unwrap_or(0) as usize;
        let second = key.get(1).copied().unwrap_or(0) as usize;
        (first << 8) | second
    }

    fn contains(&self, key: &[u8]) -> bool {
        // A one-byte token can only be a one-byte key; a longer token's
        // first two bytes must open some key.
        let at = Self::slot(key);
        self.0[at / 64] & (1 << (at % 64)) != 0
    }
}

fn parse_meta(bytes: &[u8], path: &Path) -> Result<IndexMeta, IndexError> {
    #[derive(serde::Deserialize)]
    struct VersionOnly {
        format_version: u32,
    }
    let corrupt = |e: serde_json::Error| IndexError::Corrupt {
        path: path.to_path_buf(),
        reason: format!("unreadable meta.json: {e}"),
    };
    let version: VersionOnly = serde_json::from_slice(bytes).map_err(corrupt)?;
    if version.format_version != FORMAT_VERSION {
        return Err(IndexError::VersionMismatch {
            path: path.parent().unwrap_or(path).to_path_buf(),
            expected: FORMAT_VERSION,
            found: version.format_version,
        });
    }
    serde_json::from_slice(bytes).map_err(corrupt)
}

fn read_u32(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at..at.checked_add(4)?)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
}
