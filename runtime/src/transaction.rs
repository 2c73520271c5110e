//! The explicit transaction style.

use std::ops::Deref;
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

use crate::checked::{self, TransactionTicket};
use crate::database::{Inner, WriterGuard};
use crate::error::{Error, Result};

/// An explicit `BEGIN IMMEDIATE` transaction on a handle's writer connection, made by
/// [`Database::transaction`](crate::Database::transaction).
///
/// It dereferences to [`rusqlite::Connection`], so `execute`, `prepare` and
/// `query_row` work on it. End it with [`commit`](CheckedTransaction::commit) or
/// [`rollback`](CheckedTransaction::rollback), which consume it. Dropped without
/// either it rolls back; if it had written rows, checked mode reports the drop (the
/// writes the caller meant to keep are lost) and this crate's unit tests panic.
///
/// ```
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let db = connlint_runtime::Database::open(dir.path().join("x.db"))?;
/// db.write(|tx| Ok(tx.execute_batch("CREATE TABLE kv(k TEXT PRIMARY KEY, v TEXT)")?))?;
/// let tx = db.transaction()?;
/// tx.execute("INSERT INTO kv VALUES ('a', '1')", [])?;
/// tx.rollback()?; // nothing is kept
/// let n: i64 = db.read(|c| Ok(c.query_row("SELECT count(*) FROM kv", [], |r| r.get(0))?))?;
/// assert_eq!(n, 0);
/// # db.close()?;
/// # Ok(())
/// # }
/// ```
#[must_use = "a transaction must end with commit() or rollback(); dropping it rolls back"]
pub struct CheckedTransaction<'db> {
    inner: &'db Inner,
    guard: WriterGuard<'db>,
    changes_at_begin: u64,
    finished: bool,
    _ticket: TransactionTicket<'db>,
}

impl<'db> CheckedTransaction<'db> {
    pub(crate) fn begin(inner: &'db Inner) -> Result<CheckedTransaction<'db>> {
        let guard = inner.writer()?;
        let ticket = inner.transactions.enter();
        let conn = guard.as_ref().ok_or(Error::Closed {
            path: inner.path().to_owned(),
        })?;
        retry_statement(inner, conn, "BEGIN IMMEDIATE")?;
        let changes_at_begin = conn.total_changes();
        Ok(CheckedTransaction {
            inner,
            guard,
            changes_at_begin,
            finished: false,
            _ticket: ticket,
        })
    }

    fn conn(&self) -> &Connection {
        // `begin` checked that the writer is present and the guard keeps it so.
        self.guard
            .as_ref()
            .expect("writer connection present while a transaction holds it")
    }

    /// Commits the transaction. If the commit fails, the transaction is rolled back and
    /// the error returned: nothing was kept.
    pub fn commit(mut self) -> Result<()> {
        self.finished = true;
        let result = retry_statement(self.inner, self.conn(), "COMMIT");
        if result.is_err() && !self.conn().is_autocommit() {
            let _rollback_error_is_secondary = self.conn().execute_batch("ROLLBACK");
        }
        result
    }

    /// Rolls the transaction back, discarding its writes.
    pub fn rollback(mut self) -> Result<()> {
        self.finished = true;
        Ok(self.conn().execute_batch("ROLLBACK")?)
    }

    /// Rows changed by this transaction so far.
    pub fn changes(&self) -> u64 {
        self.conn().total_changes() - self.changes_at_begin
    }
}

impl Deref for CheckedTransaction<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn()
    }
}

impl Drop for CheckedTransaction<'_> {
    fn drop(&mut self) {
        // However the transaction ended (commit, rollback, drop, or a `COMMIT` the
        // caller ran by hand), cached reads must not outlive it. The writer guard is
        // a field, so it is still held here.
        self.inner.bump_generation();
        if self.finished {
            return;
        }
        let changes = self.changes();
        if !self.conn().is_autocommit() {
            if let Err(e) = self.conn().execute_batch("ROLLBACK") {
                log::error!(
                    "{}: rollback of a dropped transaction failed: {e}",
                    self.inner.path().display()
                );
            }
        }
        if changes > 0 {
            checked::report_dropped(self.inner.path(), changes);
        }
    }
}

/// Runs a transaction-control statement, retrying while the database is busy.
fn retry_statement(inner: &Inner, conn: &Connection, sql: &str) -> Result<()> {
    let attempts = inner.options().busy_retries;
    let mut pause = Duration::from_millis(5);
    for n in 1..=attempts {
        match conn.execute_batch(sql) {
            Err(e) if crate::open::busy(&e) && n < attempts => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(e) if crate::open::busy(&e) => break,
            other => return Ok(other?),
        }
    }
    Err(Error::Busy {
        path: inner.path().to_owned(),
        attempts,
    })
}

#[cfg(test)]
mod tests {
    use crate::Database;

    /// Checked mode (debug builds or the `checked` feature) reports the drop, and
    /// this crate's own unit tests turn the report into a panic.
    #[test]
    #[cfg(any(debug_assertions, feature = "checked"))]
    #[should_panic(expected = "without commit or rollback")]
    fn dropping_a_transaction_with_writes_panics_in_checked_tests() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path().join("drop.db")).unwrap();
        let tx = db.transaction().unwrap();
        tx.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(tx);
    }

    /// Without checked mode (a release build without the `checked` feature) nothing
    /// is counted or reported, but the writes are still rolled back.
    #[test]
    #[cfg(not(any(debug_assertions, feature = "checked")))]
    fn dropping_a_transaction_with_writes_rolls_back_quietly_without_checked_mode() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path().join("drop.db")).unwrap();
        db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x)")?))
            .unwrap();
        let tx = db.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        drop(tx);
        assert_eq!(crate::checked::dropped_uncommitted(), 0);
        let rows: i64 = db
            .read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .unwrap();
        assert_eq!(rows, 0, "the dropped transaction was rolled back");
        db.close().unwrap();
    }

    #[test]
    fn dropping_a_read_only_transaction_is_quiet() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open(dir.path().join("quiet.db")).unwrap();
        let tx = db.transaction().unwrap();
        let _: i64 = tx.query_row("SELECT 1", [], |r| r.get(0)).unwrap();
        drop(tx);
        db.close().unwrap();
    }
}
