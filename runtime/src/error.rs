//! The one error type of the crate.

use std::path::PathBuf;
use std::time::Duration;

use rusqlite::ErrorCode;

/// Everything that can go wrong when opening or using a [`Database`](crate::Database)
/// or one of the stores.
///
/// Messages are lowercase and name the database or task that failed, so they can be
/// shown to a user as they are.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An SQLite call failed. `busy` errors are retried first; this is what remains.
    #[error("sqlite error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    /// A file system operation on the database, its lock file or a backup failed.
    #[error("i/o error on {path}: {source}")]
    Io {
        /// The file that was being read, written or locked.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// Another process held the cross-process init lock for longer than
    /// [`OpenOptions::init_lock_timeout`](crate::OpenOptions::init_lock_timeout).
    #[error("timed out after {waited:?} waiting for the init lock of {path}")]
    InitLockTimeout {
        /// The database being opened.
        path: PathBuf,
        /// How long the open waited.
        waited: Duration,
    },

    /// Setting the journal mode failed with an error that is not a known reason to fall
    /// back to `DELETE` (for example an I/O error). Nothing was changed.
    #[error("setting the journal mode of {path} failed, nothing was changed: {source}")]
    JournalMode {
        /// The database being opened.
        path: PathBuf,
        /// What SQLite answered.
        #[source]
        source: rusqlite::Error,
    },

    /// The health check found the file damaged. The file was left in place and backed
    /// up once (see `backup`); the handle was not opened.
    #[error("database {path} is corrupt ({detail}); backup: {}", backup_text(.backup))]
    Corrupt {
        /// The damaged database.
        path: PathBuf,
        /// What the check reported.
        detail: String,
        /// The content-addressed backup of the file, if one exists or could be made.
        backup: Option<PathBuf>,
    },

    /// The database stayed busy (locked by another connection or process) through the
    /// busy timeout and every retry.
    #[error("database {path} stayed busy after {attempts} attempts")]
    Busy {
        /// The busy database.
        path: PathBuf,
        /// How many times the operation was tried.
        attempts: u32,
    },

    /// The handle was closed with [`Database::close`](crate::Database::close); open it
    /// again to keep using the database.
    #[error("database {path} is closed")]
    Closed {
        /// The closed database.
        path: PathBuf,
    },

    /// This thread already holds the handle's writer for something that cannot nest:
    /// a [`Database::transaction`](crate::Database::transaction) inside a write or
    /// another explicit transaction, a `close` or `checkpoint` inside one, or a write
    /// inside a read that runs on the writer (a handle opened with `readers(0)`). A
    /// [`Database::write`](crate::Database::write) inside a write nests as a
    /// savepoint instead.
    #[error("database {path}: this thread already holds the writer; use the open transaction")]
    WriterHeld {
        /// The database.
        path: PathBuf,
    },

    /// SQL run inside a read, a write or an explicit transaction tried to change what
    /// the runtime manages: end or nest the transaction (`BEGIN`, `COMMIT`,
    /// `ROLLBACK`, `SAVEPOINT`, `RELEASE`), attach a database, checkpoint, or set a
    /// connection pragma such as `query_only` or `journal_mode`. The statement did not
    /// run; the read or transaction it ran in failed and kept nothing. The full list
    /// is in the crate documentation.
    #[error("database {path}: {statement} is refused inside a runtime read or transaction; the runtime manages transactions and connection settings")]
    StatementRefused {
        /// The database.
        path: PathBuf,
        /// The refused statement, as SQLite reported it (`COMMIT`,
        /// `PRAGMA query_only = 0`, ...).
        statement: String,
    },

    /// The transaction or read snapshot was ended by a statement the runtime did not
    /// run. The statement policy refuses those, so this means the caller removed its
    /// authorizer (`Connection::authorizer`); whether the writes were kept is up to
    /// the statement that ended the transaction. The policy is back in place.
    #[error("database {path}: the transaction was ended by a statement the runtime did not run; its writes may or may not have been kept")]
    TransactionLost {
        /// The database.
        path: PathBuf,
    },

    /// A status change that the kanban transition table does not allow.
    #[error("task {task}: transition {from} -> {to} is not allowed")]
    InvalidTransition {
        /// The task.
        task: String,
        /// Its status when the change was attempted.
        from: String,
        /// The requested status.
        to: String,
    },

    /// A kanban operation named a task that does not exist.
    #[error("task {task} does not exist")]
    TaskNotFound {
        /// The missing task id.
        task: String,
    },

    /// A session title another session already has (titles are unique).
    #[error("title {title:?} is taken by session {session}")]
    DuplicateTitle {
        /// The title asked for.
        title: String,
        /// The session that has it.
        session: String,
    },

    /// A full-text query that FTS5 cannot parse (an unbalanced quote, a bare
    /// operator); quote the words to search for them literally.
    #[error("search query {query:?} is not valid: {detail}")]
    InvalidSearch {
        /// The query as given.
        query: String,
        /// What FTS5 said.
        detail: String,
    },

    /// A page token given to
    /// [`KanbanStore::tasks_page`](crate::KanbanStore::tasks_page) that no page
    /// handed out.
    #[error("{cursor:?} is not a task page cursor")]
    InvalidCursor {
        /// The token as given.
        cursor: String,
    },

    /// A PostgreSQL call failed (feature `postgres`). Serialization failures and
    /// deadlocks are retried first; this is what remains.
    #[cfg(feature = "postgres")]
    #[error("postgresql error on {database}: {}", postgres_detail(.source))]
    Postgres {
        /// The database, as `postgres://user@host:port/name` (never the password).
        database: String,
        /// What the client or the server answered.
        #[source]
        source: postgres::Error,
    },

    /// A `postgres://` URL that cannot be used: it does not parse, or this build
    /// has no PostgreSQL backend (the `postgres` feature is off).
    #[error("cannot use database url {url}: {reason}")]
    InvalidUrl {
        /// The URL as given, with any password replaced by `***`.
        url: String,
        /// Why it cannot be used.
        reason: String,
    },

    /// Every pooled connection stayed in use for longer than the checkout timeout.
    #[error("database {database}: no pooled connection became free within {waited:?}")]
    PoolTimeout {
        /// The database.
        database: String,
        /// How long the checkout waited.
        waited: Duration,
    },

    /// A row the store read holds a status name it does not know (written by
    /// something other than this crate).
    #[error("task {task} has an unknown status {status:?}")]
    UnknownStatus {
        /// The task.
        task: String,
        /// The stored status name.
        status: String,
    },

    /// Linking these tasks would make a task its own ancestor.
    #[error("linking {parent} -> {child} would create a cycle")]
    LinkCycle {
        /// The would-be parent.
        parent: String,
        /// The would-be child.
        child: String,
    },
}

/// What the server said (code and message), or the client's own description.
#[cfg(feature = "postgres")]
fn postgres_detail(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => match std::error::Error::source(error) {
            Some(cause) => format!("{error}: {cause}"),
            None => error.to_string(),
        },
    }
}

fn backup_text(backup: &Option<PathBuf>) -> String {
    match backup {
        Some(path) => path.display().to_string(),
        None => "none".to_owned(),
    }
}

impl Error {
    /// The SQLite error code behind this error, if it came from SQLite.
    pub fn sqlite_code(&self) -> Option<ErrorCode> {
        match self {
            Error::Sqlite(e) | Error::JournalMode { source: e, .. } => e.sqlite_error_code(),
            _ => None,
        }
    }

    /// Whether this error means "another connection holds the lock" (`SQLITE_BUSY` or
    /// `SQLITE_LOCKED`), which is worth retrying and never means the file is damaged.
    pub fn is_busy(&self) -> bool {
        matches!(self, Error::Busy { .. } | Error::PoolTimeout { .. })
            || self.sqlite_code().is_some_and(is_busy_code)
    }
}

pub(crate) fn is_busy_code(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked)
}

pub(crate) fn is_corrupt_code(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
}

/// Shorthand used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
