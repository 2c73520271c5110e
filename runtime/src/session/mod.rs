//! The session store (`state.db`): the web UI's sidebar reads and the agent's writes.
//!
//! The incident this serves: helpers that opened `state.db` per poll and never closed
//! it leaked descriptors until every request was reset. `SessionStore::open` is a
//! registry lookup, so calling it in every request handler is fine.
//!
//! The store's parts: [`rows`](self) (the row types), `listing` (the sidebar),
//! `lineage` (continuation chains), `writes` (the agent's writes), `reads` (single
//! sessions, messages, search) and `schema`.

mod lineage;
mod listing;
mod reads;
mod rows;
mod schema;
mod writes;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use crate::{Database, Result};
pub use lineage::{CONTINUATION_REASONS, MAX_HOPS};
pub use listing::{list_importable_from_messages_on, list_importable_on};
pub use rows::{Lineage, Message, NewMessage, NewSession, SearchHit, Session, SessionSummary};

/// Sources left out of [`SessionStore::list_importable`] by default: the web UI's own
/// sessions and scheduled jobs.
pub const DEFAULT_EXCLUDED_SOURCES: [&str; 2] = ["webui", "cron"];

/// How many rows [`SessionStore::list_importable`] returns at most.
pub const LIST_LIMIT: usize = 200;

/// IN lists are chunked at this many ids (below SQLite's variable limit).
pub const IN_CHUNK: usize = 500;

/// Seconds since the Unix epoch, the time unit of both stores.
pub fn now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The session store over one `state.db`.
///
/// ```
/// use connlint_runtime::session::{NewMessage, NewSession};
/// use connlint_runtime::SessionStore;
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let store = SessionStore::open(dir.path().join("state.db"))?;
/// store.create_session(&NewSession::new("s1", "cli"))?;
/// store.append_message("s1", &NewMessage::new("user", "hello"))?;
/// let sidebar = store.list_importable()?;
/// assert_eq!(sidebar[0].id, "s1");
/// assert!(store.delete_session("s1")?);
/// assert!(!store.delete_session("s1")?);
/// store.database().close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct SessionStore {
    db: Database,
}

impl SessionStore {
    /// The store for `path`: a registry lookup after the first call, which opens the
    /// database and creates the schema.
    pub fn open(path: impl AsRef<Path>) -> Result<SessionStore> {
        SessionStore::with_database(Database::open(path)?)
    }

    /// The store over an already open handle (creates the schema once per handle).
    pub fn with_database(db: Database) -> Result<SessionStore> {
        db.ensure_schema_with("connlint-runtime/session", schema::migrate)?;
        Ok(SessionStore { db })
    }

    /// The underlying handle.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// The sidebar: [`SessionStore::list_importable_excluding`] with
    /// [`DEFAULT_EXCLUDED_SOURCES`].
    pub fn list_importable(&self) -> Result<Vec<SessionSummary>> {
        self.list_importable_excluding(&DEFAULT_EXCLUDED_SOURCES)
    }

    /// Sessions with their message count and last message time, leaving out
    /// `excluded` sources, continuation chains collapsed into one row (the head's
    /// title and start, the tip's id and activity), empty conversations dropped,
    /// newest activity first, at most [`LIST_LIMIT`] rows.
    ///
    /// The result is cached per handle and returned as a copy; see
    /// [`SessionStore::list_importable_shared_excluding`].
    pub fn list_importable_excluding(&self, excluded: &[&str]) -> Result<Vec<SessionSummary>> {
        Ok(self.list_importable_shared_excluding(excluded)?.to_vec())
    }

    /// [`SessionStore::list_importable_shared_excluding`] with
    /// [`DEFAULT_EXCLUDED_SOURCES`].
    pub fn list_importable_shared(&self) -> Result<Arc<Vec<SessionSummary>>> {
        self.list_importable_shared_excluding(&DEFAULT_EXCLUDED_SOURCES)
    }

    /// The listing of [`SessionStore::list_importable_excluding`], shared rather than
    /// copied: for a UI that polls it every few seconds.
    ///
    /// The handle keeps the last listing per set of excluded sources and answers from
    /// it while nothing has been committed to the database since it was read: not by
    /// this process (every write transaction moves a generation counter) and not by
    /// any other connection or process (`PRAGMA data_version` on the connection that
    /// serves the poll). A poll that finds the cache current costs a reader checkout
    /// and that one pragma; any commit, here or elsewhere, makes the next poll read
    /// the database again.
    ///
    /// ```
    /// use connlint_runtime::session::{NewMessage, NewSession};
    /// use connlint_runtime::SessionStore;
    ///
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// store.create_session(&NewSession::new("s1", "cli"))?;
    /// store.append_message("s1", &NewMessage::new("user", "hello"))?;
    /// let first = store.list_importable_shared()?;
    /// let again = store.list_importable_shared()?; // nothing committed: the same listing
    /// assert!(std::sync::Arc::ptr_eq(&first, &again));
    /// store.append_message("s1", &NewMessage::new("assistant", "hi"))?;
    /// assert_eq!(store.list_importable_shared()?[0].message_count, 2);
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn list_importable_shared_excluding(
        &self,
        excluded: &[&str],
    ) -> Result<Arc<Vec<SessionSummary>>> {
        // The key names the query and its argument; `\u{1f}` cannot occur in a source
        // name a caller would pass, so distinct lists give distinct keys.
        let mut key = String::from("connlint-runtime/session/list_importable");
        for source in excluded {
            key.push('\u{1f}');
            key.push_str(source);
        }
        self.db
            .read_cached(&key, |conn| listing::list_importable_on(conn, excluded))
    }

    /// Root, tip and segment count for each of `ids` that exists. IN lists are
    /// chunked at [`IN_CHUNK`]; chains are followed at most [`MAX_HOPS`] hops.
    pub fn lineage(&self, ids: &[&str]) -> Result<HashMap<String, Lineage>> {
        self.db.read(|conn| lineage::lineage_of(conn, ids))
    }

    /// The messages of a session, ordered by timestamp then id.
    pub fn messages(&self, session_id: &str) -> Result<Vec<Message>> {
        self.db.read(|conn| reads::messages(conn, session_id))
    }

    /// One session's stored row (no chain collapsing); `None` if there is none.
    ///
    /// ```
    /// # use connlint_runtime::session::{NewMessage, NewSession};
    /// # use connlint_runtime::SessionStore;
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// store.create_session(&NewSession { model: Some("m1".into()), ..NewSession::new("s1", "cli") })?;
    /// store.append_message("s1", &NewMessage::new("user", "hello"))?;
    /// let s1 = store.session("s1")?.unwrap();
    /// assert_eq!((s1.model.as_deref(), s1.message_count), (Some("m1"), 1));
    /// assert!(store.session("nope")?.is_none());
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn session(&self, session_id: &str) -> Result<Option<Session>> {
        self.db.read(|conn| reads::session(conn, session_id))
    }

    /// Messages whose text matches `query`, best match first, at most `limit`, each
    /// with a snippet. `query` is FTS5 syntax: words must all occur (`deploy
    /// failed`), `"exact phrase"`, `prefix*`, `a OR b`, `NOT`. A query FTS5 cannot
    /// parse is [`Error::InvalidSearch`](crate::Error::InvalidSearch). The index is
    /// kept by triggers on `messages`, so a message is found as soon as its
    /// append commits.
    ///
    /// ```
    /// # use connlint_runtime::session::{NewMessage, NewSession};
    /// # use connlint_runtime::SessionStore;
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// store.create_session(&NewSession::new("s1", "cli"))?;
    /// store.append_message("s1", &NewMessage::new("user", "the deploy failed at step three"))?;
    /// store.append_message("s1", &NewMessage::new("assistant", "retrying the deploy"))?;
    /// let hits = store.search_messages("deploy failed", 10)?;
    /// assert_eq!(hits.len(), 1);
    /// assert!(hits[0].snippet.contains("[deploy] [failed]"));
    /// assert_eq!(store.search_messages("deploy", 10)?.len(), 2);
    /// assert!(store.search_messages("\"unbalanced", 10).is_err());
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn search_messages(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        self.db.read(|conn| reads::search(conn, query, limit))
    }

    /// Creates a session; `false` (and nothing written) if one with that id exists.
    /// A title another session has is [`Error::DuplicateTitle`](crate::Error::DuplicateTitle).
    ///
    /// ```
    /// # use connlint_runtime::session::NewSession;
    /// # use connlint_runtime::{Error, SessionStore};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// let titled = |id: &str| NewSession { title: Some("Refactor".into()), ..NewSession::new(id, "cli") };
    /// assert!(store.create_session(&titled("a"))?);
    /// assert!(!store.create_session(&titled("a"))?); // same id: nothing to do
    /// assert!(matches!(store.create_session(&titled("b")), Err(Error::DuplicateTitle { .. })));
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn create_session(&self, session: &NewSession) -> Result<bool> {
        self.db
            .write(|tx| writes::insert_session(tx, session, true))
    }

    /// Appends a message and updates the session's counters in one transaction;
    /// returns the message id. Fails (and writes nothing) if the session is missing.
    pub fn append_message(&self, session_id: &str, message: &NewMessage) -> Result<i64> {
        self.db
            .write(|tx| writes::append_message(tx, session_id, message))
    }

    /// Ends a session; the first reason wins. Returns whether this call ended it.
    pub fn end_session(&self, session_id: &str, reason: &str, ended_at: f64) -> Result<bool> {
        self.db
            .write(|tx| writes::end_session(tx, session_id, reason, ended_at))
    }

    /// Rotates for compression in one transaction: ends `old_id` with `compression`
    /// (unless it already ended) and creates `child` as its continuation. If the child
    /// cannot be created (its id exists, or [`Error::DuplicateTitle`](crate::Error::DuplicateTitle)),
    /// the end is rolled back too.
    pub fn rotate(&self, old_id: &str, child: &NewSession) -> Result<()> {
        self.db.write(|tx| writes::rotate(tx, old_id, child))
    }

    /// Deletes a session in one transaction: its children become roots, its messages
    /// are deleted, then the session. Returns whether the session existed.
    pub fn delete_session(&self, session_id: &str) -> Result<bool> {
        self.db.write(|tx| writes::delete_session(tx, session_id))
    }

    /// Whether a session with this id exists (a `bool`, no row; see
    /// [`SessionStore::session`] for the row).
    ///
    /// ```
    /// # use connlint_runtime::session::NewSession;
    /// # use connlint_runtime::SessionStore;
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let store = SessionStore::open(dir.path().join("state.db"))?;
    /// assert!(!store.session_exists("s1")?);
    /// store.create_session(&NewSession::new("s1", "cli"))?;
    /// assert!(store.session_exists("s1")?);
    /// # store.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn session_exists(&self, session_id: &str) -> Result<bool> {
        self.db.read(|conn| reads::session_exists(conn, session_id))
    }
}
