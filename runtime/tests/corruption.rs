//! Scenario 9: a corrupt file is backed up once, content-addressed and capped; a busy
//! database is never called corrupt.

mod common;

use std::fs::OpenOptions as FileOptions;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use common::backups_in;
use connlint_runtime::{Database, Error, OpenOptions};
use rusqlite::Connection;

/// A database with real content whose pages 3.. are overwritten with `fill`, so the
/// header still reads but the b-trees are damaged.
fn damaged_database(path: &Path, fill: u8) {
    {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT NOT NULL);
             CREATE INDEX notes_body ON notes(body);",
        )
        .unwrap();
        let tx = conn.unchecked_transaction().unwrap();
        for i in 0..2000 {
            tx.execute(
                "INSERT INTO notes(body) VALUES (?1)",
                [format!("note number {i} with some text")],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let page: u64 = 4096;
    let mut file = FileOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(2 * page)).unwrap();
    file.write_all(&vec![fill; 4 * page as usize]).unwrap();
}

fn open_ten_times(path: &Path, options: &OpenOptions) -> Vec<Error> {
    (0..10)
        .map(|_| {
            Database::open_with(path, options.clone()).expect_err("a corrupt file must not open")
        })
        .collect()
}

#[test]
fn ten_opens_of_a_corrupt_file_make_exactly_one_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    damaged_database(&path, 0xAB);
    let errors = open_ten_times(&path, &OpenOptions::default());
    let backups = backups_in(dir.path());
    assert_eq!(backups.len(), 1, "{backups:?}");
    for error in &errors {
        match error {
            Error::Corrupt { backup, .. } => {
                assert_eq!(backup.as_deref(), Some(backups[0].as_path()))
            }
            other => panic!("expected corrupt, got {other:?}"),
        }
    }
    // Content-addressed: the name carries a digest, not a timestamp.
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    assert!(
        name.starts_with("kanban.db.corrupt.") && name.ends_with(".bak"),
        "{name}"
    );
    assert_eq!(
        std::fs::read(&backups[0]).unwrap(),
        std::fs::read(&path).unwrap()
    );
}

#[test]
fn a_file_that_is_not_a_database_is_backed_up_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    std::fs::write(&path, vec![0x5A; 8192]).unwrap();
    let errors = open_ten_times(&path, &OpenOptions::default());
    assert!(
        errors.iter().all(|e| matches!(e, Error::Corrupt { .. })),
        "{errors:?}"
    );
    assert_eq!(backups_in(dir.path()).len(), 1);
}

#[test]
fn backups_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("capped.db");
    let options = OpenOptions::default().max_backups(2);
    // Four different damaged contents: the cap keeps two backups.
    for fill in [0xA1, 0xA2, 0xA3, 0xA4] {
        std::fs::remove_file(&path).unwrap_or(());
        damaged_database(&path, fill);
        for _ in 0..3 {
            assert!(matches!(
                Database::open_with(&path, options.clone()),
                Err(Error::Corrupt { .. })
            ));
        }
    }
    assert_eq!(backups_in(dir.path()).len(), 2);
}

/// Busy is "unknown", never "corrupt": a database locked by another connection fails
/// to open with a busy error and is not backed up.
#[test]
fn a_locked_database_is_busy_not_corrupt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("locked.db");
    let holder = Connection::open(&path).unwrap();
    holder
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    holder
        .execute_batch("PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; INSERT INTO t VALUES (2);")
        .unwrap();
    let options = OpenOptions::default()
        .busy_timeout(Duration::from_millis(100))
        .busy_retries(2);
    let err = Database::open_with(&path, options).unwrap_err();
    assert!(err.is_busy(), "expected busy, got {err:?}");
    assert!(!matches!(err, Error::Corrupt { .. }));
    assert!(backups_in(dir.path()).is_empty());
    holder.execute_batch("COMMIT").unwrap();
}

/// Holds the cross-process init lock of `path` (as another process opening it would).
fn hold_init_lock(path: &Path) -> std::fs::File {
    use std::os::unix::io::AsRawFd;
    let lock = path.with_file_name(format!(
        "{}.init-lock",
        path.file_name().unwrap().to_string_lossy()
    ));
    let file = FileOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock)
        .unwrap();
    // SAFETY: flock on a descriptor this function owns.
    assert_eq!(unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) }, 0);
    file
}

/// Defect 5 of issue 19: every open of a corrupt file ran the open sequence again,
/// reading the whole file for the health check and hashing all of it for the backup
/// name (about 450 ms per request on a 400 MB file). The verdict is now remembered
/// while the file stays the same: a later open answers without the open sequence,
/// which this test proves by holding the init lock every open sequence takes first
/// (the old code timed out on it). A changed file is looked at again.
#[test]
fn a_corrupt_file_is_not_read_again_until_it_changes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kanban.db");
    damaged_database(&path, 0xCD);
    let options = OpenOptions::default().init_lock_timeout(Duration::from_millis(200));
    let first = Database::open_with(&path, options.clone()).unwrap_err();
    assert!(matches!(first, Error::Corrupt { .. }), "{first:?}");

    let held = hold_init_lock(&path);
    for _ in 0..5 {
        match Database::open_with(&path, options.clone()) {
            Err(Error::Corrupt { backup, .. }) => {
                assert_eq!(backup.as_deref(), Some(backups_in(dir.path())[0].as_path()))
            }
            other => panic!("expected the remembered verdict, got {other:?}"),
        }
    }
    drop(held);
    assert_eq!(backups_in(dir.path()).len(), 1);

    // Repaired (replaced by a healthy file): opened normally.
    std::fs::remove_file(&path).unwrap();
    Connection::open(&path)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let db = Database::open_with(&path, options.clone()).unwrap();
    db.close().unwrap();

    // Damaged again in place (same inode, new content): checked again.
    damaged_database_in_place(&path);
    let _held = hold_init_lock(&path);
    assert!(
        matches!(
            Database::open_with(&path, options),
            Err(Error::InitLockTimeout { .. })
        ),
        "a changed file goes through the open sequence"
    );
}

/// Overwrites pages of an existing database file without replacing it.
fn damaged_database_in_place(path: &Path) {
    {
        let conn = Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS filler(body TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO filler SELECT 'row ' || i FROM n;",
        )
        .unwrap();
    }
    let mut file = FileOptions::new().write(true).open(path).unwrap();
    file.seek(SeekFrom::Start(2 * 4096)).unwrap();
    file.write_all(&[0xEE; 4 * 4096]).unwrap();
}
