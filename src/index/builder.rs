//! Compiles entity records into index files.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{
    FeatureClass, IndexError, IndexMeta, SourceInfo, DATA_FILES, DEMONYMS_FST, ENTITIES,
    ENTITY_ROW_SIZE, FORMAT_VERSION, IDS_FST, LOWERCASE_FST, META, NAMES_FST, NAME_TABLE, POSTINGS,
    VARIANTS_FST, VARIANT_KEYS,
};
use crate::entity::{EntityKind, EntityRecord, NameKind};
use crate::text::{
    initial_class, key_skeleton, name_key, romanize, starts_lowercase, KEY_SEPARATOR,
};

/// One input of a build: a label, the checksum of its bytes, its records.
#[derive(Debug)]
pub struct BuildSource {
    /// File name or label.
    pub name: String,
    /// Hex SHA-256 of the input bytes.
    pub sha256: String,
    /// The records read from it.
    pub records: Vec<EntityRecord>,
}

/// Collects entities and their names, then writes the index files.
#[derive(Debug, Default)]
pub struct IndexBuilder {
    entity_rows: Vec<u8>,
    entity_data: Vec<u8>,
    entity_count: u32,
    ids: HashMap<String, u32>,
    entries: Vec<(String, u32, u32, NameKind)>,
    /// Demonym keys with their entity and name: `(key, entity, name_ref)`.
    demonyms: Vec<(String, u32, u32)>,
    name_table: Vec<u8>,
    name_refs: HashMap<String, u32>,
    lowercase_first_tokens: BTreeSet<String>,
    /// First-level region codes (`US.IL`) → their number in the entity
    /// rows, from 1 in order of first appearance.
    admin1_codes: HashMap<String, u32>,
    sources: Vec<SourceInfo>,
    by_kind: BTreeMap<String, u64>,
}

/// A finished index held in memory, ready to be opened or written out.
#[derive(Debug)]
pub struct IndexFiles {
    /// Data files by name, in [`DATA_FILES`] order.
    pub files: Vec<(&'static str, Vec<u8>)>,
    /// The metadata describing them.
    pub meta: IndexMeta,
}

impl IndexBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds every record of a source. A canonical ID seen before fails the
    /// build, naming the source.
    pub fn add_source(&mut self, source: BuildSource) -> Result<(), IndexError> {
        let BuildSource {
            name,
            sha256,
            records,
        } = source;
        let count = records.len() as u64;
        for record in records {
            self.add_record(record)
                .map_err(|reason| IndexError::InvalidInput(format!("{name}: {reason}")))?;
        }
        self.sources.push(SourceInfo {
            name,
            records: count,
            sha256,
        });
        Ok(())
    }

    /// Adds one record of a source read as a stream, without collecting
    /// the source first; register the source with
    /// [`add_source_info`](Self::add_source_info) when it is done. A
    /// canonical ID seen before fails the build, naming `source`.
    pub fn add_streamed_record(
        &mut self,
        source: &str,
        record: EntityRecord,
    ) -> Result<(), IndexError> {
        self.add_record(record)
            .map_err(|reason| IndexError::InvalidInput(format!("{source}: {reason}")))
    }

    /// Records a source whose records were added with
    /// [`add_streamed_record`](Self::add_streamed_record).
    pub fn add_source_info(&mut self, info: SourceInfo) {
        self.sources.push(info);
    }

    fn add_record(&mut self, record: EntityRecord) -> Result<(), String> {
        let EntityRecord {
            entity,
            names,
            prominence,
        } = record;
        let ordinal = self.entity_count;
        if self.ids.insert(entity.id.clone(), ordinal).is_some() {
            return Err(format!("duplicate entity id {:?}", entity.id));
        }
        self.entity_count = ordinal
            .checked_add(1)
            .ok_or("more than 4,294,967,295 entities")?;
        *self
            .by_kind
            .entry(entity.kind.as_str().to_string())
            .or_default() += 1;

        let payload = postcard::to_stdvec(&entity).map_err(|e| e.to_string())?;
        let feature = FeatureClass::from_feature_code(entity.feature_code.as_deref());
        self.entity_rows
            .extend_from_slice(&(self.entity_data.len() as u64).to_le_bytes());
        self.entity_rows
            .extend_from_slice(&(payload.len() as u32).to_le_bytes());
        self.entity_rows.push(entity.kind.to_byte());
        self.entity_rows.push(feature as u8);
        self.entity_rows
            .extend_from_slice(&country_bytes(entity.country_code.as_deref()));
        self.entity_rows
            .extend_from_slice(&entity.population.to_le_bytes());
        let admin1 = match entity.admin1.as_deref() {
            Some(code) => {
                let next = self.admin1_codes.len() as u32 + 1;
                *self.admin1_codes.entry(code.to_string()).or_insert(next)
            }
            None => 0,
        };
        self.entity_rows.extend_from_slice(&admin1.to_le_bytes());
        self.entity_rows
            .extend_from_slice(&prominence.to_le_bytes());
        self.entity_data.extend_from_slice(&payload);

        for name in names {
            let Some(key) = name_key(&name.text) else {
                continue;
            };
            // Numbers ("30", "1-2") are district numbers or codes in the
            // sources, never names a reader would write for the place.
            if !key.chars().any(char::is_alphabetic) {
                continue;
            }
            if name.demonym {
                // Demonyms match as written (normalised) only: no
                // romanised key, no spelling variants, no lowercase start.
                let name_ref = self.intern(&name.text)?;
                self.demonyms.push((key, ordinal, name_ref));
                continue;
            }
            if starts_lowercase(&name.text) {
                let first = key.split(KEY_SEPARATOR as char).next().unwrap_or(&key);
                self.lowercase_first_tokens.insert(first.to_string());
            }
            let name_ref = self.intern(&name.text)?;
            if let Some(romanized) = romanize(&name.text).and_then(|r| name_key(&r)) {
                if romanized != key {
                    self.entries
                        .push((romanized, ordinal, name_ref, NameKind::Transliterated));
                }
            }
            self.entries.push((key, ordinal, name_ref, name.kind));
        }
        Ok(())
    }

    fn intern(&mut self, name: &str) -> Result<u32, String> {
        if let Some(&r) = self.name_refs.get(name) {
            return Ok(r);
        }
        let r = u32::try_from(self.name_table.len()).map_err(|_| "name table over 4 GiB")?;
        self.name_table
            .extend_from_slice(&(name.len() as u32).to_le_bytes());
        self.name_table.extend_from_slice(name.as_bytes());
        self.name_refs.insert(name.to_string(), r);
        Ok(r)
    }

    /// Sorts the names, builds the FSTs and returns the finished files.
    pub fn finish(mut self, built_at: String) -> Result<IndexFiles, IndexError> {
        // Sorted by key, then entity, then primary before alias before
        // romanised, so the first posting of an (key, entity) pair is its
        // best name: `Ukrayna` listed, not `Украйна` romanised.
        self.entries
            .sort_unstable_by(|a, b| (&a.0, a.1, a.3, a.2).cmp(&(&b.0, b.1, b.3, b.2)));
        // Besides, a listed spelling whose marks the key folds away
        // (`Şuşa` beside `Susa`) keeps a posting of its own, so the
        // resolver can prefer the entity listed with the marks the text
        // writes.
        let name_table = &self.name_table;
        let mut spellings: Vec<String> = Vec::new();
        self.entries.dedup_by(|next, kept| {
            if next.0 != kept.0 || next.1 != kept.1 {
                spellings.clear();
                return false;
            }
            if spellings.is_empty() {
                spellings.push(interned(name_table, kept.2).to_lowercase());
            }
            let name = interned(name_table, next.2);
            if next.3 == NameKind::Transliterated || name.is_ascii() {
                return true;
            }
            let name = name.to_lowercase();
            if spellings.contains(&name) {
                return true;
            }
            spellings.push(name);
            false
        });

        let fst_error = |e: fst::Error| IndexError::InvalidInput(format!("FST build: {e}"));
        let mut names = fst::MapBuilder::memory();
        let mut offsets: Vec<u32> = Vec::new();
        let mut postings: Vec<u8> = Vec::with_capacity(self.entries.len() * super::POSTING_SIZE);
        let mut posting_count: u32 = 0;
        let mut previous: Option<&str> = None;
        let mut variants: Vec<(String, u8, &str, u32)> = Vec::new();
        for (key, entity, name_ref, kind) in &self.entries {
            if previous != Some(key.as_str()) {
                let ordinal = offsets.len() as u32;
                names
                    .insert(key.as_bytes(), u64::from(ordinal))
                    .map_err(fst_error)?;
                if let Some(skeleton) = key_skeleton(key, KEY_SEPARATOR as char) {
                    let class = initial_class(key.as_bytes()[0]);
                    variants.push((skeleton, class, key.as_str(), ordinal));
                }
                offsets.push(posting_count);
                previous = Some(key);
            }
            postings.extend_from_slice(&entity.to_le_bytes());
            postings.extend_from_slice(&name_ref.to_le_bytes());
            postings.push(match kind {
                NameKind::Primary => 0,
                NameKind::Alias => 1,
                NameKind::Transliterated => 2,
            });
            postings.extend_from_slice(&[0, 0, 0]);
            posting_count += 1;
        }
        let key_count = offsets.len() as u32;
        offsets.push(posting_count);
        let mut postings_file = Vec::with_capacity(4 + offsets.len() * 4 + postings.len());
        postings_file.extend_from_slice(&key_count.to_le_bytes());
        for o in &offsets {
            postings_file.extend_from_slice(&o.to_le_bytes());
        }
        postings_file.extend_from_slice(&postings);

        let mut ids: Vec<(String, u32)> = self.ids.into_iter().collect();
        ids.sort_unstable();
        let mut ids_fst = fst::MapBuilder::memory();
        for (id, ordinal) in &ids {
            ids_fst
                .insert(id.as_bytes(), u64::from(*ordinal))
                .map_err(fst_error)?;
        }

        let lowercase = fst::Set::from_iter(&self.lowercase_first_tokens)
            .map_err(fst_error)?
            .into_fst()
            .into_inner();

        let (variants, variant_keys) = variant_groups(variants).map_err(fst_error)?;

        self.demonyms.sort_unstable();
        self.demonyms
            .dedup_by(|next, kept| next.0 == kept.0 && next.1 == kept.1);
        let mut demonyms = fst::MapBuilder::memory();
        for (key, entity, name_ref) in &self.demonyms {
            let mut entry = Vec::with_capacity(key.len() + 5);
            entry.extend_from_slice(key.as_bytes());
            entry.push(0);
            entry.extend_from_slice(&entity.to_be_bytes());
            demonyms
                .insert(&entry, u64::from(*name_ref))
                .map_err(fst_error)?;
        }

        let mut entities = Vec::with_capacity(4 + self.entity_rows.len() + self.entity_data.len());
        entities.extend_from_slice(&self.entity_count.to_le_bytes());
        entities.extend_from_slice(&self.entity_rows);
        entities.extend_from_slice(&self.entity_data);
        debug_assert_eq!(
            self.entity_rows.len(),
            self.entity_count as usize * ENTITY_ROW_SIZE
        );

        let files = vec![
            (NAMES_FST, names.into_inner().map_err(fst_error)?),
            (POSTINGS, postings_file),
            (NAME_TABLE, self.name_table),
            (ENTITIES, entities),
            (IDS_FST, ids_fst.into_inner().map_err(fst_error)?),
            (LOWERCASE_FST, lowercase),
            (VARIANTS_FST, variants),
            (DEMONYMS_FST, demonyms.into_inner().map_err(fst_error)?),
            (VARIANT_KEYS, variant_keys),
        ];
        debug_assert!(files.iter().map(|f| f.0).eq(DATA_FILES));
        let mut hasher = Sha256::new();
        let mut file_sizes = BTreeMap::new();
        for (name, bytes) in &files {
            hasher.update(name.as_bytes());
            hasher.update((bytes.len() as u64).to_le_bytes());
            hasher.update(bytes);
            file_sizes.insert((*name).to_string(), bytes.len() as u64);
        }
        let digest = hasher.finalize();
        let version = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        for kind in EntityKind::ALL {
            self.by_kind.entry(kind.as_str().to_string()).or_default();
        }
        let meta = IndexMeta {
            format_version: FORMAT_VERSION,
            version,
            built_at,
            entity_count: u64::from(self.entity_count),
            name_count: u64::from(key_count),
            posting_count: u64::from(posting_count),
            entities_by_kind: self.by_kind,
            sources: self.sources,
            file_sizes,
        };
        Ok(IndexFiles { files, meta })
    }
}

impl IndexFiles {
    /// Writes the index to `out` atomically: into a temporary directory
    /// beside it, `meta.json` last, then renamed over `out`. On any error
    /// `out` is left as it was. An existing `out` that is not an index
    /// directory is never replaced.
    pub fn write_dir(&self, out: &Path) -> Result<(), IndexError> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| IndexError::Io { path, source }
        };
        if out.exists() && !is_replaceable(out) {
            return Err(IndexError::InvalidInput(format!(
                "{} exists and is not an index directory; refusing to replace it",
                out.display()
            )));
        }
        let parent = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let staging = tempfile::Builder::new()
            .prefix(".gazetteer-build-")
            .tempdir_in(&parent)
            .map_err(io(&parent))?;
        for (name, bytes) in &self.files {
            let path = staging.path().join(name);
            std::fs::write(&path, bytes).map_err(io(&path))?;
        }
        let meta_path = staging.path().join(META);
        let meta = serde_json::to_vec_pretty(&self.meta).expect("meta serialises");
        std::fs::write(&meta_path, meta).map_err(io(&meta_path))?;

        let staged = staging.keep();
        if out.exists() {
            let old = parent.join(format!(".gazetteer-old-{}", std::process::id()));
            std::fs::rename(out, &old).map_err(io(out))?;
            if let Err(source) = std::fs::rename(&staged, out) {
                // Put the old index back before reporting.
                let _ = std::fs::rename(&old, out);
                let _ = std::fs::remove_dir_all(&staged);
                return Err(IndexError::Io {
                    path: out.to_path_buf(),
                    source,
                });
            }
            std::fs::remove_dir_all(&old).map_err(io(&old))?;
        } else {
            std::fs::rename(&staged, out).map_err(io(out))?;
        }
        Ok(())
    }
}

fn is_replaceable(dir: &Path) -> bool {
    dir.join(META).is_file()
        || std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none())
}

/// The two ASCII letters of a country code for the entity row; zeros when
/// unknown or not a two-letter code.
fn country_bytes(code: Option<&str>) -> [u8; 2] {
    match code.map(str::as_bytes) {
        Some(&[a, b]) if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
            [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
        }
        _ => [0, 0],
    }
}

/// The name interned at `name_ref` in a name table (a `u32` length, then
/// the UTF-8 bytes).
fn interned(name_table: &[u8], name_ref: u32) -> &str {
    let at = name_ref as usize;
    let len = u32::from_le_bytes(name_table[at..at + 4].try_into().unwrap_or([0; 4])) as usize;
    std::str::from_utf8(&name_table[at + 4..at + 4 + len]).unwrap_or("")
}

/// [`VARIANTS_FST`] and [`VARIANT_KEYS`] of the keys that have a skeleton,
/// each `(skeleton, initial class, key, key ordinal)`.
fn variant_groups(
    mut keys: Vec<(String, u8, &str, u32)>,
) -> Result<(Vec<u8>, Vec<u8>), fst::Error> {
    // Skeletons hold no zero byte, so this order is the FST's order of
    // `skeleton, 0, class`.
    keys.sort_unstable();
    let mut groups = fst::MapBuilder::memory();
    let mut lists: Vec<u8> = Vec::new();
    let mut entry: Vec<u8> = Vec::new();
    let mut count_at = 0;
    for (n, (skeleton, class, key, ordinal)) in keys.iter().enumerate() {
        let opens_group = n == 0 || (&keys[n - 1].0, keys[n - 1].1) != (skeleton, *class);
        if opens_group {
            entry.clear();
            entry.extend_from_slice(skeleton.as_bytes());
            entry.extend_from_slice(&[0, *class]);
            groups.insert(&entry, lists.len() as u64)?;
            count_at = lists.len();
            lists.extend_from_slice(&0u32.to_le_bytes());
        }
        // Keys longer than a u16 cannot be variants of any text token
        // (names have at most a dozen words).
        let Ok(len) = u16::try_from(key.len()) else {
            continue;
        };
        lists.extend_from_slice(&ordinal.to_le_bytes());
        lists.extend_from_slice(&len.to_le_bytes());
        lists.extend_from_slice(key.as_bytes());
        let count = u32::from_le_bytes(lists[count_at..count_at + 4].try_into().expect("4 bytes"));
        lists[count_at..count_at + 4].copy_from_slice(&(count + 1).to_le_bytes());
    }
    Ok((groups.into_inner()?, lists))
}
