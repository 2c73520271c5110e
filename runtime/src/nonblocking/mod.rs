//! The async front for tokio users (feature `tokio`): [`AsyncDatabase`],
//! [`AsyncKanbanStore`] and [`AsyncSessionStore`] offer the operations of
//! [`Database`], [`KanbanStore`](crate::KanbanStore) and
//! [`SessionStore`](crate::SessionStore) as `async fn`s that never block the executor.
//!
//! Each wraps the synchronous value, so it is the same handle: opening a path from
//! async code and from a thread gives one registry entry, one writer and one reader
//! pool, with every guarantee of the synchronous API. Each operation runs on tokio's
//! blocking pool (`spawn_blocking`): SQLite calls block, and running them on the
//! executor's threads would stall every other task there, on a current-thread
//! runtime all of them. Before it takes a blocking thread an operation waits, as a
//! task, for a permit of its handle: one for writes, one per reader connection for
//! reads, so queued writes do not pile up parked threads.
//!
//! The work of an operation that has started runs to its end even if its future is
//! dropped (a write then commits or rolls back as usual; the caller just does not
//! learn which). Calling these functions outside a tokio runtime panics, as
//! `spawn_blocking` does. [`CheckedTransaction`](crate::CheckedTransaction) is not
//! offered: it holds the writer for a thread, and a task moves between threads; use
//! [`AsyncDatabase::write`], whose closure can run several store operations in one
//! transaction.
//!
//! ```
//! use connlint_runtime::{AsyncKanbanStore, NewTask};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), connlint_runtime::Error> {
//! # let dir = tempfile::tempdir().unwrap();
//! let board = AsyncKanbanStore::open(dir.path().join("kanban.db")).await?;
//! let task = board.create(NewTask::new("write the report")).await?;
//! let claim = board.claim(&task.id, "worker-1").await?.expect("ready");
//! assert!(board.complete(&task.id, Some(claim.run_id), Some("done")).await?);
//! board.close().await?;
//! # Ok(())
//! # }
//! ```

mod kanban;
mod session;

use std::path::{Path, PathBuf};

use rusqlite::Connection;
use tokio::sync::OwnedSemaphorePermit;

use crate::error::{Error, Result};
use crate::health::Health;
use crate::{Database, OpenOptions, WriteTransaction};
pub use kanban::AsyncKanbanStore;
pub use session::AsyncSessionStore;

/// Runs `work` on tokio's blocking pool, holding `permit` until it ends. A panic in
/// `work` resumes in the caller, as it would in the synchronous call.
async fn run_blocking<T: Send + 'static>(
    path: PathBuf,
    permit: Option<OwnedSemaphorePermit>,
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work()
    });
    match task.await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        Err(_) => Err(Error::Io {
            path,
            source: std::io::Error::new(
                std::io::ErrorKind::Interrupted,
                "the tokio runtime shut down before the database work ran",
            ),
        }),
    }
}

/// [`close_all`](crate::close_all) without blocking the executor: closes (and
/// checkpoints) every handle of the process, for a graceful shutdown.
pub async fn close_all() -> Result<()> {
    run_blocking(
        PathBuf::from("<every open database>"),
        None,
        crate::close_all,
    )
    .await
}

/// [`Database`] for async code: the same handle, operations as `async fn`s.
///
/// ```
/// use connlint_runtime::AsyncDatabase;
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), connlint_runtime::Error> {
/// # let dir = tempfile::tempdir().unwrap();
/// let db = AsyncDatabase::open(dir.path().join("app.db")).await?;
/// db.write(|tx| Ok(tx.execute_batch("CREATE TABLE notes(body TEXT)")?)).await?;
/// db.write(|tx| Ok(tx.execute("INSERT INTO notes VALUES ('hi')", [])?)).await?;
/// let n: i64 = db
///     .read(|c| Ok(c.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))?))
///     .await?;
/// assert_eq!(n, 1);
/// // The same handle as the synchronous API's.
/// assert!(db.database().same_handle(&connlint_runtime::Database::open(db.database().path())?));
/// db.close().await?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct AsyncDatabase {
    db: Database,
}

impl From<Database> for AsyncDatabase {
    fn from(db: Database) -> AsyncDatabase {
        AsyncDatabase { db }
    }
}

impl AsyncDatabase {
    /// [`Database::open`] without blocking the executor (the first open of a path
    /// runs the open sequence; later ones are a registry lookup).
    pub async fn open(path: impl AsRef<Path>) -> Result<AsyncDatabase> {
        AsyncDatabase::open_with(path, OpenOptions::default()).await
    }

    /// [`Database::open_with`] without blocking the executor.
    pub async fn open_with(path: impl AsRef<Path>, options: OpenOptions) -> Result<AsyncDatabase> {
        let path = path.as_ref().to_owned();
        let db = run_blocking(path.clone(), None, move || {
            Database::open_with(path, options)
        })
        .await?;
        Ok(AsyncDatabase { db })
    }

    /// The synchronous handle (the same one), for its cheap accessors (`path`,
    /// `journal_mode`, `same_handle`, ...) and for code that runs on a blocking
    /// thread anyway.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Runs `work` on a blocking thread once a write permit is free.
    pub(crate) async fn writing<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let permit = self.db.handle().gates.write().await;
        let db = self.db.clone();
        run_blocking(self.db.path().to_owned(), Some(permit), move || work(&db)).await
    }

    /// Runs `work` on a blocking thread once a read permit is free.
    pub(crate) async fn reading<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Database) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let permit = self.db.handle().gates.read().await;
        let db = self.db.clone();
        run_blocking(self.db.path().to_owned(), Some(permit), move || work(&db)).await
    }

    /// [`Database::read`] without blocking the executor.
    pub async fn read<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&Connection) -> Result<T> + Send + 'static,
    {
        self.reading(move |db| db.read(&mut f)).await
    }

    /// [`Database::write`] without blocking the executor. Store operations called
    /// inside `f` (on the synchronous stores) run in savepoints of its transaction.
    pub async fn write<T, F>(&self, mut f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnMut(&WriteTransaction<'_>) -> Result<T> + Send + 'static,
    {
        self.writing(move |db| db.write(&mut f)).await
    }

    /// [`Database::integrity_check`] without blocking the executor.
    pub async fn integrity_check(&self) -> Result<Health> {
        self.reading(|db| db.integrity_check()).await
    }

    /// [`Database::checkpoint`] without blocking the executor.
    pub async fn checkpoint(&self) -> Result<bool> {
        self.writing(|db| db.checkpoint()).await
    }

    /// [`Database::close`] without blocking the executor.
    pub async fn close(&self) -> Result<()> {
        self.writing(|db| db.close()).await
    }
}
