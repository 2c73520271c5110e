//! Scenario 10 and checked mode: close checkpoints, use after close is an error,
//! dropped transactions and unclosed handles are reported.

mod common;

use std::fs;

use connlint_runtime::{Database, Error};
use rusqlite::Connection;

fn wal_len(path: &std::path::Path) -> u64 {
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap().to_string_lossy()
    ));
    fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

/// Scenario 10: close after 1000 writes leaves the WAL checkpointed (empty), and every
/// use after close is an error.
#[test]
fn close_after_a_thousand_writes_checkpoints_and_later_use_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let db = Database::open(&path).unwrap();
    db.write(|tx| Ok(tx.execute_batch("CREATE TABLE log(n INTEGER NOT NULL, body TEXT)")?))
        .unwrap();
    for n in 0..1000 {
        db.write(|tx| {
            Ok(tx.execute(
                "INSERT INTO log VALUES (?1, 'some text to fill pages')",
                [n],
            )?)
        })
        .unwrap();
    }
    // Another process keeps the file open, so SQLite's own last-close cleanup cannot
    // empty the WAL: only the checkpoint in close() can.
    let other = Connection::open(&path).unwrap();
    let _: i64 = other
        .query_row("SELECT count(*) FROM log", [], |r| r.get(0))
        .unwrap();
    assert!(wal_len(&path) > 0, "the writes went to the WAL");
    let clone = db.clone();
    db.close().unwrap();
    assert_eq!(wal_len(&path), 0, "close() left the WAL un-checkpointed");
    let rows: i64 = other
        .query_row("SELECT count(*) FROM log", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1000);

    assert!(matches!(
        clone.read(|c| Ok(c.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?)),
        Err(Error::Closed { .. })
    ));
    assert!(matches!(clone.write(|_| Ok(())), Err(Error::Closed { .. })));
    assert!(matches!(
        clone.transaction().map(|_| ()),
        Err(Error::Closed { .. })
    ));
    assert!(matches!(clone.integrity_check(), Err(Error::Closed { .. })));
    assert!(matches!(db.close(), Err(Error::Closed { .. })));
    assert!(db.is_closed());
    // Opening again is a fresh handle.
    let reopened = Database::open(&path).unwrap();
    assert!(!reopened.same_handle(&db));
    let info = connlint_runtime::open_handles()
        .into_iter()
        .find(|h| h.path == reopened.path())
        .unwrap();
    assert_eq!(info.opens, 2);
    reopened.close().unwrap();
}

/// Checked mode: an explicit transaction dropped after writes is rolled back and
/// counted; live transactions are counted per handle; unclosed handles are reported.
#[test]
fn checked_mode_reports_dropped_transactions_and_leaks() {
    if !connlint_runtime::checked::ENABLED {
        return; // a release build without the `checked` feature counts nothing
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("checked.db");
    let db = Database::open(&path).unwrap();
    db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x)")?))
        .unwrap();

    let before = connlint_runtime::checked::dropped_uncommitted();
    {
        let tx = db.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        let live = connlint_runtime::open_handles()
            .into_iter()
            .find(|h| h.path == db.path())
            .unwrap();
        assert_eq!(live.live_transactions, 1);
        drop(tx); // neither commit nor rollback
    }
    assert_eq!(connlint_runtime::checked::dropped_uncommitted(), before + 1);
    let rows: i64 = db
        .read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(rows, 0, "the dropped transaction was rolled back");

    // Committed and rolled back explicitly: nothing reported.
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
    tx.commit().unwrap();
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (3)", []).unwrap();
    tx.rollback().unwrap();
    assert_eq!(connlint_runtime::checked::dropped_uncommitted(), before + 1);

    let report = connlint_runtime::leak_report();
    let leaked = report
        .handles
        .iter()
        .find(|h| h.path == db.path())
        .expect("the open handle is reported");
    assert_eq!(leaked.live_transactions, 0);
    assert!(report.to_string().contains("checked.db"), "{report}");
    db.close().unwrap();
    assert!(!connlint_runtime::leak_report()
        .handles
        .iter()
        .any(|h| h.path == db.path()));
}

/// A write inside a write, or inside an open explicit transaction, on the same thread
/// is an error instead of a deadlock.
#[test]
fn nested_writes_on_one_thread_fail_instead_of_deadlocking() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("nested.db")).unwrap();
    let inner = db.write(|_| Ok(db.write(|_| Ok(())))).unwrap();
    assert!(matches!(inner, Err(Error::WriterHeld { .. })), "{inner:?}");
    let tx = db.transaction().unwrap();
    assert!(matches!(
        db.write(|_| Ok(())),
        Err(Error::WriterHeld { .. })
    ));
    tx.commit().unwrap();
    db.write(|_| Ok(())).unwrap(); // released again
    db.close().unwrap();
}
