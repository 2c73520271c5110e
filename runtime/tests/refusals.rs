//! SQL that would change transaction or connection state behind the runtime's back is
//! refused inside `read`, `write` and explicit transactions (issue 19, defects 2 and 3
//! and the raw-connection escape): the statement fails, the read or transaction it
//! ran in ends with `Error::StatementRefused`, and nothing it wrote is kept.

use std::path::Path;

use connlint_runtime::session::{self, NewMessage, NewSession, DEFAULT_EXCLUDED_SOURCES};
use connlint_runtime::{Database, Error, OpenOptions, SessionStore};
use rusqlite::Connection;

fn count(db: &Database, table: &str) -> i64 {
    db.read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?))
        .unwrap()
}

fn table(db: &Database) {
    db.write(|tx| Ok(tx.execute_batch("CREATE TABLE IF NOT EXISTS t(x INTEGER)")?))
        .unwrap();
}

fn assert_refused<T: std::fmt::Debug>(result: Result<T, Error>, what: &str) {
    match result {
        Err(Error::StatementRefused { ref statement, .. }) => {
            assert!(
                statement
                    .to_ascii_uppercase()
                    .contains(&what.to_ascii_uppercase()),
                "refused {statement:?}, expected it to name {what:?}"
            );
        }
        other => panic!("{what}: expected StatementRefused, got {other:?}"),
    }
}

/// Defect 2: `PRAGMA query_only=0` inside `read()` made the pooled reader writable;
/// later reads could write through it, bypassing the writer (and the sidebar cache's
/// invalidation).
#[test]
fn query_only_cannot_be_turned_off_inside_a_read() {
    let dir = tempfile::tempdir().unwrap();
    let db =
        Database::open_with(dir.path().join("r.db"), OpenOptions::default().readers(2)).unwrap();
    table(&db);
    for _ in 0..4 {
        // Every reader of the pool gets asked.
        assert_refused(
            db.read(|c| Ok(c.execute_batch("PRAGMA query_only=0")?)),
            "query_only",
        );
        assert_refused(
            db.read(|c| Ok(c.pragma_update(None, "query_only", false)?)),
            "query_only",
        );
    }
    for _ in 0..4 {
        let write = db.read(|c| Ok(c.execute("INSERT INTO t VALUES (1)", [])?));
        assert!(
            write.is_err(),
            "a pooled reader accepted a write: {write:?}"
        );
    }
    assert_eq!(count(&db, "t"), 0);
    db.close().unwrap();
}

/// The sidebar cache stays right: no write can bypass the writer through a reader.
#[test]
fn a_refused_pragma_leaves_the_sidebar_cache_fresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let store = SessionStore::open(&path).unwrap();
    store.create_session(&NewSession::new("s", "cli")).unwrap();
    store
        .append_message("s", &NewMessage::new("user", "hi"))
        .unwrap();
    assert_eq!(store.list_importable().unwrap()[0].message_count, 1);
    let db = store.database();
    let sneaky = db.read(|c| {
        c.execute_batch("PRAGMA query_only=0")?;
        c.execute("UPDATE sessions SET message_count = 99", [])?;
        Ok(())
    });
    assert_refused(sneaky, "query_only");
    let fresh = Connection::open(&path).unwrap();
    let reference =
        session::list_importable_from_messages_on(&fresh, &DEFAULT_EXCLUDED_SOURCES).unwrap();
    assert_eq!(store.list_importable().unwrap(), reference);
    assert_eq!(reference[0].message_count, 1);
    db.close().unwrap();
}

/// Defect 3: a `COMMIT` run by the closure of `write` made `write` return an error
/// while the rows were kept.
#[test]
fn commit_inside_write_is_refused_and_nothing_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("w.db")).unwrap();
    table(&db);
    let result = db.write(|tx| {
        tx.execute("INSERT INTO t VALUES (1)", [])?;
        tx.execute_batch("COMMIT")?;
        Ok(())
    });
    assert_refused(result, "COMMIT");
    assert_eq!(count(&db, "t"), 0, "the insert was rolled back");
    // Ignoring the refused statement's error does not help: the write still fails.
    let ignored = db.write(|tx| {
        tx.execute("INSERT INTO t VALUES (2)", [])?;
        let _ = tx.execute_batch("COMMIT");
        Ok(())
    });
    assert_refused(ignored, "COMMIT");
    assert_eq!(count(&db, "t"), 0);
    // The writer is in order afterwards.
    db.write(|tx| Ok(tx.execute("INSERT INTO t VALUES (3)", [])?))
        .unwrap();
    assert_eq!(count(&db, "t"), 1);
    db.close().unwrap();
}

/// Defect 3 for the explicit style: SQL that would end the transaction is refused,
/// and `commit` then rolls back and says why.
#[test]
fn commit_by_sql_inside_an_explicit_transaction_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("x.db")).unwrap();
    table(&db);
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
    assert!(tx.execute_batch("COMMIT").is_err());
    assert!(!tx.is_autocommit(), "the transaction is still open");
    assert_refused(tx.commit(), "COMMIT");
    assert_eq!(count(&db, "t"), 0);
    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&db, "t"), 1);
    db.close().unwrap();
}

/// Every statement the runtime documents as refused, in each place user SQL runs.
#[test]
fn transaction_and_connection_state_statements_are_refused_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("all.db");
    let db = Database::open(&path).unwrap();
    table(&db);
    let refused = [
        ("BEGIN", "BEGIN"),
        ("BEGIN IMMEDIATE", "BEGIN"),
        ("COMMIT", "COMMIT"),
        ("END", "COMMIT"),
        ("ROLLBACK", "ROLLBACK"),
        ("SAVEPOINT mine", "SAVEPOINT"),
        ("RELEASE mine", "RELEASE"),
        ("ROLLBACK TO mine", "ROLLBACK"),
        ("PRAGMA query_only=1", "query_only"),
        ("PRAGMA query_only=0", "query_only"),
        ("PRAGMA journal_mode=DELETE", "journal_mode"),
        ("PRAGMA main.journal_mode=WAL", "journal_mode"),
        ("PRAGMA locking_mode=EXCLUSIVE", "locking_mode"),
        ("PRAGMA synchronous=OFF", "synchronous"),
        ("PRAGMA foreign_keys=OFF", "foreign_keys"),
        ("PRAGMA busy_timeout=0", "busy_timeout"),
        ("PRAGMA read_uncommitted=1", "read_uncommitted"),
        ("PRAGMA writable_schema=1", "writable_schema"),
        ("PRAGMA wal_autocheckpoint=0", "wal_autocheckpoint"),
        ("PRAGMA wal_checkpoint", "wal_checkpoint"),
        ("PRAGMA wal_checkpoint(TRUNCATE)", "wal_checkpoint"),
        ("PRAGMA cache_size=10", "cache_size"),
        ("PRAGMA temp_store=MEMORY", "temp_store"),
        ("ATTACH ':memory:' AS other", "ATTACH"),
        ("DETACH other", "DETACH"),
    ];
    for (sql, what) in refused {
        assert_refused(db.read(|c| Ok(c.execute_batch(sql)?)), what);
        assert_refused(
            db.write(|tx| {
                tx.execute("INSERT INTO t VALUES (1)", [])?;
                tx.execute_batch(sql)?;
                Ok(())
            }),
            what,
        );
        let tx = db.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (1)", []).unwrap();
        assert!(tx.execute_batch(sql).is_err(), "{sql} ran in a transaction");
        assert_refused(tx.commit(), what);
        assert_eq!(count(&db, "t"), 0, "{sql}: nothing kept");
    }
    // The handle's own state is what the open sequence set.
    let mode: String = db
        .read(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(mode, "wal");
    db.close().unwrap();
    assert_eq!(wal_len(&path), 0, "close still checkpoints");
}

/// What stays allowed: reading pragmas, schema and content pragmas a migration needs.
#[test]
fn reading_pragmas_and_schema_pragmas_stay_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("ok.db")).unwrap();
    table(&db);
    db.write(|tx| {
        tx.execute_batch("PRAGMA user_version = 7; PRAGMA application_id = 42")?;
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let _: i64 = tx.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
        Ok(())
    })
    .unwrap();
    let (version, columns, mode, check, fk): (i64, i64, String, String, i64) = db
        .read(|c| {
            Ok((
                c.query_row("PRAGMA user_version", [], |r| r.get(0))?,
                c.query_row("SELECT count(*) FROM pragma_table_info('t')", [], |r| {
                    r.get(0)
                })?,
                c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                c.query_row("PRAGMA quick_check(1)", [], |r| r.get(0))?,
                c.query_row("PRAGMA query_only", [], |r| r.get(0))?,
            ))
        })
        .unwrap();
    assert_eq!(
        (version, columns, mode.as_str(), check.as_str()),
        (7, 1, "wal", "ok")
    );
    assert_eq!(fk, 1, "readers are query_only");
    db.read(|c| {
        let mut stmt = c.prepare("PRAGMA table_info(t)")?;
        let names: Vec<String> = stmt
            .query_map([], |r| r.get(1))?
            .collect::<rusqlite::Result<_>>()?;
        assert_eq!(names, ["x"]);
        Ok(())
    })
    .unwrap();
    db.close().unwrap();
}

fn wal_len(path: &Path) -> u64 {
    let wal = path.with_file_name(format!(
        "{}-wal",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0)
}

/// Collects the error lines logged in this test binary.
struct Recorder(std::sync::Mutex<Vec<String>>);

impl log::Log for Recorder {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::Level::Error
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0.lock().unwrap().push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

static RECORDER: Recorder = Recorder(std::sync::Mutex::new(Vec::new()));

fn remove_authorizer(conn: &Connection) {
    conn.authorizer(None::<fn(rusqlite::hooks::AuthContext<'_>) -> rusqlite::hooks::Authorization>)
        .unwrap();
}

/// Defect 3, second half: a transaction that SQL committed and that was then dropped
/// was logged as "the writes were rolled back", which was false. The policy makes
/// that SQL impossible unless the caller removes the authorizer, which this test does
/// on purpose: the runtime then says what happened and puts the policy back.
#[test]
fn a_transaction_ended_behind_the_runtimes_back_is_reported_truthfully() {
    let _ = log::set_logger(&RECORDER).map(|()| log::set_max_level(log::LevelFilter::Error));
    let dir = tempfile::tempdir().unwrap();
    let db = Database::open(dir.path().join("lost.db")).unwrap();
    table(&db);

    let result = db.write(|tx| {
        tx.execute("INSERT INTO t VALUES (1)", [])?;
        remove_authorizer(tx);
        tx.execute_batch("COMMIT")?;
        Ok(())
    });
    assert!(
        matches!(result, Err(Error::TransactionLost { .. })),
        "{result:?}"
    );
    assert_eq!(count(&db, "t"), 1, "the COMMIT by SQL kept the row");
    // The policy is back.
    assert_refused(db.write(|tx| Ok(tx.execute_batch("COMMIT")?)), "COMMIT");

    let tx = db.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (2)", []).unwrap();
    remove_authorizer(&tx);
    tx.execute_batch("COMMIT").unwrap();
    drop(tx);
    assert_eq!(count(&db, "t"), 2);
    if connlint_runtime::checked::ENABLED {
        let logged = RECORDER.0.lock().unwrap().clone();
        let report = logged
            .iter()
            .find(|l| l.contains("lost.db") && l.contains("dropped"))
            .expect("the drop is reported");
        assert!(!report.contains("rolled back"), "{report}");
        assert!(report.contains("may have been committed"), "{report}");
    }
    assert_refused(db.write(|tx| Ok(tx.execute_batch("ROLLBACK")?)), "ROLLBACK");
    db.close().unwrap();
}
