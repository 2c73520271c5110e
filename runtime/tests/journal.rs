//! Scenario 8: the journal step, through the `JournalProbe` seam.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use common::backups_in;
use connlint_runtime::{Database, Error, JournalMode, JournalProbe, OpenOptions};
use rusqlite::{ffi, Connection};

/// Collects every warning logged in this test binary.
struct Recorder(Mutex<Vec<String>>);

impl log::Log for Recorder {
    fn enabled(&self, m: &log::Metadata<'_>) -> bool {
        m.level() <= log::Level::Warn
    }
    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            self.0.lock().unwrap().push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

static RECORDER: Recorder = Recorder(Mutex::new(Vec::new()));

fn warnings_about(path: &Path) -> usize {
    let _ = log::set_logger(&RECORDER).map(|()| log::set_max_level(log::LevelFilter::Warn));
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    RECORDER
        .0
        .lock()
        .unwrap()
        .iter()
        .filter(|w| w.contains(&name))
        .count()
}

/// What a network file system might answer to `journal_mode=WAL`.
#[derive(Debug)]
enum Answer {
    Fails(i32, &'static str),
    Says(&'static str),
}

#[derive(Debug)]
struct Injected {
    answer: Answer,
    calls: AtomicUsize,
}

impl Injected {
    fn new(answer: Answer) -> Arc<Injected> {
        Arc::new(Injected {
            answer,
            calls: AtomicUsize::new(0),
        })
    }
}

impl JournalProbe for Injected {
    fn set_wal(&self, _conn: &Connection) -> rusqlite::Result<String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match &self.answer {
            Answer::Fails(code, text) => Err(rusqlite::Error::SqliteFailure(
                ffi::Error::new(*code),
                Some((*text).to_owned()),
            )),
            Answer::Says(mode) => Ok((*mode).to_owned()),
        }
    }
}

fn raw_mode(path: &Path) -> String {
    Connection::open(path)
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap()
}

fn falls_back_to_delete(answer: Answer, name: &str) {
    warnings_about(Path::new("install the recorder"));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    let probe = Injected::new(answer);
    let db =
        Database::open_with(&path, OpenOptions::default().journal_probe(probe.clone())).unwrap();
    assert_eq!(db.journal_mode(), JournalMode::Delete);
    assert_eq!(db.warnings().len(), 1, "{:?}", db.warnings());
    assert_eq!(
        probe.calls.load(Ordering::SeqCst),
        1,
        "WAL was asked for once, by the first connection"
    );
    // The handle works in DELETE mode, readers included.
    db.write(|tx| Ok(tx.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")?))
        .unwrap();
    let n: i64 = db
        .read(|c| Ok(c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(n, 1);
    db.close().unwrap();
    assert_eq!(raw_mode(&path), "delete");
    assert_eq!(warnings_about(&path), 1, "exactly one warning was logged");
}

#[test]
fn locking_protocol_falls_back_to_delete_with_one_warning() {
    falls_back_to_delete(
        Answer::Fails(ffi::SQLITE_PROTOCOL, "locking protocol"),
        "nfs.db",
    );
}

#[test]
fn not_authorized_falls_back_to_delete_with_one_warning() {
    falls_back_to_delete(Answer::Fails(ffi::SQLITE_AUTH, "not authorized"), "smb.db");
}

#[test]
fn silent_refusal_falls_back_to_delete_with_one_warning() {
    falls_back_to_delete(Answer::Says("delete"), "virtiofs.db");
}

/// An I/O error changes nothing: the open fails with the error, the file keeps its
/// mode and data, no handle is registered, nothing is backed up.
#[test]
fn io_error_changes_nothing_and_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("io.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE keep(x); INSERT INTO keep VALUES (42);")
            .unwrap();
    }
    let before = std::fs::read(&path).unwrap();
    let probe = Injected::new(Answer::Fails(ffi::SQLITE_IOERR, "disk I/O error"));
    let err = Database::open_with(&path, OpenOptions::default().journal_probe(probe)).unwrap_err();
    match &err {
        Error::JournalMode { source, .. } => {
            assert_eq!(
                source.sqlite_error_code(),
                Some(rusqlite::ErrorCode::SystemIoFailure)
            )
        }
        other => panic!("expected a journal-mode error, got {other:?}"),
    }
    assert!(err.to_string().contains("nothing was changed"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the file is byte for byte unchanged"
    );
    assert_eq!(raw_mode(&path), "delete");
    let canonical = std::fs::canonicalize(&path).unwrap();
    assert!(!connlint_runtime::open_handles()
        .iter()
        .any(|h| h.path == canonical));
    assert!(backups_in(dir.path()).is_empty());
    assert_eq!(warnings_about(&path), 0);
    // Once the file system behaves, the open succeeds.
    let db = Database::open(&path).unwrap();
    assert_eq!(db.journal_mode(), JournalMode::Wal);
    db.close().unwrap();
}

/// A live WAL database is never switched again: the mutating pragma is not even run.
#[test]
fn live_wal_is_never_downgraded_or_reset() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.db");
    let other_process = Connection::open(&path).unwrap();
    other_process
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get::<_, String>(0))
        .unwrap();
    other_process
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let probe = Injected::new(Answer::Says("delete"));
    let db =
        Database::open_with(&path, OpenOptions::default().journal_probe(probe.clone())).unwrap();
    assert_eq!(db.journal_mode(), JournalMode::Wal);
    assert_eq!(
        probe.calls.load(Ordering::SeqCst),
        0,
        "journal_mode=WAL was re-run on a live WAL database"
    );
    assert!(db.warnings().is_empty());
    db.close().unwrap();
    let n: i64 = other_process
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
}
