//! [`AsyncKanbanStore`]: the task board for async code.

use std::path::{Path, PathBuf};

use super::{run_blocking, AsyncDatabase};
use crate::kanban::{
    Claim, Comment, DispatchReport, Event, KanbanStore, Links, NewTask, Run, Status, Subscription,
    Task, TaskCursor, TaskPage,
};
use crate::Result;

/// [`KanbanStore`] for async code: the same board, every operation an `async fn`
/// that runs on tokio's blocking pool (see [the module](crate::nonblocking)).
/// Arguments are taken by value or copied, since the work outlives the call's borrow.
///
/// ```
/// use connlint_runtime::kanban::{NewTask, Subscription};
/// use connlint_runtime::AsyncKanbanStore;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let board = AsyncKanbanStore::open(dir.path().join("kanban.db")).await?;
/// // Several operations in one transaction: the closure runs the synchronous store.
/// let (a, b) = board
///     .write_with(|board| {
///         let a = board.create(&NewTask::new("plan"))?;
///         let b = board.create(&NewTask::new("build"))?;
///         board.link(&a.id, &b.id)?;
///         Ok((a, b))
///     })
///     .await?;
/// assert_eq!(board.links(&b.id).await?.parents, vec![a.id]);
/// board.close().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AsyncKanbanStore {
    store: KanbanStore,
    /// The async SQLite handle; `None` on PostgreSQL.
    db: Option<AsyncDatabase>,
}

impl From<KanbanStore> for AsyncKanbanStore {
    fn from(store: KanbanStore) -> AsyncKanbanStore {
        AsyncKanbanStore {
            db: store.database().cloned().map(AsyncDatabase::from),
            store,
        }
    }
}

impl AsyncKanbanStore {
    /// [`KanbanStore::open`] without blocking the executor: a registry lookup after
    /// the first call, on a blocking thread (it may wait for the open sequence or
    /// create the schema). It takes no permit, so a slow write elsewhere does not
    /// hold it up once the schema exists. Like [`KanbanStore::open`] it takes a file
    /// path or a `postgres://` URL.
    pub async fn open(path: impl AsRef<Path>) -> Result<AsyncKanbanStore> {
        let path = path.as_ref().to_owned();
        let store = run_blocking(path.clone(), None, move || KanbanStore::open(path)).await?;
        Ok(AsyncKanbanStore::from(store))
    }

    /// [`KanbanStore::with_database`] without blocking the executor.
    pub async fn with_database(db: AsyncDatabase) -> Result<AsyncKanbanStore> {
        let sync = db.database().clone();
        let store = run_blocking(sync.path().to_owned(), None, move || {
            KanbanStore::with_database(sync)
        })
        .await?;
        Ok(AsyncKanbanStore {
            store,
            db: Some(db),
        })
    }

    /// The underlying SQLite handle; `None` for a board on PostgreSQL.
    pub fn database(&self) -> Option<&AsyncDatabase> {
        self.db.as_ref()
    }

    /// [`KanbanStore::close`] without blocking the executor.
    pub async fn close(&self) -> Result<()> {
        self.admitted(true, |s| s.close()).await
    }

    /// [`KanbanStore::health_check`] without blocking the executor.
    pub async fn health_check(&self) -> Result<crate::Health> {
        self.read_with(|s| s.health_check()).await
    }

    /// Runs `work` on a blocking thread once its handle admits it: the SQLite
    /// handle's write permit (`write`) or a reader permit, or on PostgreSQL one of
    /// the pool's permits (one per pooled connection, writes and reads alike).
    async fn admitted<T: Send + 'static>(
        &self,
        write: bool,
        work: impl FnOnce(&KanbanStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let store = self.store.clone();
        if let Some(db) = &self.db {
            return if write {
                db.writing(move |_| work(&store)).await
            } else {
                db.reading(move |_| work(&store)).await
            };
        }
        #[cfg(feature = "postgres")]
        if let Some(pg) = self.store.postgres() {
            let permit = pg.shared().gates.read().await;
            let key = PathBuf::from(pg.key());
            return run_blocking(key, Some(permit), move || work(&store)).await;
        }
        run_blocking(PathBuf::from(self.store.location()), None, move || {
            work(&store)
        })
        .await
    }

    /// The synchronous store (the same board), for code already on a blocking
    /// thread.
    pub fn store(&self) -> &KanbanStore {
        &self.store
    }

    /// Runs `f` on the synchronous store in one write transaction, on a blocking
    /// thread, behind the write permit: the store operations `f` calls run in
    /// savepoints of that transaction and are kept together or not at all. Like
    /// [`Database::write`](crate::Database::write), `f` runs again if the database
    /// was busy.
    pub async fn write_with<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&KanbanStore) -> Result<T> + Send + 'static,
    {
        self.admitted(true, move |store| store.atomically(&mut f))
            .await
    }

    /// Runs `f` (reads only) on the synchronous store, on a blocking thread, behind
    /// a read permit.
    pub async fn read_with<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&KanbanStore) -> Result<T> + Send + 'static,
    {
        self.admitted(false, f).await
    }

    async fn writing<T: Send + 'static>(
        &self,
        f: impl FnOnce(&KanbanStore) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        self.admitted(true, f).await
    }

    /// [`KanbanStore::create`].
    pub async fn create(&self, task: NewTask) -> Result<Task> {
        self.writing(move |s| s.create(&task)).await
    }

    /// [`KanbanStore::create_reporting`].
    pub async fn create_reporting(&self, task: NewTask) -> Result<(Task, bool)> {
        self.writing(move |s| s.create_reporting(&task)).await
    }

    /// [`KanbanStore::task`].
    pub async fn task(&self, id: &str) -> Result<Option<Task>> {
        let id = id.to_owned();
        self.read_with(move |s| s.task(&id)).await
    }

    /// [`KanbanStore::tasks`].
    pub async fn tasks(&self, status: Option<Status>) -> Result<Vec<Task>> {
        self.read_with(move |s| s.tasks(status)).await
    }

    /// [`KanbanStore::tasks_page`].
    pub async fn tasks_page(
        &self,
        status: Option<Status>,
        after: Option<TaskCursor>,
        limit: usize,
    ) -> Result<TaskPage> {
        self.read_with(move |s| s.tasks_page(status, after.as_ref(), limit))
            .await
    }

    /// [`KanbanStore::comments`].
    pub async fn comments(&self, id: &str) -> Result<Vec<Comment>> {
        let id = id.to_owned();
        self.read_with(move |s| s.comments(&id)).await
    }

    /// [`KanbanStore::links`].
    pub async fn links(&self, id: &str) -> Result<Links> {
        let id = id.to_owned();
        self.read_with(move |s| s.links(&id)).await
    }

    /// [`KanbanStore::events_of`].
    pub async fn events_of(&self, id: &str, cursor: i64, limit: usize) -> Result<Vec<Event>> {
        let id = id.to_owned();
        self.read_with(move |s| s.events_of(&id, cursor, limit))
            .await
    }

    /// [`KanbanStore::run_history`].
    pub async fn run_history(&self, id: &str) -> Result<Vec<Run>> {
        let id = id.to_owned();
        self.read_with(move |s| s.run_history(&id)).await
    }

    /// [`KanbanStore::runs`].
    pub async fn runs(&self, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        let id = id.to_owned();
        self.read_with(move |s| s.runs(&id)).await
    }

    /// [`KanbanStore::events_since`].
    pub async fn events_since(&self, cursor: i64, limit: usize) -> Result<Vec<Event>> {
        self.read_with(move |s| s.events_since(cursor, limit)).await
    }

    /// [`KanbanStore::claim`].
    pub async fn claim(&self, id: &str, worker: &str) -> Result<Option<Claim>> {
        let (id, worker) = (id.to_owned(), worker.to_owned());
        self.writing(move |s| s.claim(&id, &worker)).await
    }

    /// [`KanbanStore::heartbeat`].
    pub async fn heartbeat(&self, id: &str, run_id: i64) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.heartbeat(&id, run_id)).await
    }

    /// [`KanbanStore::complete`].
    pub async fn complete(
        &self,
        id: &str,
        expected_run: Option<i64>,
        result: Option<&str>,
    ) -> Result<bool> {
        let (id, result) = (id.to_owned(), result.map(str::to_owned));
        self.writing(move |s| s.complete(&id, expected_run, result.as_deref()))
            .await
    }

    /// [`KanbanStore::fail`].
    pub async fn fail(&self, id: &str, run_id: i64, error: &str) -> Result<bool> {
        let (id, error) = (id.to_owned(), error.to_owned());
        self.writing(move |s| s.fail(&id, run_id, &error)).await
    }

    /// [`KanbanStore::submit_for_review`].
    pub async fn submit_for_review(
        &self,
        id: &str,
        expected_run: Option<i64>,
        summary: Option<&str>,
    ) -> Result<bool> {
        let (id, summary) = (id.to_owned(), summary.map(str::to_owned));
        self.writing(move |s| s.submit_for_review(&id, expected_run, summary.as_deref()))
            .await
    }

    /// [`KanbanStore::request_changes`].
    pub async fn request_changes(&self, id: &str, note: &str) -> Result<bool> {
        let (id, note) = (id.to_owned(), note.to_owned());
        self.writing(move |s| s.request_changes(&id, &note)).await
    }

    /// [`KanbanStore::block`].
    pub async fn block(&self, id: &str, reason: &str) -> Result<bool> {
        let (id, reason) = (id.to_owned(), reason.to_owned());
        self.writing(move |s| s.block(&id, &reason)).await
    }

    /// [`KanbanStore::unblock`].
    pub async fn unblock(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.unblock(&id)).await
    }

    /// [`KanbanStore::archive`].
    pub async fn archive(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.archive(&id)).await
    }

    /// [`KanbanStore::accept`].
    pub async fn accept(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.accept(&id)).await
    }

    /// [`KanbanStore::triage`].
    pub async fn triage(&self, id: &str) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.triage(&id)).await
    }

    /// [`KanbanStore::schedule`].
    pub async fn schedule(&self, id: &str, at: f64) -> Result<bool> {
        let id = id.to_owned();
        self.writing(move |s| s.schedule(&id, at)).await
    }

    /// [`KanbanStore::release_due`].
    pub async fn release_due(&self) -> Result<Vec<String>> {
        self.writing(|s| s.release_due()).await
    }

    /// [`KanbanStore::link`].
    pub async fn link(&self, parent: &str, child: &str) -> Result<bool> {
        let (parent, child) = (parent.to_owned(), child.to_owned());
        self.writing(move |s| s.link(&parent, &child)).await
    }

    /// [`KanbanStore::comment`].
    pub async fn comment(&self, id: &str, author: Option<&str>, body: &str) -> Result<i64> {
        let (id, author, body) = (id.to_owned(), author.map(str::to_owned), body.to_owned());
        self.writing(move |s| s.comment(&id, author.as_deref(), &body))
            .await
    }

    /// [`KanbanStore::release_stale`].
    pub async fn release_stale(&self) -> Result<Vec<String>> {
        self.writing(|s| s.release_stale()).await
    }

    /// [`KanbanStore::recompute_ready`].
    pub async fn recompute_ready(&self) -> Result<usize> {
        self.writing(|s| s.recompute_ready()).await
    }

    /// [`KanbanStore::subscribe`].
    pub async fn subscribe(&self, sub: Subscription) -> Result<bool> {
        self.writing(move |s| s.subscribe(&sub)).await
    }

    /// [`KanbanStore::unsubscribe`].
    pub async fn unsubscribe(&self, sub: Subscription) -> Result<bool> {
        self.writing(move |s| s.unsubscribe(&sub)).await
    }

    /// [`KanbanStore::subscriptions`].
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.read_with(|s| s.subscriptions()).await
    }

    /// [`KanbanStore::subscriptions_of`].
    pub async fn subscriptions_of(&self, id: &str) -> Result<Vec<Subscription>> {
        let id = id.to_owned();
        self.read_with(move |s| s.subscriptions_of(&id)).await
    }

    /// [`KanbanStore::claim_unseen_events`].
    pub async fn claim_unseen_events(&self, sub: Subscription, limit: usize) -> Result<Vec<Event>> {
        self.writing(move |s| s.claim_unseen_events(&sub, limit))
            .await
    }

    /// [`KanbanStore::notifier_tick`]. A quiet tick only reads, so it takes a read
    /// permit first and the write permit only when there is news.
    pub async fn notifier_tick(
        &self,
        limit_per_sub: usize,
    ) -> Result<Vec<(Subscription, Vec<Event>)>> {
        let quiet = self.read_with(|s| s.notifier_tick_is_quiet()).await?;
        if quiet {
            return Ok(Vec::new());
        }
        self.writing(move |s| s.notifier_tick(limit_per_sub)).await
    }

    /// [`KanbanStore::wait_for_news`] without blocking the executor (it waits on a
    /// blocking thread, holding no permit).
    pub async fn wait_for_news(&self, timeout: std::time::Duration) -> Result<bool> {
        let store = self.store.clone();
        run_blocking(PathBuf::from(self.store.location()), None, move || {
            store.wait_for_news(timeout)
        })
        .await
    }

    /// [`KanbanStore::prune_events`].
    pub async fn prune_events(&self, before: f64) -> Result<usize> {
        self.writing(move |s| s.prune_events(before)).await
    }

    /// [`KanbanStore::dispatcher_tick`].
    pub async fn dispatcher_tick(&self, worker: &str, cap: usize) -> Result<DispatchReport> {
        let worker = worker.to_owned();
        self.writing(move |s| s.dispatcher_tick(&worker, cap)).await
    }
}
