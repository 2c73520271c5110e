//! The public handle: [`Database`], one per canonical path per process.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::handle::Handle;
use crate::health::{self, CheckLevel, Health};
use crate::journal::JournalMode;
use crate::lock::lock;
use crate::open::OpenOptions;
use crate::read;
use crate::registry;
use crate::transaction::CheckedTransaction;
use crate::write::{self, WriteTransaction};

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
    handle: Arc<Handle>,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database")
            .field("path", &self.handle.path())
            .field("journal_mode", &self.handle.mode())
            .field("closed", &self.handle.is_closed())
            .finish()
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
        let handle = registry::get_or_open(path.as_ref(), options)?;
        Ok(Database { handle })
    }

    /// The shared state behind this handle (for the async front).
    #[cfg(feature = "tokio")]
    pub(crate) fn handle(&self) -> &Handle {
        &self.handle
    }

    /// The canonical path of the database file.
    pub fn path(&self) -> &Path {
        self.handle.path()
    }

    /// The journal mode the open sequence settled on.
    pub fn journal_mode(&self) -> JournalMode {
        self.handle.mode()
    }

    /// Warnings from the open sequence, such as the fallback from WAL to `DELETE`
    /// (each is also logged once through the `log` crate).
    pub fn warnings(&self) -> &[String] {
        self.handle.warnings()
    }

    /// What the health check of the open sequence answered: [`Health::Ok`], or
    /// [`Health::Unknown`] if the database was busy at the time.
    pub fn health_at_open(&self) -> &Health {
        self.handle.health_at_open()
    }

    /// Whether two values are the same handle (the same `Arc`).
    pub fn same_handle(&self, other: &Database) -> bool {
        Arc::ptr_eq(&self.handle, &other.handle)
    }

    /// Whether [`Database::close`] was called on this handle.
    pub fn is_closed(&self) -> bool {
        self.handle.is_closed()
    }

    /// Runs `f` on a read-only connection inside one read transaction, so every query
    /// in `f` sees the same snapshot. Writes fail (`query_only`), and so does SQL that
    /// would end the snapshot or change the connection
    /// ([`Error::StatementRefused`]). Busy errors are retried. Many threads read at
    /// once, up to the pool size.
    ///
    /// Inside a [`Database::write`] (or an open [`CheckedTransaction`]) of the same
    /// thread on the same handle, `f` runs in that transaction instead, read-only,
    /// and sees what it wrote so far.
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
        read::read(&self.handle, &mut f)
    }

    /// Like [`Database::read`], but returns the result of an earlier call with the
    /// same `key` if nothing was committed to the database since (by this process or
    /// any other). `f` must depend on nothing but the database content and `key`.
    pub(crate) fn read_cached<T, F>(&self, key: &str, f: F) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnMut(&Connection) -> Result<T>,
    {
        read::read_cached(&self.handle, key, f)
    }

    /// Runs `f` in a `BEGIN IMMEDIATE` transaction on the writer connection: commits if
    /// `f` returns `Ok`, rolls back if it returns `Err` or panics. If the database is
    /// busy (locked by another process), the whole transaction is retried with a short
    /// pause, up to [`OpenOptions::busy_retries`] attempts, so `f` may run more than
    /// once and should only touch the database.
    ///
    /// SQL in `f` that would end the transaction or change the connection is refused
    /// and the write fails with [`Error::StatementRefused`], nothing kept (the list of
    /// refused statements is in the crate documentation).
    ///
    /// A `write` (or any store operation) called on the same handle from inside `f`,
    /// or while this thread has a [`CheckedTransaction`] open, runs in a savepoint of
    /// that transaction: it succeeds or fails as a unit, and its writes are kept only
    /// if the enclosing transaction commits. That is how several store operations run
    /// in one transaction.
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
    /// // A nested write is a savepoint: its failure undoes only its own work.
    /// db.write(|tx| {
    ///     tx.execute("INSERT INTO t(x) VALUES (2)", [])?;
    ///     let inner = db.write(|sp| Ok(sp.execute("INSERT INTO t(x) VALUES (NULL)", [])?));
    ///     assert!(inner.is_err());
    ///     Ok(())
    /// })?;
    /// let rows: i64 = db.read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))?;
    /// assert_eq!(rows, 1);
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn write<T, F>(&self, mut f: F) -> Result<T>
    where
        F: FnMut(&WriteTransaction<'_>) -> Result<T>,
    {
        write::write(&self.handle, &mut f)
    }

    /// Starts an explicit `BEGIN IMMEDIATE` transaction on the writer connection. It
    /// holds the writer until it ends; end it with
    /// [`CheckedTransaction::commit`] or [`CheckedTransaction::rollback`]. Prefer
    /// [`Database::write`], which cannot forget either.
    ///
    /// [`Error::WriterHeld`] if this thread is already inside a write or an explicit
    /// transaction on this handle (use [`Database::write`] there: it nests as a
    /// savepoint).
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
        CheckedTransaction::begin(&self.handle)
    }

    /// Creates a schema once per handle: the first call runs `sql` (idempotent DDL such
    /// as `CREATE TABLE IF NOT EXISTS`) in a write transaction, later calls with the
    /// same `name` return at once. The stores call this from their `open`.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("s.db"))?;
    /// db.ensure_schema("my-app/v1", "CREATE TABLE IF NOT EXISTS notes(body TEXT)")?;
    /// db.ensure_schema("my-app/v1", "this is not run again")?;
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn ensure_schema(&self, name: &'static str, sql: &str) -> Result<()> {
        self.ensure_schema_with(name, |conn| Ok(conn.execute_batch(sql)?))
    }

    /// Like [`Database::ensure_schema`] with a function in place of the DDL, for
    /// migrations that must look at the schema first (in the same write transaction).
    ///
    /// The set of created schemas is only looked at, never held, while waiting for
    /// the writer: holding it across that wait is what deadlocked a thread that built
    /// a store inside `write` against one building the same store beside it (issue 19,
    /// defect 1). Two threads may both run `create`; the second finds the work done,
    /// which is why it must be idempotent. Inside a write of this thread it runs in a
    /// savepoint and the name is not recorded, since the enclosing transaction may
    /// still roll back; the next call outside records it.
    pub(crate) fn ensure_schema_with(
        &self,
        name: &'static str,
        mut create: impl FnMut(&WriteTransaction<'_>) -> Result<()>,
    ) -> Result<()> {
        if lock(&self.handle.schemas).contains(name) {
            return Ok(());
        }
        let nested = self.handle.writer.held_by_current_thread();
        self.write(|tx| create(tx))?;
        if !nested {
            lock(&self.handle.schemas).insert(name);
        }
        Ok(())
    }

    /// Runs `PRAGMA integrity_check` now, on a reader connection (a consistent
    /// snapshot). Busy is [`Health::Unknown`], never corrupt.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("i.db"))?;
    /// assert!(db.integrity_check()?.is_ok());
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn integrity_check(&self) -> Result<Health> {
        let handle = &*self.handle;
        let run = |conn: &Connection| health::check(conn, CheckLevel::Full);
        if handle.readers.size() == 0 || handle.writer.held_by_current_thread() {
            let guard = handle.writer()?;
            return run(&guard
                .connection()
                .ok_or_else(|| handle.closed_error())?
                .conn);
        }
        let mut guard = handle.checkout_reader()?;
        run(&guard.reader().conn)
    }

    /// Runs `PRAGMA wal_checkpoint(TRUNCATE)` on the writer: copies the WAL into the
    /// database file and empties it. Returns `false` if readers (here or in other
    /// processes) kept it from finishing, which is harmless: the next one catches up.
    /// [`Error::WriterHeld`] inside a write of this thread (a checkpoint cannot run
    /// inside a transaction).
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("c.db"))?;
    /// db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x)")?))?;
    /// assert!(db.checkpoint()?);
    /// # db.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn checkpoint(&self) -> Result<bool> {
        let handle = &*self.handle;
        let guard = handle.writer()?;
        if guard.nested() {
            return Err(handle.writer_held_error());
        }
        let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
        if handle.mode() != JournalMode::Wal {
            return Ok(true);
        }
        let blocked: i64 = writer.policy.run(|| {
            writer
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |row| row.get(0))
        })?;
        Ok(blocked == 0)
    }

    /// Closes the handle: waits (up to the busy timeout) for readers on loan, runs
    /// `PRAGMA wal_checkpoint(TRUNCATE)` so the `-wal` file is emptied (unless another
    /// process keeps it from finishing within a short wait), closes every
    /// connection and removes the handle from the registry. Every later use of this
    /// handle or its clones is [`Error::Closed`]; [`Database::open`] opens afresh.
    /// [`Error::WriterHeld`] inside a write or transaction of this thread.
    ///
    /// ```
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let db = connlint_runtime::Database::open(dir.path().join("closed.db"))?;
    /// db.close()?;
    /// assert!(matches!(db.read(|_| Ok(())), Err(connlint_runtime::Error::Closed { .. })));
    /// # Ok(())
    /// # }
    /// ```
    pub fn close(&self) -> Result<()> {
        let handle = &*self.handle;
        let mut guard = handle.writer.lock();
        if guard.nested() {
            return Err(handle.writer_held_error());
        }
        if guard.connection().is_none() || !handle.mark_closed() {
            return Err(handle.closed_error());
        }
        // Readers on loan hold snapshots that would stop the checkpoint; wait for them.
        handle.readers.close(handle.options().busy_timeout);
        handle.cache.clear();
        let writer = guard.take();
        drop(guard);
        let closing = writer.map(|writer| {
            if handle.mode() == JournalMode::Wal {
                writer
                    .policy
                    .run(|| checkpoint_on_close(&writer.conn, handle.path()));
            }
            writer.conn.close().map_err(|(_, e)| Error::from(e))
        });
        registry::remove(&self.handle);
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

/// Closes every handle open in this process (see [`Database::close`]): for a
/// graceful shutdown, so each database is checkpointed and its `-wal` emptied. Every
/// handle is closed even if one fails; the first error is returned. A handle closed
/// meanwhile by someone else is skipped.
///
/// ```
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let board = connlint_runtime::KanbanStore::open(dir.path().join("kanban.db"))?;
/// let state = connlint_runtime::SessionStore::open(dir.path().join("state.db"))?;
/// connlint_runtime::close_all()?;
/// assert!(board.database().unwrap().is_closed() && state.database().is_closed());
/// # Ok(())
/// # }
/// ```
pub fn close_all() -> Result<()> {
    let mut first_error = None;
    for handle in registry::handles() {
        match (Database { handle }).close() {
            Ok(()) | Err(Error::Closed { .. }) => {}
            Err(e) => {
                log::error!("closing at shutdown failed: {e}");
                first_error.get_or_insert(e);
            }
        }
    }
    #[cfg(feature = "postgres")]
    for db in crate::pg::handles() {
        match db.close() {
            Ok(()) | Err(Error::Closed { .. }) => {}
            Err(e) => {
                log::error!("closing at shutdown failed: {e}");
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(()), Err)
}
