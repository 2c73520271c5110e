//! The database handle: one writer connection behind a mutex and a small pool of
//! read-only connections, all made by the open sequence.
//!
//! The incident this prevents: one connection shared across threads with only the
//! writes locked corrupted two boards in about 30 minutes. Here every connection is
//! used by one thread at a time: writes take the writer's mutex, reads check out a
//! reader (WAL lets them run beside the writer).

use std::any::Any;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
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
    /// Bumped each time a write transaction on the writer connection ends (see
    /// [`Inner::bump_generation`]); half of the cache's [`Token`].
    generation: AtomicU64,
    /// Bumped each time a connection of this handle notices, through
    /// `PRAGMA data_version`, that some other connection committed; the other half of
    /// the cache's [`Token`].
    epoch: AtomicU64,
    /// The writer connection's last seen `PRAGMA data_version` ([`NOT_SEEN`] before the
    /// first check); read and written only while the writer is locked.
    writer_seen: AtomicI64,
    /// Results of [`Database::read_cached`], each tagged with the token it was read at.
    cache: Mutex<Vec<CacheEntry>>,
}

/// `writer_seen` before the writer's first version check.
const NOT_SEEN: i64 = i64::MIN;

/// How many results [`Database::read_cached`] keeps per handle (one per key; the
/// oldest entry goes first).
const CACHE_ENTRIES: usize = 8;

/// What the committed content of the database looked like to this handle when a
/// cached result was read: equal tokens mean no commit happened in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Token {
    generation: u64,
    epoch: u64,
}

struct CacheEntry {
    key: String,
    token: Token,
    value: Arc<dyn Any + Send + Sync>,
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
                idle: opened
                    .readers
                    .into_iter()
                    .map(|conn| PooledReader {
                        conn,
                        seen_version: None,
                    })
                    .collect(),
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
            generation: AtomicU64::new(0),
            epoch: AtomicU64::new(0),
            writer_seen: AtomicI64::new(NOT_SEEN),
            cache: Mutex::new(Vec::new()),
        }
    }

    /// Marks the end of a write transaction on the writer connection, committed or
    /// not. Called while the writer is still locked, so a reader of the generation
    /// that locks the writer afterwards (the `readers(0)` configuration) sees it.
    pub(crate) fn bump_generation(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// The cache token as seen through `conn`, whose last seen `PRAGMA data_version`
    /// is `seen` (the caller holds `conn` exclusively).
    ///
    /// `PRAGMA data_version` answers a different value on a connection whenever any
    /// *other* connection (in this process or another one, in WAL or rollback-journal
    /// mode) committed since that connection last looked: SQLite compares the WAL
    /// index header (or the file change counter) at the start of every read
    /// transaction and counts each change it notices. A connection never sees its own
    /// commits there, which is why writes on the writer connection also bump
    /// `generation`. So whenever a connection notices a change, `epoch` moves on; a
    /// commit that happened after a token was taken is noticed by whichever connection
    /// serves the next check (if it noticed it earlier, `epoch` already moved then).
    /// File timestamps or sizes would not do: mtime has coarse granularity and a WAL
    /// that was reset can grow back to the same size with different content.
    fn token(&self, conn: &Connection, seen: &mut Option<i64>) -> Result<Token> {
        let version: i64 = conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |row| row.get(0))?;
        if *seen != Some(version) {
            self.epoch.fetch_add(1, Ordering::SeqCst);
            *seen = Some(version);
        }
        Ok(Token {
            generation: self.generation.load(Ordering::SeqCst),
            epoch: self.epoch.load(Ordering::SeqCst),
        })
    }

    fn cached<T: Send + Sync + 'static>(&self, key: &str, token: Token) -> Option<Arc<T>> {
        let cache = lock(&self.cache);
        let entry = cache.iter().find(|e| e.key == key && e.token == token)?;
        entry.value.clone().downcast::<T>().ok()
    }

    fn store<T: Send + Sync + 'static>(&self, key: &str, token: Token, value: Arc<T>) {
        let mut cache = lock(&self.cache);
        // Both counters only grow. A slower poll that read an older snapshot keeps
        // the newer entry a faster one stored (its own could never be hit again).
        let newer_kept = cache.iter().any(|e| {
            e.key == key && e.token.generation >= token.generation && e.token.epoch >= token.epoch
        });
        if newer_kept {
            return;
        }
        cache.retain(|e| e.key != key);
        if cache.len() >= CACHE_ENTRIES {
            cache.remove(0);
        }
        cache.push(CacheEntry {
            key: key.to_owned(),
            token,
            value,
        });
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
    idle: Vec<PooledReader>,
    closed: bool,
}

/// A reader connection and the last `PRAGMA data_version` the cache saw on it.
struct PooledReader {
    conn: Connection,
    seen_version: Option<i64>,
}

/// A reader connection on loan; it goes back to the pool when dropped.
struct ReaderGuard<'a> {
    inner: &'a Inner,
    conn: Option<PooledReader>,
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
            let reader = guard.conn.as_ref().ok_or_else(|| inner.closed_error())?;
            read_in_snapshot(&reader.conn, &mut f)
        })
    }

    /// Like [`Database::read`], but returns the result of an earlier call with the
    /// same `key` if nothing was committed to the database since (by this process or
    /// any other). `f` must depend on nothing but the database content and `key`.
    ///
    /// A cache hit costs one reader checkout and one `PRAGMA data_version`; a miss
    /// runs `f` in a snapshot that starts after the version was taken, so the stored
    /// result is never older than its tag (see [`Inner::token`]).
    pub(crate) fn read_cached<T, F>(&self, key: &str, mut f: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnMut(&Connection) -> Result<T>,
    {
        let inner = &*self.inner;
        let mut lookup = |conn: &Connection, seen: &mut Option<i64>| -> Result<Arc<T>> {
            let token = inner.token(conn, seen)?;
            if let Some(hit) = inner.cached::<T>(key, token) {
                return Ok(hit);
            }
            let value = Arc::new(read_in_snapshot(conn, &mut f)?);
            inner.store(key, token, value.clone());
            Ok(value)
        };
        if inner.reader_count == 0 {
            return inner.retry_busy(|| {
                let guard = inner.writer()?;
                let conn = guard.as_ref().ok_or_else(|| inner.closed_error())?;
                let seen = inner.writer_seen.load(Ordering::SeqCst);
                let mut seen = (seen != NOT_SEEN).then_some(seen);
                let result = lookup(conn, &mut seen);
                inner
                    .writer_seen
                    .store(seen.unwrap_or(NOT_SEEN), Ordering::SeqCst);
                result
            });
        }
        inner.retry_busy(|| {
            let mut guard = inner.checkout_reader()?;
            let reader = guard.conn.as_mut().ok_or_else(|| inner.closed_error())?;
            lookup(&reader.conn, &mut reader.seen_version)
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
            // Declared before `tx`, so dropped after it: the generation moves on once
            // the transaction has ended, however it ended, with the writer still held.
            let _generation = GenerationBump(inner);
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
        self.ensure_schema_with(name, |tx| Ok(tx.execute_batch(sql)?))
    }

    /// Like [`Database::ensure_schema`] with a function in place of the DDL, for
    /// migrations that must look at the schema first (in the same write transaction).
    pub(crate) fn ensure_schema_with(
        &self,
        name: &'static str,
        mut create: impl FnMut(&Transaction<'_>) -> Result<()>,
    ) -> Result<()> {
        let mut done = lock(&self.inner.schemas);
        if done.contains(name) {
            return Ok(());
        }
        self.write(|tx| create(tx))?;
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
        run(&guard
            .conn
            .as_ref()
            .ok_or_else(|| inner.closed_error())?
            .conn)
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
        lock(&inner.cache).clear();
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

/// Bumps the handle's generation when dropped (see [`Inner::bump_generation`]).
struct GenerationBump<'a>(&'a Inner);

impl Drop for GenerationBump<'_> {
    fn drop(&mut self) {
        self.0.bump_generation();
    }
}

fn read_in_snapshot<T>(
    conn: &Connection,
    f: &mut impl FnMut(&Connection) -> Result<T>,
) -> Result<T> {
    // Cached statements: a poll should not parse `BEGIN` and `COMMIT` every time.
    conn.prepare_cached("BEGIN DEFERRED")?.execute([])?;
    let result = f(conn);
    // A read transaction has nothing to keep: end it either way.
    let end = conn
        .prepare_cached(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })
        .and_then(|mut end| end.execute([]));
    let value = result?;
    end?;
    Ok(value)
}
