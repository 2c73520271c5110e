//! Which database a board lives in: an SQLite file (the default) or a PostgreSQL
//! database named by a URL.

use super::KanbanStore;
use crate::{Database, Result};

/// The handle a [`KanbanStore`] runs its operations on.
#[derive(Debug, Clone)]
pub(crate) enum Backend {
    /// A file, through the checked rusqlite handle.
    Sqlite(Database),
    /// A PostgreSQL database, through its pool (feature `postgres`).
    #[cfg(feature = "postgres")]
    Postgres(crate::PgDatabase),
}

/// Whether a board location is a PostgreSQL URL rather than a file path.
pub(crate) fn is_postgres_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// Opens the board in the PostgreSQL database `url` names.
#[cfg(feature = "postgres")]
pub(crate) fn open_postgres(url: &str) -> Result<KanbanStore> {
    KanbanStore::with_postgres(crate::PgDatabase::open(url)?)
}

/// Without the `postgres` feature a URL cannot be opened.
#[cfg(not(feature = "postgres"))]
pub(crate) fn open_postgres(url: &str) -> Result<KanbanStore> {
    Err(crate::Error::InvalidUrl {
        url: url.split('@').next_back().unwrap_or(url).to_owned(),
        reason: "this build has no postgresql backend (cargo feature `postgres`)".to_owned(),
    })
}
