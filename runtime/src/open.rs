//! Open options and the fixed open sequence.
//!
//! Every handle is opened by the same steps, in this order:
//! 1. take the cross-process init lock (`<db>.init-lock`, `flock`ed) with a bounded wait;
//! 2. open the first connection and set the busy timeout;
//! 3. the journal step ([`crate::journal`]): read the mode, never downgrade a live WAL
//!    database, otherwise switch to WAL and verify, falling back to `DELETE`;
//! 4. `synchronous` and `foreign_keys`;
//! 5. the health check ([`crate::health`]) on that same connection;
//! 6. the reader connections, which only read the journal mode and are `query_only`.
//!
//! Running the check before the journal step is what made NFS opens fail with
//! "locking protocol" before the fallback could run, and running it on a separate
//! probe connection is what reported healthy files as malformed.

use std::fs::{File, OpenOptions as FileOptions};
use std::path::Path;
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, OpenFlags};

use crate::error::{is_busy_code, is_corrupt_code, Error, Result};
use crate::health::{self, CheckLevel, Health};
use crate::journal::{self, JournalMode, JournalProbe, PragmaProbe};

/// How a [`Database`](crate::Database) handle is opened.
///
/// Options apply when the handle is first opened in this process; a later
/// [`Database::open_with`](crate::Database::open_with) for the same path returns the
/// existing handle and ignores its options.
///
/// ```
/// use connlint_runtime::{CheckLevel, Database, OpenOptions};
/// use std::time::Duration;
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let options = OpenOptions::default()
///     .busy_timeout(Duration::from_secs(2))
///     .readers(2)
///     .check(CheckLevel::Full);
/// let db = Database::open_with(dir.path().join("app.db"), options)?;
/// db.close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct OpenOptions {
    pub(crate) busy_timeout: Duration,
    pub(crate) init_lock_timeout: Duration,
    pub(crate) readers: usize,
    pub(crate) max_backups: usize,
    pub(crate) busy_retries: u32,
    pub(crate) check: CheckLevel,
    pub(crate) journal_probe: Arc<dyn JournalProbe>,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions {
            busy_timeout: Duration::from_secs(5),
            init_lock_timeout: Duration::from_secs(10),
            readers: 4,
            max_backups: 3,
            busy_retries: 8,
            check: CheckLevel::Quick,
            journal_probe: Arc::new(PragmaProbe),
        }
    }
}

impl OpenOptions {
    /// How long one statement waits for a lock held elsewhere (SQLite's busy timeout;
    /// default 5 s). Also bounds how long a reader checkout waits for a free connection.
    pub fn busy_timeout(mut self, timeout: Duration) -> Self {
        self.busy_timeout = timeout;
        self
    }

    /// How long an open waits for another process to finish opening the same database
    /// (default 10 s); past that the open fails with
    /// [`Error::InitLockTimeout`](crate::Error::InitLockTimeout).
    pub fn init_lock_timeout(mut self, timeout: Duration) -> Self {
        self.init_lock_timeout = timeout;
        self
    }

    /// How many read-only connections serve [`Database::read`](crate::Database::read)
    /// concurrently (default 4). With 0, reads share the writer connection.
    pub fn readers(mut self, readers: usize) -> Self {
        self.readers = readers;
        self
    }

    /// How many corruption backups of one database are kept at most (default 3).
    pub fn max_backups(mut self, max: usize) -> Self {
        self.max_backups = max;
        self
    }

    /// How many times a transaction that failed with `SQLITE_BUSY` is tried in total
    /// (default 8, with a short growing pause between attempts).
    pub fn busy_retries(mut self, attempts: u32) -> Self {
        self.busy_retries = attempts.max(1);
        self
    }

    /// How thorough the health check of the open sequence is (default
    /// [`CheckLevel::Quick`]).
    pub fn check(mut self, level: CheckLevel) -> Self {
        self.check = level;
        self
    }

    /// Replaces the `PRAGMA journal_mode=WAL` call of the journal step: the test seam
    /// that reproduces network file systems. See [`JournalProbe`].
    pub fn journal_probe(mut self, probe: Arc<dyn JournalProbe>) -> Self {
        self.journal_probe = probe;
        self
    }
}

/// The connections and facts produced by one run of the open sequence.
pub(crate) struct Opened {
    pub(crate) writer: Connection,
    pub(crate) readers: Vec<Connection>,
    pub(crate) mode: JournalMode,
    pub(crate) warnings: Vec<String>,
    pub(crate) health: Health,
}

/// Runs the open sequence for `path` (already canonical).
pub(crate) fn open_sequence(path: &Path, options: &OpenOptions) -> Result<Opened> {
    let _lock = InitLock::acquire(path, options.init_lock_timeout)?;
    let writer = connect(path, options)?;
    let outcome = match journal::establish(&writer, path, options.journal_probe.as_ref()) {
        Ok(outcome) => outcome,
        Err(e) if e.sqlite_code().is_some_and(is_corrupt_code) => {
            drop(writer);
            return Err(corrupt(path, e.to_string(), options));
        }
        Err(e) if e.is_busy() => {
            return Err(Error::Busy {
                path: path.to_owned(),
                attempts: 1,
            });
        }
        Err(e) => return Err(e),
    };
    let mut warnings = Vec::new();
    if let Some(warning) = outcome.warning {
        log::warn!("{warning}");
        warnings.push(warning);
    }
    settings(&writer, outcome.mode)?;
    let health = health::check(&writer, options.check)?;
    match &health {
        Health::Ok => {}
        Health::Unknown(why) => {
            log::info!("{}: health unknown, database busy ({why})", path.display());
        }
        Health::Corrupt(detail) => {
            let detail = detail.clone();
            drop(writer);
            return Err(corrupt(path, detail, options));
        }
    }
    let mut readers = Vec::with_capacity(options.readers);
    for _ in 0..options.readers {
        let reader = connect(path, options)?;
        let mode = journal::read_mode(&reader)?;
        settings(&reader, mode)?;
        reader.pragma_update(None, "query_only", true)?;
        readers.push(reader);
    }
    Ok(Opened {
        writer,
        readers,
        mode: outcome.mode,
        warnings,
        health,
    })
}

fn connect(path: &Path, options: &OpenOptions) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_timeout(options.busy_timeout)?;
    // The statement cache makes a pooled connection cheap to reuse per request.
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

/// `synchronous` and `foreign_keys`: NORMAL is durable with WAL (a commit survives a
/// process crash; only a power loss can drop the last transactions); a rollback
/// journal needs FULL for that.
fn settings(conn: &Connection, mode: JournalMode) -> Result<()> {
    let synchronous = if mode == JournalMode::Wal {
        "NORMAL"
    } else {
        "FULL"
    };
    conn.pragma_update(None, "synchronous", synchronous)?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(())
}

fn corrupt(path: &Path, detail: String, options: &OpenOptions) -> Error {
    let backup = match health::backup_once(path, options.max_backups) {
        Ok(backup) => backup,
        Err(e) => {
            log::error!("{}: corrupt and the backup failed: {e}", path.display());
            None
        }
    };
    Error::Corrupt {
        path: path.to_owned(),
        detail,
        backup,
    }
}

/// The cross-process init lock: an exclusive `flock` on `<db>.init-lock`, held while
/// one process runs the open sequence so that two processes never race through the
/// journal step. Released when dropped (closing the descriptor drops the lock).
struct InitLock {
    _file: File,
}

impl InitLock {
    fn acquire(path: &Path, timeout: Duration) -> Result<InitLock> {
        let lock_path = health::sidecar(path, ".init-lock");
        let io_err = |source| Error::Io {
            path: lock_path.clone(),
            source,
        };
        let file = FileOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(io_err)?;
        let start = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            match try_lock(&file) {
                Ok(true) => return Ok(InitLock { _file: file }),
                Ok(false) if start.elapsed() < timeout => {
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(20));
                }
                Ok(false) => {
                    return Err(Error::InitLockTimeout {
                        path: path.to_owned(),
                        waited: start.elapsed(),
                    })
                }
                Err(e) => return Err(io_err(e)),
            }
        }
    }
}

#[cfg(unix)]
fn try_lock(file: &File) -> std::io::Result<bool> {
    use std::os::unix::io::AsRawFd;
    // SAFETY: flock on a descriptor this function's caller owns for the call.
    let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(code) if code == libc::EWOULDBLOCK || code == libc::EINTR => Ok(false),
        _ => Err(err),
    }
}

#[cfg(not(unix))]
fn try_lock(_file: &File) -> std::io::Result<bool> {
    // Elsewhere the in-process registry still serializes opens; SQLite's own locks
    // protect the data.
    Ok(true)
}

/// Whether an error from a statement is worth retrying.
pub(crate) fn busy(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code().is_some_and(is_busy_code)
}
