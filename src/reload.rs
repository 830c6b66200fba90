//! Hot reload: re-open the index directory being served and swap it in.
//! Triggered by SIGHUP and by `gazetteer.admin.v1.Admin/ReloadIndex`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::grpc::IndexHandle;
use crate::index::{Index, IndexError};

/// The served index and the directory it came from.
#[derive(Debug)]
pub struct IndexReloader {
    handle: IndexHandle,
    dir: Option<PathBuf>,
    // Held for a whole reload, so concurrent reloads do not race to swap
    // and each reports the versions it really replaced.
    running: tokio::sync::Mutex<()>,
    counts: ReloadCounts,
}

/// A reload that took effect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reloaded {
    /// Version served before.
    pub old_version: String,
    /// Version served from now on.
    pub new_version: String,
    /// Where the new index was opened from.
    pub location: String,
    /// Entities in the new index.
    pub entity_count: u64,
    /// Names in the new index.
    pub name_count: u64,
}

/// Why a reload did not take effect; the old index keeps serving.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The server serves the embedded gazetteer: there is no directory.
    #[error(
        "the server serves the embedded default gazetteer, so there is nothing to reload; \
         start it with --index DIR to reload from a directory"
    )]
    NothingToReload,
    /// The directory does not hold a valid index.
    #[error("cannot reload the index from {dir} (still serving version {serving}): {error}")]
    Open {
        /// The directory.
        dir: PathBuf,
        /// Version still served.
        serving: String,
        /// Why opening failed.
        error: IndexError,
    },
    /// The blocking task opening the index failed.
    #[error("cannot reload the index from {dir} (still serving version {serving}): {reason}")]
    Worker {
        /// The directory.
        dir: PathBuf,
        /// Version still served.
        serving: String,
        /// What happened to the worker.
        reason: String,
    },
}

impl IndexReloader {
    /// A reloader over `handle`, re-opening `dir`; `None` when the index
    /// did not come from a directory (the embedded gazetteer).
    pub fn new(handle: IndexHandle, dir: Option<PathBuf>) -> Self {
        Self {
            handle,
            dir,
            running: tokio::sync::Mutex::new(()),
            counts: ReloadCounts::default(),
        }
    }

    /// The handle calls read the index through.
    pub fn handle(&self) -> &IndexHandle {
        &self.handle
    }

    /// Re-opens the directory and swaps the new index in. On failure the
    /// old index keeps serving; the error says why and is logged.
    pub async fn reload(&self) -> Result<Reloaded, ReloadError> {
        let result = self.try_reload().await;
        self.counts.record(result.is_ok());
        match &result {
            Ok(r) => tracing::info!(
                old_version = r.old_version,
                new_version = r.new_version,
                index = r.location,
                entities = r.entity_count,
                names = r.name_count,
                "index reloaded"
            ),
            Err(error) => tracing::warn!(%error, "index reload failed"),
        }
        result
    }

    /// Reloads so far, by outcome.
    pub fn counts(&self) -> ReloadTotals {
        self.counts.totals()
    }

    async fn try_reload(&self) -> Result<Reloaded, ReloadError> {
        let Some(dir) = self.dir.clone() else {
            return Err(ReloadError::NothingToReload);
        };
        let _running = self.running.lock().await;
        let serving = self.handle.current().version().to_string();
        // Opening reads meta.json and maps the files: blocking I/O. The
        // lookup tables are built before the swap, not by the first call.
        let opened = tokio::task::spawn_blocking({
            let dir = dir.clone();
            move || {
                let index = Index::open(&dir)?;
                index.warm();
                Ok(index)
            }
        })
        .await;
        let index = match opened {
            Ok(Ok(index)) => Arc::new(index),
            Ok(Err(error)) => {
                return Err(ReloadError::Open {
                    dir,
                    serving,
                    error,
                })
            }
            Err(join) => {
                return Err(ReloadError::Worker {
                    dir,
                    serving,
                    reason: format!("worker failed: {join}"),
                })
            }
        };
        let old = self.handle.swap(index.clone());
        let meta = index.meta();
        Ok(Reloaded {
            old_version: old.version().to_string(),
            new_version: index.version().to_string(),
            location: index.location().to_string(),
            entity_count: meta.entity_count,
            name_count: meta.name_count,
        })
    }
}

/// Reload outcomes, counted for the metrics.
#[derive(Debug, Default)]
struct ReloadCounts {
    ok: AtomicU64,
    failed: AtomicU64,
}

/// Reloads so far, by outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReloadTotals {
    /// Reloads that swapped in a new index.
    pub ok: u64,
    /// Reloads that left the old index serving.
    pub failed: u64,
}

impl ReloadCounts {
    /// Counts one reload.
    fn record(&self, ok: bool) {
        let counter = if ok { &self.ok } else { &self.failed };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The totals so far.
    fn totals(&self) -> ReloadTotals {
        ReloadTotals {
            ok: self.ok.load(Ordering::Relaxed),
            failed: self.failed.load(Ordering::Relaxed),
        }
    }
}
