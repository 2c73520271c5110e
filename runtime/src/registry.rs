//! The process-wide registry: one handle per canonical database path.
//!
//! The incident this prevents: helpers that opened `state.db` on every poll and never
//! closed it leaked three descriptors per call until the process hit its limit. Here an
//! open is a lookup; the open sequence runs once per path and process, and racing
//! threads wait on the path's slot and get the same `Arc`.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use crate::checked::{self, HandleInfo, LeakReport};
use crate::error::{Error, Result};
use crate::handle::Handle;
use crate::known_corrupt::KnownCorrupt;
use crate::lock::lock;
use crate::open::OpenOptions;

/// One path's entry. Slots are never removed, so the open count survives a close.
#[derive(Default)]
pub(crate) struct Slot {
    handle: Mutex<Option<Arc<Handle>>>,
    opens: AtomicU64,
    /// The last open found the file corrupt (see [`crate::known_corrupt`]).
    corrupt: Mutex<Option<KnownCorrupt>>,
}

type Registry = Mutex<HashMap<PathBuf, Arc<Slot>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default)
}

/// Returns the open handle for `path`, running the open sequence if there is none.
pub(crate) fn get_or_open(path: &Path, options: OpenOptions) -> Result<Arc<Handle>> {
    let path = canonical(path)?;
    let slot = lock(registry()).entry(path.clone()).or_default().clone();
    // Only threads opening this same path wait here; other paths proceed.
    let mut handle = lock(&slot.handle);
    if let Some(inner) = handle.as_ref() {
        return Ok(inner.clone());
    }
    let mut known = lock(&slot.corrupt);
    if let Some(error) = known.as_ref().and_then(|k| k.still(&path)) {
        return Err(error);
    }
    let opened = match crate::open::open_sequence(&path, &options) {
        Ok(opened) => opened,
        Err(e) => {
            *known = KnownCorrupt::remember(&path, &e);
            return Err(e);
        }
    };
    *known = None;
    drop(known);
    slot.opens.fetch_add(1, Ordering::SeqCst);
    let inner = Arc::new(Handle::new(path, options, opened)?);
    *handle = Some(inner.clone());
    Ok(inner)
}

/// Forgets `inner` if it is still the registered handle of its path.
pub(crate) fn remove(inner: &Arc<Handle>) {
    let slot = lock(registry()).get(inner.path()).cloned();
    if let Some(slot) = slot {
        let mut handle = lock(&slot.handle);
        if handle.as_ref().is_some_and(|h| Arc::ptr_eq(h, inner)) {
            *handle = None;
        }
    }
}

/// Every handle open in this process.
///
/// ```
/// use connlint_runtime::{open_handles, Database};
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("listed.db");
/// let db = Database::open(&path)?;
/// assert!(open_handles().iter().any(|h| h.path == db.path()));
/// db.close()?;
/// assert!(!open_handles().iter().any(|h| h.path == db.path()));
/// # Ok(())
/// # }
/// ```
pub fn open_handles() -> Vec<HandleInfo> {
    snapshot()
}

/// Handles still open, for a report at shutdown: call it after closing what the
/// program opened, and print it if it is not empty.
///
/// ```
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let db = connlint_runtime::Database::open(dir.path().join("report.db"))?;
/// let report = connlint_runtime::leak_report();
/// assert!(report.handles.iter().any(|h| h.path == db.path()));
/// db.close()?;
/// # Ok(())
/// # }
/// ```
pub fn leak_report() -> LeakReport {
    let handles = open_handles();
    let report = LeakReport {
        handles,
        dropped_uncommitted: checked::dropped_uncommitted(),
    };
    if checked::ENABLED && !report.is_empty() {
        log::warn!("{report}");
    }
    report
}

/// Every registered (open) handle.
pub(crate) fn handles() -> Vec<Arc<Handle>> {
    let slots: Vec<Arc<Slot>> = lock(registry()).values().cloned().collect();
    slots
        .iter()
        .filter_map(|slot| lock(&slot.handle).clone())
        .collect()
}

/// The open handles, sorted by path.
fn snapshot() -> Vec<HandleInfo> {
    let slots: Vec<Arc<Slot>> = lock(registry()).values().cloned().collect();
    let mut infos: Vec<HandleInfo> = slots
        .iter()
        .filter_map(|slot| {
            let inner = lock(&slot.handle).clone()?;
            Some(inner.info(slot.opens.load(Ordering::SeqCst)))
        })
        .collect();
    #[cfg(feature = "postgres")]
    infos.extend(crate::pg::infos());
    infos.sort_by(|a, b| a.path.cmp(&b.path));
    infos
}

/// The canonical form of a database path that may not exist yet: the canonical parent
/// folder plus the file name, or the fully resolved path once the file exists.
pub(crate) fn canonical(path: &Path) -> Result<PathBuf> {
    let io_err = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    // One resolution for the common case of an existing file (this runs on every
    // `open`, which callers make per request); anything else falls back below.
    if let Ok(resolved) = fs::canonicalize(path) {
        return Ok(resolved);
    }
    let name = path.file_name().ok_or_else(|| {
        io_err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file path",
        ))
    })?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Ok(fs::canonicalize(parent).map_err(io_err)?.join(name))
}
