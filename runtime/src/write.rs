//! The closure style of writing: [`Database::write`](crate::Database::write) runs its
//! closure in a `BEGIN IMMEDIATE` transaction, or, when the calling thread is already
//! inside a write transaction on the same handle, in a savepoint of it.

use std::ops::Deref;

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::handle::cache::ResultCache;
use crate::handle::writer::{Activity, WriterConnection, WriterGuard};
use crate::handle::Handle;

/// The name of the savepoints nested writes run in. One name serves every level:
/// nested writes end in reverse order of their start, and `RELEASE` or `ROLLBACK TO`
/// a name acts on the most recent savepoint with that name.
const SAVEPOINT: &str = "connlint_runtime";

/// The transaction a [`Database::write`](crate::Database::write) closure runs in: a
/// `BEGIN IMMEDIATE` transaction on the writer connection, or a savepoint of the
/// transaction this thread already has open on the same handle (a write inside a
/// write, or inside a [`CheckedTransaction`](crate::CheckedTransaction)).
///
/// It dereferences to [`rusqlite::Connection`], so `execute`, `prepare_cached`,
/// `query_row` and `execute_batch` work on it. The runtime ends it: commit (or
/// release) when the closure returns `Ok`, roll back when it returns `Err` or
/// panics. SQL that would end it or change the connection (`COMMIT`, `ROLLBACK`,
/// `SAVEPOINT`, `PRAGMA query_only=...`; the list is in the crate documentation) is
/// refused with [`Error::StatementRefused`].
///
/// ```
/// use connlint_runtime::{Database, WriteTransaction};
///
/// fn add_note(tx: &WriteTransaction<'_>, body: &str) -> connlint_runtime::Result<i64> {
///     tx.execute("INSERT INTO notes(body) VALUES (?1)", [body])?;
///     Ok(tx.last_insert_rowid())
/// }
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let db = Database::open(dir.path().join("notes.db"))?;
/// db.write(|tx| Ok(tx.execute_batch("CREATE TABLE notes(body TEXT NOT NULL)")?))?;
/// let id = db.write(|tx| {
///     assert!(!tx.is_savepoint());
///     add_note(tx, "first")
/// })?;
/// assert_eq!(id, 1);
/// # db.close()?;
/// # Ok(())
/// # }
/// ```
pub struct WriteTransaction<'a> {
    conn: &'a Connection,
    savepoint: bool,
}

impl WriteTransaction<'_> {
    /// Whether this is a savepoint inside a transaction this thread opened earlier
    /// (its writes are kept only if that transaction commits).
    pub fn is_savepoint(&self) -> bool {
        self.savepoint
    }
}

impl Deref for WriteTransaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl std::fmt::Debug for WriteTransaction<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WriteTransaction")
            .field("savepoint", &self.savepoint)
            .finish_non_exhaustive()
    }
}

/// Runs `f` in a write transaction (see [`Database::write`](crate::Database::write)).
pub(crate) fn write<T>(
    handle: &Handle,
    f: &mut impl FnMut(&WriteTransaction<'_>) -> Result<T>,
) -> Result<T> {
    if handle.writer.held_by_current_thread() {
        let guard = handle.writer()?;
        return match guard.activity() {
            Activity::Writing => in_savepoint(handle, &guard, f),
            // Inside a read on the writer (a handle without readers) nothing may write.
            Activity::Reading | Activity::Idle => Err(handle.writer_held_error()),
        };
    }
    handle.retry_busy(|| {
        let guard = handle.writer()?;
        in_transaction(handle, &guard, f)
    })
}

/// The outermost level: `BEGIN IMMEDIATE`, `f`, then `COMMIT` or `ROLLBACK`.
fn in_transaction<T>(
    handle: &Handle,
    guard: &WriterGuard<'_>,
    f: &mut impl FnMut(&WriteTransaction<'_>) -> Result<T>,
) -> Result<T> {
    let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
    let _ticket = handle.transactions.enter();
    // Declared before the transaction, so dropped after it: the generation moves on
    // once the transaction has ended, however it ended, with the writer still held.
    let _generation = GenerationBump(&handle.cache);
    writer.policy.execute(&writer.conn, "BEGIN IMMEDIATE")?;
    let mut open = Open::transaction(writer, guard);
    let scope = writer.policy.scope();
    let result = f(&WriteTransaction {
        conn: &writer.conn,
        savepoint: false,
    });
    let refused = scope.finish();
    if writer.conn.is_autocommit() {
        // Only possible if `f` removed the authorizer and ended the transaction by
        // SQL; whether its writes were kept is that statement's doing.
        open.done();
        writer.policy.attach(&writer.conn)?;
        return Err(Error::TransactionLost {
            path: handle.path().to_owned(),
        });
    }
    if let Some(statement) = refused {
        open.rollback()?;
        return Err(handle.refused(statement));
    }
    let value = match result {
        Ok(value) => value,
        Err(e) => {
            open.rollback()?;
            return Err(e);
        }
    };
    open.commit()?;
    Ok(value)
}

/// A nested level: `SAVEPOINT`, `f`, then `RELEASE` or `ROLLBACK TO` and `RELEASE`.
fn in_savepoint<T>(
    handle: &Handle,
    guard: &WriterGuard<'_>,
    f: &mut impl FnMut(&WriteTransaction<'_>) -> Result<T>,
) -> Result<T> {
    let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
    writer
        .policy
        .execute(&writer.conn, &format!("SAVEPOINT {SAVEPOINT}"))?;
    let mut open = Open::savepoint(writer, guard);
    let scope = writer.policy.scope();
    let result = f(&WriteTransaction {
        conn: &writer.conn,
        savepoint: true,
    });
    let refused = scope.finish();
    if writer.conn.is_autocommit() {
        open.done();
        writer.policy.attach(&writer.conn)?;
        return Err(Error::TransactionLost {
            path: handle.path().to_owned(),
        });
    }
    if let Some(statement) = refused {
        open.rollback()?;
        return Err(handle.refused(statement));
    }
    let value = match result {
        Ok(value) => value,
        Err(e) => {
            open.rollback()?;
            return Err(e);
        }
    };
    open.commit()?;
    Ok(value)
}

/// An open transaction or savepoint on the writer. Ended explicitly, or rolled back
/// when dropped (`f` panicked), so the connection never stays inside it. It also
/// sets the writer's activity to `Writing` and puts the previous one back.
struct Open<'a> {
    writer: &'a WriterConnection,
    guard: &'a WriterGuard<'a>,
    savepoint: bool,
    before: Activity,
    ended: bool,
}

impl<'a> Open<'a> {
    fn transaction(writer: &'a WriterConnection, guard: &'a WriterGuard<'a>) -> Open<'a> {
        Open::new(writer, guard, false)
    }

    fn savepoint(writer: &'a WriterConnection, guard: &'a WriterGuard<'a>) -> Open<'a> {
        Open::new(writer, guard, true)
    }

    fn new(writer: &'a WriterConnection, guard: &'a WriterGuard<'a>, savepoint: bool) -> Open<'a> {
        Open {
            writer,
            guard,
            savepoint,
            before: guard.set_activity(Activity::Writing),
            ended: false,
        }
    }

    /// Marks it ended by someone else.
    fn done(&mut self) {
        self.ended = true;
    }

    fn commit(&mut self) -> Result<()> {
        self.ended = true;
        let sql = if self.savepoint {
            format!("RELEASE {SAVEPOINT}")
        } else {
            "COMMIT".to_owned()
        };
        let result = self.writer.policy.execute(&self.writer.conn, &sql);
        if result.is_err() {
            // A failed commit (busy in rollback-journal mode) leaves the transaction
            // open: nothing of it is kept.
            self.ended = false;
            self.rollback()?;
        }
        Ok(result?)
    }

    fn rollback(&mut self) -> Result<()> {
        if self.ended {
            return Ok(());
        }
        self.ended = true;
        let sql = if self.savepoint {
            format!("ROLLBACK TO {SAVEPOINT}; RELEASE {SAVEPOINT}")
        } else {
            "ROLLBACK".to_owned()
        };
        if self.writer.conn.is_autocommit() {
            return Ok(());
        }
        Ok(self.writer.policy.execute(&self.writer.conn, &sql)?)
    }
}

impl Drop for Open<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.rollback() {
            log::error!("rollback of an abandoned write failed: {e}");
        }
        self.guard.set_activity(self.before);
    }
}

/// Bumps the cache generation when dropped (see
/// [`ResultCache::bump_generation`]).
struct GenerationBump<'a>(&'a ResultCache);

impl Drop for GenerationBump<'_> {
    fn drop(&mut self) {
        self.0.bump_generation();
    }
}
