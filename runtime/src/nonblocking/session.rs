//! [`AsyncSessionStore`]: the session store for async code.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use super::{run_blocking, AsyncDatabase};
use crate::session::{
    Lineage, Message, NewMessage, NewSession, SearchHit, Session, SessionStore, SessionSummary,
};
use crate::Result;

/// [`SessionStore`] for async code: the same store, every operation an `async fn`
/// that runs on tokio's blocking pool (see [the module](crate::nonblocking)).
///
/// ```
/// use connlint_runtime::session::{NewMessage, NewSession};
/// use connlint_runtime::AsyncSessionStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let store = AsyncSessionStore::open(dir.path().join("state.db")).await?;
/// store.create_session(NewSession::new("s1", "cli")).await?;
/// store.append_message("s1", NewMessage::new("user", "hello")).await?;
/// assert_eq!(store.list_importable_shared().await?[0].id, "s1");
/// store.database().close().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AsyncSessionStore {
    store: SessionStore,
    db: AsyncDatabase,
}

impl From<SessionStore> for AsyncSessionStore {
    fn from(store: SessionStore) -> AsyncSessionStore {
        AsyncSessionStore {
            db: AsyncDatabase::from(store.database().clone()),
            store,
        }
    }
}

impl AsyncSessionStore {
    /// [`SessionStore::open`] without blocking the executor: a registry lookup after
    /// the first call, on a blocking thread, without a permit (see
    /// [`AsyncKanbanStore::open`](super::AsyncKanbanStore::open)).
    pub async fn open(path: impl AsRef<Path>) -> Result<AsyncSessionStore> {
        let path = path.as_ref().to_owned();
        let store = run_blocking(path.clone(), None, move || SessionStore::open(path)).await?;
        Ok(AsyncSessionStore::from(store))
    }

    /// [`SessionStore::with_database`] without blocking the executor.
    pub async fn with_database(db: AsyncDatabase) -> Result<AsyncSessionStore> {
        let sync = db.database().clone();
        let store = run_blocking(sync.path().to_owned(), None, move || {
            SessionStore::with_database(sync)
        })
        .await?;
        Ok(AsyncSessionStore { store, db })
    }

    /// The underlying handle.
    pub fn database(&self) -> &AsyncDatabase {
        &self.db
    }

    /// The synchronous store (the same one).
    pub fn store(&self) -> &SessionStore {
        &self.store
    }

    async fn reading<T: Send + 'static>(
        &self,
        f: impl FnOnce(&SessionStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        self.db.reading(move |_| f(&store)).await
    }

    async fn writing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&SessionStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        self.db.writing(move |_| f(&store)).await
    }

    /// [`SessionStore::list_importable`].
    pub async fn list_importable(&self) -> Result<Vec<SessionSummary>> {
        self.reading(|s| s.list_importable()).await
    }

    /// [`SessionStore::list_importable_shared`]: the cached listing, shared.
    pub async fn list_importable_shared(&self) -> Result<Arc<Vec<SessionSummary>>> {
        self.reading(|s| s.list_importable_shared()).await
    }

    /// [`SessionStore::list_importable_shared_excluding`].
    pub async fn list_importable_shared_excluding(
        &self,
        excluded: Vec<String>,
    ) -> Result<Arc<Vec<SessionSummary>>> {
        self.reading(move |s| {
            let excluded: Vec<&str> = excluded.iter().map(String::as_str).collect();
            s.list_importable_shared_excluding(&excluded)
        })
        .await
    }

    /// [`SessionStore::lineage`].
    pub async fn lineage(&self, ids: Vec<String>) -> Result<HashMap<String, Lineage>> {
        self.reading(move |s| {
            let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
            s.lineage(&ids)
        })
        .await
    }

    /// [`SessionStore::messages`].
    pub async fn messages(&self, session_id: &str) -> Result<Vec<Message>> {
        let id = session_id.to_owned();
        self.reading(move |s| s.messages(&id)).await
    }

    /// [`SessionStore::session`].
    pub async fn session(&self, session_id: &str) -> Result<Option<Session>> {
        let id = session_id.to_owned();
        self.reading(move |s| s.session(&id)).await
    }

    /// [`SessionStore::session_exists`].
    pub async fn session_exists(&self, session_id: &str) -> Result<bool> {
        let id = session_id.to_owned();
        self.reading(move |s| s.session_exists(&id)).await
    }

    /// [`SessionStore::search_messages`].
    pub async fn search_messages(&self, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let query = query.to_owned();
        self.reading(move |s| s.search_messages(&query, limit))
            .await
    }

    /// [`SessionStore::create_session`].
    pub async fn create_session(&self, session: NewSession) -> Result<bool> {
        self.writing(move |s| s.create_session(&session)).await
    }

    /// [`SessionStore::append_message`].
    pub async fn append_message(&self, session_id: &str, message: NewMessage) -> Result<i64> {
        let id = session_id.to_owned();
        self.writing(move |s| s.append_message(&id, &message)).await
    }

    /// [`SessionStore::end_session`].
    pub async fn end_session(&self, session_id: &str, reason: &str, ended_at: f64) -> Result<bool> {
        let (id, reason) = (session_id.to_owned(), reason.to_owned());
        self.writing(move |s| s.end_session(&id, &reason, ended_at))
            .await
    }

    /// [`SessionStore::rotate`].
    pub async fn rotate(&self, old_id: &str, child: NewSession) -> Result<()> {
        let old_id = old_id.to_owned();
        self.writing(move |s| s.rotate(&old_id, &child)).await
    }

    /// [`SessionStore::delete_session`].
    pub async fn delete_session(&self, session_id: &str) -> Result<bool> {
        let id = session_id.to_owned();
        self.writing(move |s| s.delete_session(&id)).await
    }
}
