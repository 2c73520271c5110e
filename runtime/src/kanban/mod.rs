//! The task board (`kanban.db`): the gateway's notifier and dispatcher and the
//! dashboard's reads and writes.
//!
//! The incident this serves: every tick and request opened its own connection, ran
//! `integrity_check` on a probe connection first, and backed the board up on every
//! false alarm. `KanbanStore::open` is a registry lookup, every change runs in one
//! immediate write transaction, and every status change is a compare-and-swap checked
//! against [`TRANSITIONS`].

mod backend;
mod notifier;
#[cfg(feature = "postgres")]
mod pg;
mod planning;
mod reads;
mod rows;
mod runs;
mod schema;
pub(crate) mod transitions;

use std::path::Path;

use crate::session::now;
use crate::{Database, Result, WriteTransaction};
use backend::Backend;
pub use notifier::NEWS_POLL;
#[cfg(feature = "postgres")]
use pg as on_pg;
pub use rows::{
    Claim, Comment, DispatchReport, Event, Initial, Links, NewTask, Run, Subscription, Task,
    TaskCursor, TaskPage,
};
pub use transitions::{transition_allowed, Status, TRANSITIONS};

/// How long a claim lasts without a heartbeat: 15 minutes.
pub const CLAIM_TTL_SECS: f64 = 15.0 * 60.0;

/// The task board over one `kanban.db`.
///
/// ```
/// use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let dir = tempfile::tempdir().unwrap();
/// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
/// let parent = board.create(&NewTask::new("design"))?;
/// let mut child = NewTask::new("build");
/// child.parents.push(parent.id.clone());
/// let child = board.create(&child)?;
/// assert_eq!(child.status, Status::Todo); // waits for its parent
/// assert!(board.claim(&child.id, "w1")?.is_none());
/// board.complete(&parent.id, None, None)?;
/// assert_eq!(board.task(&child.id)?.unwrap().status, Status::Ready);
/// board.close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct KanbanStore {
    backend: Backend,
}

impl KanbanStore {
    /// The board at `location`: a file path (SQLite, the default), or a
    /// `postgres://` / `postgresql://` URL (PostgreSQL, feature `postgres`). A
    /// registry lookup after the first call, which opens the database (one handle
    /// per file, one pool per PostgreSQL database) and creates the schema.
    ///
    /// [`Error::InvalidUrl`](crate::Error::InvalidUrl) for a PostgreSQL URL that
    /// does not parse or a build without the `postgres` feature.
    pub fn open(location: impl AsRef<Path>) -> Result<KanbanStore> {
        let location = location.as_ref();
        match location
            .to_str()
            .filter(|text| backend::is_postgres_url(text))
        {
            Some(url) => backend::open_postgres(url),
            None => KanbanStore::with_database(Database::open(location)?),
        }
    }

    /// The board over an already open SQLite handle (creates the schema once per
    /// handle).
    pub fn with_database(db: Database) -> Result<KanbanStore> {
        db.ensure_schema_with("connlint-runtime/kanban", schema::migrate)?;
        Ok(KanbanStore {
            backend: Backend::Sqlite(db),
        })
    }

    /// The board over an already open PostgreSQL handle (creates the schema once
    /// per handle; several processes creating it at once take turns).
    #[cfg(feature = "postgres")]
    pub fn with_postgres(db: crate::PgDatabase) -> Result<KanbanStore> {
        on_pg::schema::ensure(&db)?;
        Ok(KanbanStore {
            backend: Backend::Postgres(db),
        })
    }

    /// The SQLite handle under the board; `None` for a board on PostgreSQL.
    pub fn database(&self) -> Option<&Database> {
        match &self.backend {
            Backend::Sqlite(db) => Some(db),
            #[cfg(feature = "postgres")]
            Backend::Postgres(_) => None,
        }
    }

    /// The PostgreSQL handle under the board; `None` for a board on SQLite.
    #[cfg(feature = "postgres")]
    pub fn postgres(&self) -> Option<&crate::PgDatabase> {
        match &self.backend {
            Backend::Sqlite(_) => None,
            Backend::Postgres(db) => Some(db),
        }
    }

    /// Where the board lives: the canonical file path, or the PostgreSQL database as
    /// `postgres://user@host:port/name` (no password).
    pub fn location(&self) -> String {
        match &self.backend {
            Backend::Sqlite(db) => db.path().display().to_string(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.key().to_owned(),
        }
    }

    /// Closes the board's handle: SQLite checkpoints its WAL, PostgreSQL closes its
    /// pool. Later use of any clone is [`Error::Closed`](crate::Error::Closed).
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// board.close()?;
    /// assert!(board.create(&NewTask::new("too late")).is_err());
    /// # Ok(())
    /// # }
    /// ```
    pub fn close(&self) -> Result<()> {
        match &self.backend {
            Backend::Sqlite(db) => db.close(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.close(),
        }
    }

    /// A health check on the board's own connections: SQLite's full
    /// `integrity_check` on a pooled reader, or a query on a pooled PostgreSQL
    /// connection. Never a second connection opened for the check.
    pub fn health_check(&self) -> Result<crate::Health> {
        match &self.backend {
            Backend::Sqlite(db) => db.integrity_check(),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.health_check(),
        }
    }

    /// Runs `f` with one transaction open for the board on this thread: the store
    /// operations `f` calls on this board run in savepoints of it and are kept
    /// together or not at all (a failing one that `f` handles undoes only itself).
    /// `f` may run more than once (busy SQLite database, PostgreSQL serialization
    /// failure or deadlock), so it should only touch the board.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let (a, b) = board.atomically(|board| {
    ///     let a = board.create(&NewTask::new("plan"))?;
    ///     let b = board.create(&NewTask::new("build"))?;
    ///     board.link(&a.id, &b.id)?;
    ///     Ok((a, b))
    /// })?;
    /// assert_eq!(board.links(&b.id)?.parents, vec![a.id]);
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn atomically<T>(&self, mut f: impl FnMut(&KanbanStore) -> Result<T>) -> Result<T> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|_| f(self)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.transaction(|| f(self)),
        }
    }

    /// Creates a task: `ready`, or `todo` while a parent is unfinished. If a live task
    /// has the same idempotency key, that task is returned and nothing is written.
    pub fn create(&self, task: &NewTask) -> Result<Task> {
        Ok(self.create_reporting(task)?.0)
    }

    /// Like [`KanbanStore::create`], also saying whether a task was inserted (`false`
    /// for an idempotency-key duplicate).
    pub fn create_reporting(&self, task: &NewTask) -> Result<(Task, bool)> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::create(tx, task, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::create(tx, task, now())),
        }
    }

    /// One task.
    pub fn task(&self, id: &str) -> Result<Option<Task>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::get_task(conn, id)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::get_task(tx, id)),
        }
    }

    /// Tasks, optionally only those in `status`, by priority then age.
    pub fn tasks(&self, status: Option<Status>) -> Result<Vec<Task>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::tasks(conn, status)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::tasks(tx, status)),
        }
    }

    /// One page of [`KanbanStore::tasks`]: at most `limit` tasks after `after` (the
    /// `next` of the previous page; `None` for the first page).
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// for i in 0..5 {
    ///     board.create(&NewTask::new(format!("task {i}")))?;
    /// }
    /// let first = board.tasks_page(None, None, 2)?;
    /// let second = board.tasks_page(None, first.next.as_ref(), 2)?;
    /// let third = board.tasks_page(None, second.next.as_ref(), 2)?;
    /// assert_eq!((first.tasks.len(), second.tasks.len(), third.tasks.len()), (2, 2, 1));
    /// assert!(third.next.is_none());
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn tasks_page(
        &self,
        status: Option<Status>,
        after: Option<&TaskCursor>,
        limit: usize,
    ) -> Result<TaskPage> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::tasks_page(conn, status, after, limit)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.read(|tx| on_pg::reads::tasks_page(tx, status, after, limit))
            }
        }
    }

    /// The comments of a task, oldest first; [`Error::TaskNotFound`](crate::Error::TaskNotFound)
    /// for a task that does not exist.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("discussed"))?;
    /// board.comment(&task.id, Some("ana"), "looks good")?;
    /// assert_eq!(board.comments(&task.id)?[0].body, "looks good");
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn comments(&self, id: &str) -> Result<Vec<Comment>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::comments(conn, id)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::comments(tx, id)),
        }
    }

    /// The tasks a task waits for and the tasks waiting for it.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let (a, b) = (board.create(&NewTask::new("a"))?, board.create(&NewTask::new("b"))?);
    /// board.link(&a.id, &b.id)?;
    /// assert_eq!(board.links(&b.id)?.parents, vec![a.id.clone()]);
    /// assert_eq!(board.links(&a.id)?.children, vec![b.id]);
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn links(&self, id: &str) -> Result<Links> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::links(conn, id)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::links(tx, id)),
        }
    }

    /// The events of one task with an id above `cursor`, oldest first, at most
    /// `limit`.
    pub fn events_of(&self, id: &str, cursor: i64, limit: usize) -> Result<Vec<Event>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::events_of(conn, id, cursor, limit)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::events_of(tx, id, cursor, limit)),
        }
    }

    /// The runs of a task with every column (status, outcome, summary, error),
    /// oldest first.
    pub fn run_history(&self, id: &str) -> Result<Vec<Run>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::run_history(conn, id)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::run_history(tx, id)),
        }
    }

    /// Claims a task for `worker`: only a `ready`, unclaimed task whose parents are all
    /// done; inserts a `task_runs` row and sets a [`CLAIM_TTL_SECS`] claim. `None` if
    /// the task cannot be claimed (someone else won, or it is not ready).
    pub fn claim(&self, id: &str, worker: &str) -> Result<Option<Claim>> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| runs::claim(tx, id, worker, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::runs::claim(tx, id, worker, now())),
        }
    }

    /// Extends the claim of run `run_id`; `false` if it is no longer the task's run.
    pub fn heartbeat(&self, id: &str, run_id: i64) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| runs::heartbeat(tx, id, run_id, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::runs::heartbeat(tx, id, run_id, now())),
        }
    }

    /// Marks a task done (ending its run). With `expected_run`, only if that is still
    /// the task's current run. `false` if nothing changed.
    pub fn complete(
        &self,
        id: &str,
        expected_run: Option<i64>,
        result: Option<&str>,
    ) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.write(|tx| runs::complete(tx, id, expected_run, result, now()))
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.write(|tx| on_pg::runs::complete(tx, id, expected_run, result, now()))
            }
        }
    }

    /// Blocks a task with a reason.
    pub fn block(&self, id: &str, reason: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::block(tx, id, reason, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::block(tx, id, reason, now())),
        }
    }

    /// Unblocks a task (to `ready`, or `todo` while a parent is unfinished).
    pub fn unblock(&self, id: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::unblock(tx, id, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::unblock(tx, id, now())),
        }
    }

    /// Archives a task (not while it runs).
    pub fn archive(&self, id: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::archive(tx, id, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::archive(tx, id, now())),
        }
    }

    /// Makes `parent` a prerequisite of `child`; [`Error::LinkCycle`](crate::Error::LinkCycle)
    /// if `child` is already an ancestor of `parent`.
    pub fn link(&self, parent: &str, child: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::link(tx, parent, child, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::link(tx, parent, child, now())),
        }
    }

    /// Comments on a task; returns the comment id.
    pub fn comment(&self, id: &str, author: Option<&str>, body: &str) -> Result<i64> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::comment(tx, id, author, body, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.write(|tx| on_pg::planning::comment(tx, id, author, body, now()))
            }
        }
    }

    /// Accepts a task out of `triage`: to `ready`, or `todo` while a parent is
    /// unfinished. `false` if it was not in triage.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{Initial, KanbanStore, NewTask, Status};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask { initial: Initial::Triage, ..NewTask::new("idea") })?;
    /// assert_eq!(task.status, Status::Triage);
    /// assert!(board.claim(&task.id, "w")?.is_none());
    /// assert!(board.accept(&task.id)?);
    /// assert!(board.claim(&task.id, "w")?.is_some());
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn accept(&self, id: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::accept(tx, id, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::accept(tx, id, now())),
        }
    }

    /// Sends a task back to `triage` (from `todo`, `ready`, `blocked` or
    /// `scheduled`); `false` if it was there already.
    pub fn triage(&self, id: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::triage(tx, id, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::triage(tx, id, now())),
        }
    }

    /// Schedules a task (from `triage`, `todo`, `ready` or `blocked`): it waits in
    /// `scheduled` until `at` (seconds since the epoch), when
    /// [`KanbanStore::dispatcher_tick`] or [`KanbanStore::release_due`] makes it
    /// ready. Scheduling a scheduled task moves its time.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("later"))?;
    /// let at = connlint_runtime::session::now() + 3600.0;
    /// assert!(board.schedule(&task.id, at)?);
    /// assert!(board.release_due_at(at - 1.0)?.is_empty());
    /// assert_eq!(board.release_due_at(at)?, vec![task.id.clone()]);
    /// assert_eq!(board.task(&task.id)?.unwrap().status, Status::Ready);
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn schedule(&self, id: &str, at: f64) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::schedule(tx, id, at, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::schedule(tx, id, at, now())),
        }
    }

    /// Moves scheduled tasks whose time has come to `ready` (or `todo` while a parent
    /// is unfinished); returns them. The dispatcher tick does this too.
    pub fn release_due(&self) -> Result<Vec<String>> {
        self.release_due_at(now())
    }

    /// [`KanbanStore::release_due`] as of `at` (seconds since the epoch).
    pub fn release_due_at(&self, at: f64) -> Result<Vec<String>> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::release_due(tx, at)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::release_due(tx, at)),
        }
    }

    /// Fails run `run_id` of a running task: the run ends `failed` with `error` (see
    /// [`KanbanStore::run_history`]) and the task is blocked until someone unblocks
    /// it. `false` if `run_id` is not the task's current run or the task is not
    /// running.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("flaky"))?;
    /// let claim = board.claim(&task.id, "w1")?.unwrap();
    /// assert!(board.fail(&task.id, claim.run_id, "disk full")?);
    /// assert_eq!(board.task(&task.id)?.unwrap().status, Status::Blocked);
    /// let run = &board.run_history(&task.id)?[0];
    /// assert_eq!((run.status.as_str(), run.error.as_deref()), ("failed", Some("disk full")));
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn fail(&self, id: &str, run_id: i64, error: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| runs::fail(tx, id, run_id, error, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::runs::fail(tx, id, run_id, error, now())),
        }
    }

    /// Hands a running task in for review: its run ends (status `review`, with
    /// `summary`) and the task waits in `review` until [`KanbanStore::complete`]
    /// approves it or [`KanbanStore::request_changes`] sends it back. With
    /// `expected_run`, only if that is still the task's current run.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("essay"))?;
    /// let claim = board.claim(&task.id, "w1")?.unwrap();
    /// assert!(board.submit_for_review(&task.id, Some(claim.run_id), Some("draft 1"))?);
    /// assert!(board.request_changes(&task.id, "shorter, please")?);
    /// let again = board.claim(&task.id, "w1")?.unwrap();
    /// assert!(board.submit_for_review(&task.id, Some(again.run_id), Some("draft 2"))?);
    /// assert!(board.complete(&task.id, None, Some("approved"))?);
    /// assert_eq!(board.task(&task.id)?.unwrap().status, Status::Done);
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn submit_for_review(
        &self,
        id: &str,
        expected_run: Option<i64>,
        summary: Option<&str>,
    ) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => {
                db.write(|tx| runs::submit_for_review(tx, id, expected_run, summary, now()))
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.write(|tx| on_pg::runs::submit_for_review(tx, id, expected_run, summary, now()))
            }
        }
    }

    /// Sends a task in `review` back to `ready` with a note (an event of kind
    /// `review_note`); `false` if it was not in review.
    pub fn request_changes(&self, id: &str, note: &str) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| runs::request_changes(tx, id, note, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.write(|tx| on_pg::runs::request_changes(tx, id, note, now()))
            }
        }
    }

    /// Puts running tasks whose claim expired back to `ready`.
    pub fn release_stale(&self) -> Result<Vec<String>> {
        self.release_stale_at(now())
    }

    /// [`KanbanStore::release_stale`] as of `at` (seconds since the epoch).
    pub fn release_stale_at(&self, at: f64) -> Result<Vec<String>> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| runs::release_stale(tx, at)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::runs::release_stale(tx, at)),
        }
    }

    /// Moves `todo` tasks whose parents are all finished to `ready`.
    pub fn recompute_ready(&self) -> Result<usize> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| planning::recompute_ready(tx, now())),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::planning::recompute_ready(tx, now())),
        }
    }

    /// Events with an id above `cursor`, oldest first, at most `limit`.
    pub fn events_since(&self, cursor: i64, limit: usize) -> Result<Vec<Event>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::events_since(conn, cursor, limit)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::events_since(tx, cursor, limit)),
        }
    }

    /// Runs of a task, oldest first, as `(run id, status, claim)`.
    pub fn runs(&self, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| reads::runs(conn, id)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::reads::runs(tx, id)),
        }
    }

    /// One dispatcher tick in one transaction: releases stale claims, makes scheduled
    /// tasks whose time has come ready, recomputes ready tasks, and claims up to `cap`
    /// ready tasks (highest priority, oldest first) for `worker`.
    pub fn dispatcher_tick(&self, worker: &str, cap: usize) -> Result<DispatchReport> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| sqlite_dispatch(tx, worker, cap)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| {
                let at = now();
                Ok(DispatchReport {
                    released: on_pg::runs::release_stale(tx, at)?,
                    due: on_pg::planning::release_due(tx, at)?,
                    readied: on_pg::planning::recompute_ready(tx, at)?,
                    claimed: on_pg::runs::claim_ready(tx, worker, cap, at)?,
                })
            }),
        }
    }
}

/// The SQLite dispatcher tick, inside its write transaction.
fn sqlite_dispatch(tx: &WriteTransaction<'_>, worker: &str, cap: usize) -> Result<DispatchReport> {
    let at = now();
    let released = runs::release_stale(tx, at)?;
    let due = planning::release_due(tx, at)?;
    let readied = planning::recompute_ready(tx, at)?;
    let ready: Vec<String> = tx
        .prepare_cached(
            "SELECT id FROM tasks WHERE status = 'ready' AND claim_lock IS NULL
             ORDER BY priority DESC, created_at, id LIMIT ?1",
        )?
        .query_map([cap as i64 * 2], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut claimed = Vec::new();
    for id in ready {
        if claimed.len() >= cap {
            break;
        }
        if let Some(claim) = runs::claim(tx, &id, worker, at)? {
            claimed.push(claim);
        }
    }
    Ok(DispatchReport {
        released,
        readied,
        claimed,
        due,
    })
}
