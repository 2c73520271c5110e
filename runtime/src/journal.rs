//! The journal-mode step of the open sequence.
//!
//! The incident this prevents: every process re-ran the mutating
//! `PRAGMA journal_mode=WAL` on each connect, which can checkpoint and recreate the
//! `-wal`/`-shm` files under live readers. So the step first *reads* the mode and leaves
//! a live WAL database alone; only a database that is not in WAL yet is switched, and
//! the switch is verified. Network and container file systems refuse WAL in three ways
//! ("locking protocol", "not authorized", or a pragma that silently answers another
//! mode); those fall back to `DELETE` with one warning. Any other error (an I/O error)
//! changes nothing and is returned.

use std::fmt;
use std::path::Path;

use rusqlite::{Connection, ErrorCode};

use crate::error::{is_corrupt_code, Error, Result};

/// The journal mode a handle ended up in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum JournalMode {
    /// Write-ahead log: readers never block the writer.
    Wal,
    /// Rollback journal, used where the file system cannot share WAL memory.
    Delete,
    /// Any other mode that was already set on the file and left alone.
    Other,
}

impl JournalMode {
    fn parse(answer: &str) -> JournalMode {
        match answer.to_ascii_lowercase().as_str() {
            "wal" => JournalMode::Wal,
            "delete" => JournalMode::Delete,
            _ => JournalMode::Other,
        }
    }
}

impl fmt::Display for JournalMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            JournalMode::Wal => "wal",
            JournalMode::Delete => "delete",
            JournalMode::Other => "other",
        })
    }
}

/// The test seam of the journal step: it runs the mutating `PRAGMA journal_mode=WAL`
/// and returns SQLite's answer.
///
/// The default probe runs the real pragma. Tests substitute an answer to reproduce
/// what NFS, SMB or a container bind mount would say: a `locking protocol` error, a
/// `not authorized` error, a silent refusal (an answer other than `wal`), or an I/O
/// error.
///
/// ```
/// use connlint_runtime::{Database, JournalMode, JournalProbe, OpenOptions};
/// use std::sync::Arc;
///
/// /// A file system that ignores the request, as some network mounts do.
/// #[derive(Debug)]
/// struct SilentRefusal;
///
/// impl JournalProbe for SilentRefusal {
///     fn set_wal(&self, _conn: &rusqlite::Connection) -> rusqlite::Result<String> {
///         Ok("delete".to_owned())
///     }
/// }
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let options = OpenOptions::default().journal_probe(Arc::new(SilentRefusal));
/// let db = Database::open_with(dir.path().join("app.db"), options)?;
/// assert_eq!(db.journal_mode(), JournalMode::Delete);
/// assert_eq!(db.warnings().len(), 1);
/// db.close()?;
/// # Ok(())
/// # }
/// ```
pub trait JournalProbe: fmt::Debug + Send + Sync {
    /// Asks for WAL mode on `conn` and returns the mode SQLite reports afterwards.
    fn set_wal(&self, conn: &Connection) -> rusqlite::Result<String>;
}

/// The real pragma.
#[derive(Debug, Default)]
pub(crate) struct PragmaProbe;

impl JournalProbe for PragmaProbe {
    fn set_wal(&self, conn: &Connection) -> rusqlite::Result<String> {
        conn.query_row("PRAGMA journal_mode=WAL", [], |row| row.get(0))
    }
}

/// What the journal step did.
#[derive(Debug)]
pub(crate) struct JournalOutcome {
    pub(crate) mode: JournalMode,
    /// Set when the step fell back to `DELETE`; the caller logs and records it once.
    pub(crate) warning: Option<String>,
}

/// Reads the current mode without changing it (what every connection after the first
/// one of a handle does).
pub(crate) fn read_mode(conn: &Connection) -> rusqlite::Result<JournalMode> {
    let answer: String = conn.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
    Ok(JournalMode::parse(&answer))
}

/// The journal step of the open sequence on the handle's first connection.
pub(crate) fn establish(
    conn: &Connection,
    path: &Path,
    probe: &dyn JournalProbe,
) -> Result<JournalOutcome> {
    let current = read_mode(conn)?;
    if current == JournalMode::Wal {
        // Never re-run the mutating pragma on a live WAL database.
        return Ok(JournalOutcome {
            mode: current,
            warning: None,
        });
    }
    let refusal = match probe.set_wal(conn) {
        Ok(answer) if JournalMode::parse(&answer) == JournalMode::Wal => {
            return Ok(JournalOutcome {
                mode: JournalMode::Wal,
                warning: None,
            });
        }
        Ok(answer) => format!("journal_mode=WAL answered {answer:?}"),
        Err(e) if is_fallback_error(&e) => e.to_string(),
        // A damaged file surfaces here before the health check can see it; let the
        // caller treat it as corruption rather than as a journal problem.
        Err(e) if e.sqlite_error_code().is_some_and(is_corrupt_code) => return Err(e.into()),
        Err(e)
            if e.sqlite_error_code()
                .is_some_and(crate::error::is_busy_code) =>
        {
            return Err(e.into())
        }
        Err(source) => {
            return Err(Error::JournalMode {
                path: path.to_owned(),
                source,
            })
        }
    };
    let mode: String = conn.query_row("PRAGMA journal_mode=DELETE", [], |row| row.get(0))?;
    let warning = format!(
        "{}: WAL is not available ({refusal}); using journal_mode={mode}",
        path.display()
    );
    Ok(JournalOutcome {
        mode: JournalMode::parse(&mode),
        warning: Some(warning),
    })
}

/// "locking protocol" (`SQLITE_PROTOCOL`) and "not authorized" (`SQLITE_AUTH`) are how
/// network and container file systems refuse shared-memory WAL.
fn is_fallback_error(e: &rusqlite::Error) -> bool {
    if let Some(code) = e.sqlite_error_code() {
        if matches!(
            code,
            ErrorCode::FileLockingProtocolFailed | ErrorCode::AuthorizationForStatementDenied
        ) {
            return true;
        }
    }
    let text = e.to_string().to_ascii_lowercase();
    text.contains("locking protocol") || text.contains("not authorized")
}
