//! The health check of the open sequence, and content-addressed corruption backups.
//!
//! The incident this prevents: a separate probe connection ran `integrity_check`
//! before the main connection, read pages whose newer versions lived in a WAL
//! generation it could not see, called a healthy file malformed, and copied it to a new
//! `.corrupt.<timestamp>.bak` on every attempt (88,500 files in 12 minutes in one
//! report). Here the check runs on the handle's own first connection after the journal
//! step, a busy database is "unknown" and never "corrupt", and a backup is named after
//! a digest of the file's contents, so ten opens of one damaged file make one backup.

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use sha2::{Digest, Sha256};

use crate::error::{is_busy_code, is_corrupt_code, Error, Result};

/// The answer of a health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// SQLite answered `ok`.
    Ok,
    /// The database was busy (locked by someone else), so nothing is known. This is
    /// never treated as damage.
    Unknown(String),
    /// The check reported damage; the text is SQLite's first complaint.
    Corrupt(String),
}

impl Health {
    /// Whether SQLite answered `ok`.
    pub fn is_ok(&self) -> bool {
        matches!(self, Health::Ok)
    }
}

/// How thorough the check in the open sequence is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CheckLevel {
    /// `PRAGMA quick_check`: page structure without index content (the default).
    #[default]
    Quick,
    /// `PRAGMA integrity_check`: everything, slower on large files.
    Full,
    /// No check. Only for files known to be fresh (tests, scratch databases).
    Skip,
}

/// Runs the check on `conn` and classifies the answer.
pub(crate) fn check(conn: &Connection, level: CheckLevel) -> Result<Health> {
    let sql = match level {
        CheckLevel::Quick => "PRAGMA quick_check(1)",
        CheckLevel::Full => "PRAGMA integrity_check(1)",
        CheckLevel::Skip => return Ok(Health::Ok),
    };
    let answer = conn.query_row(sql, [], |row| row.get::<_, String>(0));
    classify(answer)
}

/// Maps the pragma's result to a [`Health`]: busy is unknown, a corruption error code
/// or any answer but `ok` is corrupt, other errors are returned.
pub(crate) fn classify(answer: rusqlite::Result<String>) -> Result<Health> {
    match answer {
        Ok(text) if text.eq_ignore_ascii_case("ok") => Ok(Health::Ok),
        Ok(text) => Ok(Health::Corrupt(text)),
        Err(e) => match e.sqlite_error_code() {
            Some(code) if is_busy_code(code) => Ok(Health::Unknown(e.to_string())),
            Some(code) if is_corrupt_code(code) => Ok(Health::Corrupt(e.to_string())),
            _ => Err(e.into()),
        },
    }
}

/// Backs up a damaged database once: the backup is named after the SHA-256 of the
/// database file and its `-wal`, so another attempt on the same bytes finds the
/// existing backup instead of writing a new one. At most `max_backups` backups of one
/// database are kept; past that no new backup is made and `None` is returned.
pub(crate) fn backup_once(path: &Path, max_backups: usize) -> Result<Option<PathBuf>> {
    let io_err = |p: &Path| {
        let p = p.to_owned();
        move |source| Error::Io { path: p, source }
    };
    let wal = sidecar(path, "-wal");
    let mut hasher = Sha256::new();
    hash_file(path, &mut hasher).map_err(io_err(path))?;
    if wal.exists() {
        hash_file(&wal, &mut hasher).map_err(io_err(&wal))?;
    }
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let prefix = format!("{}.corrupt.", file_name(path));
    let backup = path.with_file_name(format!("{prefix}{hex}.bak"));
    if backup.exists() {
        return Ok(Some(backup));
    }
    let existing = existing_backups(path, &prefix).map_err(io_err(path))?;
    if existing >= max_backups {
        log::warn!(
            "{}: corrupt, but {existing} backups already exist (cap {max_backups}); no new backup",
            path.display()
        );
        return Ok(None);
    }
    // Copy under a temporary name and rename, so a crash never leaves a half backup
    // under the final, content-addressed name.
    let partial = path.with_file_name(format!("{prefix}{hex}.partial"));
    fs::copy(path, &partial).map_err(io_err(&partial))?;
    if wal.exists() && fs::metadata(&wal).map(|m| m.len() > 0).unwrap_or(false) {
        let wal_backup = backup.with_file_name(format!("{prefix}{hex}.bak-wal"));
        fs::copy(&wal, &wal_backup).map_err(io_err(&wal_backup))?;
    }
    fs::rename(&partial, &backup).map_err(io_err(&backup))?;
    log::warn!(
        "{}: corrupt, backed up to {}",
        path.display(),
        backup.display()
    );
    Ok(Some(backup))
}

fn hash_file(path: &Path, hasher: &mut Sha256) -> io::Result<()> {
    let mut file = fs::File::open(path)?;
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        hasher.update(&buf[..n]);
    }
}

fn existing_backups(path: &Path, prefix: &str) -> io::Result<usize> {
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    let mut count = 0;
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(prefix) && name.ends_with(".bak") {
            count += 1;
        }
    }
    Ok(count)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `<db>-wal`, `<db>-shm`, `<db>.init-lock`: files that live beside the database.
pub(crate) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    path.with_file_name(format!("{}{suffix}", file_name(path)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::ffi;

    fn sqlite_error(code: i32) -> rusqlite::Error {
        rusqlite::Error::SqliteFailure(ffi::Error::new(code), None)
    }

    #[test]
    fn busy_is_unknown_never_corrupt() {
        let health = classify(Err(sqlite_error(ffi::SQLITE_BUSY))).unwrap();
        assert!(matches!(health, Health::Unknown(_)));
        let health = classify(Err(sqlite_error(ffi::SQLITE_LOCKED))).unwrap();
        assert!(matches!(health, Health::Unknown(_)));
    }

    #[test]
    fn corruption_codes_and_answers_are_corrupt() {
        assert!(matches!(
            classify(Err(sqlite_error(ffi::SQLITE_CORRUPT))).unwrap(),
            Health::Corrupt(_)
        ));
        assert!(matches!(
            classify(Err(sqlite_error(ffi::SQLITE_NOTADB))).unwrap(),
            Health::Corrupt(_)
        ));
        assert_eq!(classify(Ok("ok".into())).unwrap(), Health::Ok);
        assert!(matches!(
            classify(Ok("*** in database main ***".into())).unwrap(),
            Health::Corrupt(_)
        ));
    }

    #[test]
    fn other_errors_are_returned() {
        assert!(classify(Err(sqlite_error(ffi::SQLITE_IOERR))).is_err());
    }
}
