//! The explicit transaction style.

use std::ops::Deref;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use rusqlite::Connection;

use crate::checked::{self, DroppedTransaction, TransactionTicket};
use crate::error::{Error, Result};
use crate::handle::writer::{Activity, WriterGuard};
use crate::handle::Handle;
use crate::policy::Policy;

/// An explicit `BEGIN IMMEDIATE` transaction on a handle's writer connection, made by
/// [`Database::transaction`](crate::Database::transaction).
///
/// It dereferences to [`rusqlite::Connection`], so `execute`, `prepare` and
/// `query_row` work on it. End it with [`commit`](CheckedTransaction::commit) or
/// [`rollback`](CheckedTransaction::rollback), which consume it. Dropped without
/// either it rolls back; if it had written rows, checked mode reports the drop (the
/// writes the caller meant to keep are lost) and this crate's unit tests panic.
///
/// SQL that would end the transaction or change the connection (`COMMIT`,
/// `ROLLBACK`, `SAVEPOINT`, `PRAGMA query_only=...`; the list is in the crate
/// documentation) fails with SQLite's `not authorized` error, and the transaction can
/// no longer commit: [`commit`](CheckedTransaction::commit) rolls back and returns
/// [`Error::StatementRefused`]. A [`Database::write`](crate::Database::write) (or a
/// store operation) on the same thread while it is open runs in a savepoint of it.
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
    handle: &'db Handle,
    guard: WriterGuard<'db>,
    policy: Arc<Policy>,
    /// The refusal recorded before this transaction began (put back when it ends).
    outer_refusal: Option<String>,
    changes_at_begin: u64,
    finished: bool,
    _ticket: TransactionTicket<'db>,
}

impl<'db> CheckedTransaction<'db> {
    pub(crate) fn begin(handle: &'db Handle) -> Result<CheckedTransaction<'db>> {
        let guard = handle.writer()?;
        if guard.nested() {
            // A second explicit transaction could outlive the first one; a nested
            // `write` (a savepoint) cannot.
            return Err(handle.writer_held_error());
        }
        let ticket = handle.transactions.enter();
        let writer = guard.connection().ok_or_else(|| handle.closed_error())?;
        let policy = writer.policy.clone();
        retry_statement(handle, &writer.conn, &policy, "BEGIN IMMEDIATE")?;
        let changes_at_begin = writer.conn.total_changes();
        guard.set_activity(Activity::Writing);
        let outer_refusal = policy.enter_scope();
        Ok(CheckedTransaction {
            handle,
            guard,
            policy,
            outer_refusal,
            changes_at_begin,
            finished: false,
            _ticket: ticket,
        })
    }

    fn conn(&self) -> &Connection {
        // `begin` checked that the writer is present and the guard keeps it so.
        &self
            .guard
            .connection()
            .expect("writer connection present while a transaction holds it")
            .conn
    }

    /// Ends the transaction's bookkeeping: the writer is idle again and the refusal
    /// record is the enclosing one. Returns the refusal recorded during it.
    fn end(&mut self) -> Option<String> {
        self.finished = true;
        self.guard.set_activity(Activity::Idle);
        self.policy.exit_scope(self.outer_refusal.take())
    }

    /// Commits the transaction. If the commit fails, the transaction is rolled back and
    /// the error returned: nothing was kept. If a statement run in it was refused
    /// ([`Error::StatementRefused`]), it is rolled back instead.
    pub fn commit(mut self) -> Result<()> {
        if let Some(statement) = self.end() {
            self.rollback_now()?;
            return Err(self.handle.refused(statement));
        }
        if self.conn().is_autocommit() {
            return Err(Error::TransactionLost {
                path: self.handle.path().to_owned(),
            });
        }
        let result = retry_statement(self.handle, self.conn(), &self.policy, "COMMIT");
        if result.is_err() {
            let _rollback_error_is_secondary = self.rollback_now();
        }
        result
    }

    /// Rolls the transaction back, discarding its writes.
    pub fn rollback(mut self) -> Result<()> {
        self.end();
        self.rollback_now()
    }

    fn rollback_now(&self) -> Result<()> {
        if self.conn().is_autocommit() {
            return Ok(());
        }
        Ok(self.policy.execute(self.conn(), "ROLLBACK")?)
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
        // However the transaction ended (commit, rollback or drop), cached reads must
        // not outlive it. The writer guard is a field, so it is still held here.
        self.handle.cache.bump_generation();
        if self.finished {
            return;
        }
        self.end();
        let changes = self.changes();
        // Still open unless SQL ended it behind the runtime's back, which the
        // authorizer prevents unless the caller removed it.
        let outcome = if self.conn().is_autocommit() {
            let _ = self.policy.attach(self.conn());
            DroppedTransaction::EndedBySql
        } else {
            if let Err(e) = self.rollback_now() {
                log::error!(
                    "{}: rollback of a dropped transaction failed: {e}",
                    self.handle.path().display()
                );
            }
            DroppedTransaction::RolledBack
        };
        if changes > 0 {
            checked::report_dropped(self.handle.path(), changes, outcome);
        }
    }
}

/// Runs a transaction-control statement, retrying while the database is busy.
fn retry_statement(handle: &Handle, conn: &Connection, policy: &Policy, sql: &str) -> Result<()> {
    let attempts = handle.options().busy_retries;
    let mut pause = Duration::from_millis(5);
    for n in 1..=attempts {
        match policy.execute(conn, sql) {
            Err(e) if crate::open::busy(&e) && n < attempts => {
                thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(200));
            }
            Err(e) if crate::open::busy(&e) => break,
            other => return Ok(other?),
        }
    }
    Err(Error::Busy {
        path: handle.path().to_owned(),
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
