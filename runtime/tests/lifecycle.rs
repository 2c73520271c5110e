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
/// runs in a savepoint of it instead of waiting for itself; what cannot nest (an
/// explicit transaction, close, checkpoint) is `WriterHeld`.
#[test]
fn nested_writes_on_one_thread_run_as_savepoints() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("nested.db")).unwrap();
    db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x INTEGER NOT NULL)")?))
        .unwrap();
    let count = |db: &Database| -> i64 {
        db.read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
            .unwrap()
    };
    db.write(|tx| {
        tx.execute("INSERT INTO t VALUES (1)", [])?;
        let nested = db.write(|sp| {
            assert!(sp.is_savepoint());
            sp.execute("INSERT INTO t VALUES (2)", [])?;
            // A read inside the transaction sees its writes so far, and cannot write.
            let seen: i64 =
                db.read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))?;
            assert_eq!(seen, 2);
            assert!(db
                .read(|c| Ok(c.execute("INSERT INTO t VALUES (9)", [])?))
                .is_err());
            Ok(())
        });
        nested.unwrap();
        // A failed savepoint undoes only its own writes.
        let failed = db.write(|sp| {
            sp.execute("INSERT INTO t VALUES (3)", [])?;
            sp.execute("INSERT INTO t VALUES (NULL)", [])?;
            Ok(())
        });
        assert!(failed.is_err());
        assert!(matches!(
            db.transaction().map(|_| ()),
            Err(Error::WriterHeld { .. })
        ));
        assert!(matches!(db.close(), Err(Error::WriterHeld { .. })));
        assert!(matches!(db.checkpoint(), Err(Error::WriterHeld { .. })));
        Ok(())
    })
    .unwrap();
    assert_eq!(count(&db), 2);

    // The whole transaction rolls back when the outer closure fails after a nested
    // write succeeded.
    let outer: Result<(), Error> = db.write(|_| {
        db.write(|sp| Ok(sp.execute("INSERT INTO t VALUES (4)", [])?))?;
        Err(Error::TaskNotFound {
            task: "stop".into(),
        })
    });
    assert!(outer.is_err());
    assert_eq!(count(&db), 2);

    // Inside an explicit transaction too.
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (5)", []).unwrap();
    db.write(|sp| Ok(sp.execute("INSERT INTO t VALUES (6)", [])?))
        .unwrap();
    assert!(matches!(
        db.transaction().map(|_| ()),
        Err(Error::WriterHeld { .. })
    ));
    tx.rollback().unwrap();
    assert_eq!(
        count(&db),
        2,
        "the savepoint went with the explicit transaction"
    );
    db.write(|_| Ok(())).unwrap(); // released again
    db.close().unwrap();
}

/// Defect 1 of issue 19: building a store takes the schema lock and then the writer;
/// a thread already inside `write` that builds a store on the same fresh handle took
/// them in the other order, and both threads waited forever. Each side runs on its
/// own thread and the test waits at most 20 s for both.
#[test]
fn building_a_store_inside_write_on_a_fresh_handle_does_not_deadlock() {
    use std::sync::mpsc;
    use std::time::Duration;

    use connlint_runtime::KanbanStore;

    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("fresh.db")).unwrap();
    let (done_tx, done) = mpsc::channel();
    let (entered_tx, entered) = mpsc::channel();

    let writer = {
        let (db, done_tx) = (db.clone(), done_tx.clone());
        std::thread::spawn(move || {
            let result = db.write(|_tx| {
                entered_tx.send(()).unwrap();
                // Give the other thread time to start building its store (it then
                // waits for this writer).
                std::thread::sleep(Duration::from_millis(300));
                // The first store open of this handle, from inside a write.
                KanbanStore::with_database(db.clone())?;
                Ok(())
            });
            done_tx.send(("inside write", result.map(|_| ()))).unwrap();
        })
    };
    entered.recv_timeout(Duration::from_secs(20)).unwrap();
    let builder = {
        let db = db.clone();
        std::thread::spawn(move || {
            let result = KanbanStore::with_database(db).map(|_| ());
            done_tx.send(("beside it", result)).unwrap();
        })
    };
    for _ in 0..2 {
        let (who, result) = done
            .recv_timeout(Duration::from_secs(20))
            .expect("deadlock: a store build did not finish within 20 s");
        result.unwrap_or_else(|e| panic!("store built {who} failed: {e}"));
    }
    writer.join().unwrap();
    builder.join().unwrap();
    // The schema is there and the writer still works.
    let board = KanbanStore::with_database(db.clone()).unwrap();
    board
        .create(&connlint_runtime::NewTask::new("after"))
        .unwrap();
    db.close().unwrap();
}

/// A panic inside a `read` or `write` closure leaves every connection outside any
/// transaction and the writer writable: the reader went back to its pool still inside
/// its snapshot before (found by the async front's panic test), so the next read on
/// it failed with "cannot start a transaction within a transaction".
#[test]
fn a_panic_inside_a_closure_leaves_every_connection_usable() {
    use connlint_runtime::OpenOptions;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    for readers in [2, 0] {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::open_with(
            dir.path().join("p.db"),
            OpenOptions::default().readers(readers),
        )
        .unwrap();
        db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x)")?))
            .unwrap();
        for _ in 0..3 {
            let read = catch_unwind(AssertUnwindSafe(|| {
                db.read(|_| -> connlint_runtime::Result<()> { panic!("in a read") })
            }));
            assert!(read.is_err());
        }
        let write = catch_unwind(AssertUnwindSafe(|| {
            db.write(|tx| -> connlint_runtime::Result<()> {
                tx.execute("INSERT INTO t VALUES (1)", [])?;
                panic!("in a write")
            })
        }));
        assert!(write.is_err());
        let nested = catch_unwind(AssertUnwindSafe(|| {
            db.write(|tx| {
                tx.execute("INSERT INTO t VALUES (2)", [])?;
                db.read(|_| -> connlint_runtime::Result<()> { panic!("in a nested read") })
            })
        }));
        assert!(nested.is_err());
        for _ in 0..4 {
            let n: i64 = db
                .read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
                .unwrap();
            assert_eq!(
                n, 0,
                "readers({readers}): the panicking writes were rolled back"
            );
        }
        db.write(|tx| Ok(tx.execute("INSERT INTO t VALUES (3)", [])?))
            .unwrap();
        db.close().unwrap();
    }
}
