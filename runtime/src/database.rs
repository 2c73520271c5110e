//! The database handle: one writer connection behind a mutex and a small pool of
//! read-only connections, all made by the open sequence.
//!
//! The incident this prevents: one connection shared across threads with only the
//! writes locked corrupted two boards in about 30 minutes. Here every connection is
//! used by one thread at a time: writes take the writer's mutex, reads check out a
//! reader (WAL lets them run beside the writer).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::checked::{HandleInfo, TransactionCounter};
use crate::error::{Error, Result};
use crate::health::{self, CheckLevel, Health};
use crate::journal::JournalMode;
use crate::open::{OpenOptions, Opened};
use crate::registry::{self, lock};
use crate::transaction::CheckedTransaction;

/// A handle to one SQLite database file, shared by every thread of the process.
///
/// [`Database::open`] is a registry lookup: the first call for a path runs the open
/// sequence, later calls (from any thread) return the same handle, so calling it per
/// request costs a map lookup and no descriptors. Cloning is cheap (an `Arc`).
///
/// ```
/// use connlint_runtime::Database;
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("app.db");
/// let db = Database::open(&path)?;
/// db.write(|tx| {
///     tx.execute_batch("CREATE TABLE IF NOT EXISTS notes(body TEXT NOT NULL)")?;
///     tx.execute("INSERT INTO notes(body) VALUES (?1)", ["hello"])?;
///     Ok(())
/// })?;
/// // Same path, same handle: no second open.
/// let again = Database::open(&path)?;
/// assert!(again.same_handle(&db));
/// let count: i64 = again.read(|conn| {
///     Ok(conn.query_row("SELECT count(*) FROM notes", [], |row| row.get(0))?)
/// })?;
/// assert_eq!(count, 1);
/// db.close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Database {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.inner.path)
            .field("journal_mode", &self.inner.mode)
            .field("closed", &self.inner.closed.load(Ordering::SeqCst))
            .finish()
    }
}

pub(crate) struct Inner {
    path: PathBuf,
    options: OpenOptions,
    writer: Mutex<Option<Connection>>,
    writer_owner: Mutex<Option<thread::ThreadId>>,
    readers: Mutex<ReaderPool>,
    reader_returned: Condvar,
    reader_count: usize,
    closed: AtomicBool,
    mode: JournalMode,
    warnings: Vec<String>,
    health_at_open: Health,
    schemas: Mutex<HashSet<&'static str>>,
    pub(crate) transactions: TransactionCounter,
}

impl Inner {
    pub(crate) fn new(path: PathBuf, options: OpenOptions, opened: Opened) -> Inner {
        let reader_count = opened.readers.len();
        Inner {
            path,
            options,
            writer: Mutex::new(Some(opened.writer)),
            writer_owner: Mutex::new(None),
            readers: Mutex::new(ReaderPool {
                idle: opened.readers,
                closed: false,
            }),
            reader_returned: Condvar::new(),
            reader_count,
            closed: AtomicBool::new(false),
            mode: opened.mode,
            warnings: opened.warnings,
            health_at_open: opened.health,
            schemas: Mutex::new(HashSet::new()),
            transactions: TransactionCounter::default(),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn info(&self, opens: u64) -> HandleInfo {
        HandleInfo {
            path: self.path.clone(),
            opens,
            connections: 1 + self.reader_count,
            live_transactions: self.transactions.live(),
            journal_mode: self.mode,
        }
    }

    fn closed_error(&self) -> Error {
        Error::Closed {
            path: self.path.clone(),
        }
    }

    /// Locks the writer connection; an error once the handle is closed, or if this
    /// thread already holds it (a `write` inside a `write` or inside an open
    /// [`CheckedTransaction`] would otherwise wait for itself forever).
    pub(crate) fn writer(&self) -> Result<WriterGuard<'_>> {
        self.lock_writer()
    }

    fn lock_writer(&self) -> Result<WriterGuard<'_>> {
        let me = thread::current().id();
        if *lock(&self.writer_owner) == Some(me) {
            return Err(Error::WriterHeld {
                path: self.path.clone(),
            });
        }
        let guard = lock(&self.writer);
        *lock(&self.writer_owner) = Some(me);
        let guard = WriterGuard {
            guard,
            owner: &self.writer_owner,
        };
        if guard.is_none() || self.closed.load(Ordering::SeqCst) {
            return Err(self.closed_error());
        }
        Ok(guard)
    }

    pub(crate) fn options(&self) -> &OpenOptions {
        &self.options
    }

    /// Runs `attempt` until it succeeds, fails with something other than busy, or the
    /// retry budget is spent; busy at the end becomes [`Error::Busy`].
    pub(crate) fn retry_busy<T>(&self, mut attempt: impl FnMut() -> Result<T>) -> Result<T> {
        let attempts = self.options.busy_retries;
        let mut pause = Duration::from_millis(5);
        for n in 1..=attempts {
            match attempt() {
                Err(e) if e.is_busy() && !matches!(e, Error::Busy { .. }) => {
                    if n == attempts {
                        log::warn!(
                            "{}: still busy after {n} attempts: {e}",
                            self.path.display()
                        );
                        break;
                    }
                    thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
                other => return other,
            }
        }
        Err(Error::Busy {
            path: self.path.clone(),
            attempts,
        })
    }

    fn checkout_reader(&self) -> Result<ReaderGuard<'_>> {
        let deadline = Instant::now() + self.options.busy_timeout;
        let mut pool = lock(&self.readers);
        loop {
            if self.closed.load(Ordering::SeqCst) {
                return Err(self.closed_error());
            }
            if let Some(conn) = pool.idle.pop() {
                return Ok(ReaderGuard {
                    inner: self,
                    conn: Some(conn),
                });
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::Busy {
                    path: self.path.clone(),
                    attempts: 1,
                });
            }
            pool = self
                .reader_returned
                .wait_timeout(pool, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }
}

/// The locked writer connection; remembers which thread holds it.
pub(crate) struct WriterGuard<'a> {
    guard: MutexGuard<'a, Option<Connection>>,
    owner: &'a Mutex<Option<thread::ThreadId>>,
}

impl std::ops::Deref for WriterGuard<'_> {
    type Target = Option<Connection>;

    fn deref(&self) -> &Option<Connection> {
        &self.guard
    }
}

impl std::ops::DerefMut for WriterGuard<'_> {
    fn deref_mut(&mut self) -> &mut Option<Connection> {
        &mut self.guard
    }
}

impl Drop for WriterGuard<'_> {
    fn drop(&mut self) {
        // Cleared while the writer mutex is still held, so no other thread's mark is lost.
        *lock(self.owner) = None;
    }
}

/// The idle reader connections. `closed` is set by [`Database::close`], after which
/// a returning reader is closed instead of pooled.
struct ReaderPool {
    idle: Vec<Connection>,
    closed: bool,
}

/// A reader connection on loan; it goes back to the pool when dropped.
struct ReaderGuard<'a> {
    inner: &'a Inner,
    conn: Option<Connection>,
}

impl Drop for ReaderGuard<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut pool = lock(&self.inner.readers);
            if pool.closed {
                drop(pool);
                drop(conn); // returned after close: the pool is gone
                return;
            }
            pool.idle.push(conn);
            drop(pool);
            self.inner.reader_returned.notify_all();
        }
    }
}

impl Database {
    /// Returns the process's handle for `path`, opening it with default
    /// [`OpenOptions`] if this is the first call (see the type's documentation).
    ///
    /// Errors: [`Error::Corrupt`] if the health check found damage (the file is backed
    /// up once), [`Error::JournalMode`] if setting the journal mode failed for a reason
    /// other than a known WAL refusal, [`Error::InitLockTimeout`],
    /// [`Error::Busy`], [`Error::Io`] and [`Error::Sqlite`] for the rest.
    pub fn open(path: impl AsRef<Path>) -> Result<Database> {
        Database::open_with(path, OpenOptions::default())
    }

    /// Like [`Database::open`] with explicit options. The options only apply if this
    /// call runs the open sequence; an already open handle is returned as it is.
    pub fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<Database> {
        let inner = registry::get_or_open(path.as_ref(), options)?;
        Ok(Database { inner })
    }

    /// The canonical path of the database file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// The journal mode the open sequence settled on.
    pub fn journal_mode(&self) -> JournalMode {
        self.inner.mode
    }

    /// Warnings from the open sequence, such as the fallback from WAL to `DELETE`
    /// (each is also logged once through the `log` crate).
    pub fn warnings(&self) -> &[String] {
        &self.inner.warnings
    }

    /// What the health check of the open sequence answered: [`Health::Ok`], or
    /// [`Health::Unknown`] if the database was busy at the time.
    pub fn health_at_open(&self) -> &Health {
        &self.inner.health_at_open
    }

    /// Whether two values are the same handle (the same `Arc`).
    pub fn same_handle(&self, other: &Database) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Whether [`Database::close`] was called on this handle.
    pub fn is_closed(&self) -> bool {
        self.inner.closed.load(Ordering::SeqCst)
    }

    /// Runs `f` on a read-only connection inside one read transaction, so every query
    /// in `f` sees the same snapshot. Writes fail (`query_only`). Busy errors are
    /// retried. Many threads read at once, up to the pool size.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("r.db"))?;
    /// let one: i64 = db.read(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get(0))?))?;
    /// assert_eq!(one, 1);
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn read<T, F>(&self, mut f: F) -> Result<T>
    where
        F: FnMut(&Connection) -> Result<T>,
    {
        let inner = &*self.inner;
        if inner.reader_count == 0 {
            return inner.retry_busy(|| {
                let guard = inner.writer()?;
                let conn = guard.as_ref().ok_or_else(|| inner.closed_error())?;
                read_in_snapshot(conn, &mut f)
            });
        }
        inner.retry_busy(|| {
            let guard = inner.checkout_reader()?;
            let conn = guard.conn.as_ref().ok_or_else(|| inner.closed_error())?;
            read_in_snapshot(conn, &mut f)
        })
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction on the writer connection: commits if
    /// `f` returns `Ok`, rolls back if it returns `Err` or panics. If the database is
    /// busy (locked by another process), the whole transaction is retried with a short
    /// pause, up to [`OpenOptions::busy_retries`] attempts, so `f` may run more than
    /// once and should only touch the database.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("w.db"))?;
    /// db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x INTEGER NOT NULL)")?))?;
    /// // The second insert fails, so the first one is rolled back with it.
    /// let failed = db.write(|tx| {
    ///     tx.execute("INSERT INTO t(x) VALUES (1)", [])?;
    ///     tx.execute("INSERT INTO t(x) VALUES (NULL)", [])?;
    ///     Ok(())
    /// });
    /// assert!(failed.is_err());
    /// let rows: i64 = db.read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))?;
    /// assert_eq!(rows, 0);
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn write<T, F>(&self, mut f: F) -> Result<T>
    where
        F: FnMut(&Transaction<'_>) -> Result<T>,
    {
        let inner = &*self.inner;
        inner.retry_busy(|| {
            let mut guard = inner.writer()?;
            let conn = guard.as_mut().ok_or_else(|| inner.closed_error())?;
            let _ticket = inner.transactions.enter();
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let value = f(&tx)?; // dropping `tx` on this path rolls back
            tx.commit()?;
            Ok(value)
        })
    }

    /// Starts an explicit `BEGIN IMMEDIATE` transaction on the writer connection. It
    /// holds the writer until it ends; end it with
    /// [`CheckedTransaction::commit`] or [`CheckedTransaction::rollback`]. Prefer
    /// [`Database::write`], which cannot forget either.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("t.db"))?;
    /// let tx = db.transaction()?;
    /// tx.execute_batch("CREATE TABLE t(x)")?;
    /// tx.execute("INSERT INTO t VALUES (1)", [])?;
    /// tx.commit()?;
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn transaction(&self) -> Result<CheckedTransaction<'_>> {
        CheckedTransaction::begin(&self.inner)
    }

    /// Creates a schema once per handle: the first call runs `sql` (idempotent DDL such
    /// as `CREATE TABLE IF NOT EXISTS`) in a write transaction, later calls with the
    /// same `name` return at once. The stores call this from their `open`.
    pub fn ensure_schema(&self, name: &'static str, sql: &str) -> Result<()> {
        let mut done = lock(&self.inner.schemas);
        if done.contains(name) {
            return Ok(());
        }
        self.write(|tx| Ok(tx.execute_batch(sql)?))?;
        done.insert(name);
        Ok(())
    }

    /// Runs `PRAGMA integrity_check` now, on a reader connection (a consistent
    /// snapshot). Busy is [`Health::Unknown`], never corrupt.
    pub fn integrity_check(&self) -> Result<Health> {
        let inner = &*self.inner;
        let run = |conn: &Connection| health::check(conn, CheckLevel::Full);
        if inner.reader_count == 0 {
            let guard = inner.writer()?;
            return run(guard.as_ref().ok_or_else(|| inner.closed_error())?);
        }
        let guard = inner.checkout_reader()?;
        run(guard.conn.as_ref().ok_or_else(|| inner.closed_error())?)
    }

    /// Runs `PRAGMA wal_checkpoint(TRUNCATE)` on the writer: copies the WAL into the
    /// database file and empties it. Returns `false` if readers (here or in other
    /// processes) kept it from finishing, which is harmless: the next one catches up.
    pub fn checkpoint(&self) -> Result<bool> {
        let inner = &*self.inner;
        let guard = inner.writer()?;
        let conn = guard.as_ref().ok_or_else(|| inner.closed_error())?;
        if inner.mode != JournalMode::Wal {
            return Ok(true);
        }
        let blocked: i64 =
            conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))?;
        Ok(blocked == 0)
    }

    /// Closes the handle: waits (up to the busy timeout) for readers on loan, runs
    /// `PRAGMA wal_checkpoint(TRUNCATE)` so the `-wal` file is emptied (unless another
    /// process keeps it from finishing within a short wait), closes every
    /// connection and removes the handle from the registry. Every later use of this
    /// handle or its clones is [`Error::Closed`]; [`Database::open`] opens afresh.
    pub fn close(&self) -> Result<()> {
        let inner = &*self.inner;
        let mut writer = match inner.lock_writer() {
            Ok(writer) => writer,
            Err(Error::Closed { .. }) => return Err(inner.closed_error()),
            Err(e) => return Err(e),
        };
        if inner.closed.swap(true, Ordering::SeqCst) {
            return Err(inner.closed_error());
        }
        inner.reader_returned.notify_all();
        // Readers on loan hold snapshots that would stop the checkpoint; wait for them.
        let deadline = Instant::now() + inner.options.busy_timeout;
        let mut pool = lock(&inner.readers);
        while pool.idle.len() < inner.reader_count && Instant::now() < deadline {
            pool = inner
                .reader_returned
                .wait_timeout(pool, Duration::from_millis(10))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        pool.closed = true;
        let idle = std::mem::take(&mut pool.idle);
        drop(pool);
        drop(idle);
        if let Some(conn) = writer.as_ref().filter(|_| inner.mode == JournalMode::Wal) {
            checkpoint_on_close(conn, &inner.path);
        }
        let closing = writer
            .take()
            .map(|conn| conn.close().map_err(|(_, e)| Error::from(e)));
        drop(writer);
        registry::remove(&self.inner);
        closing.transpose()?;
        Ok(())
    }
}

/// `wal_checkpoint(TRUNCATE)` at close, waiting at most a short while for other
/// processes: if their readers or writer keep it from finishing, the WAL is left for
/// the next checkpoint (theirs or the next open's), which is safe, and close goes on.
fn checkpoint_on_close(conn: &Connection, path: &Path) {
    let _ = conn.busy_timeout(Duration::from_millis(250));
    match conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(0) => {}
        Ok(_) => log::info!(
            "{}: checkpoint at close was blocked by other connections",
            path.display()
        ),
        Err(e) => log::info!("{}: checkpoint at close did not run: {e}", path.display()),
    }
}

fn read_in_snapshot<T>(
    conn: &Connection,
    f: &mut impl FnMut(&Connection) -> Result<T>,
) -> Result<T> {
    conn.execute_batch("BEGIN DEFERRED")?;
    let result = f(conn);
    // A read transaction has nothing to keep: end it either way.
    let end = conn.execute_batch(if result.is_ok() { "COMMIT" } else { "ROLLBACK" });
    let value = result?;
    end?;
    Ok(value)
}
