//! The task board (`kanban.db`): the gateway's notifier and dispatcher and the
//! dashboard's reads and writes.
//!
//! The incident this serves: every tick and request opened its own connection, ran
//! `integrity_check` on a probe connection first, and backed the board up on every
//! false alarm. `KanbanStore::open` is a registry lookup, every change runs in one
//! immediate write transaction, and every status change is a compare-and-swap checked
//! against [`TRANSITIONS`].

mod notifier;
mod ops;
mod reads;
mod rows;
mod schema;
mod transitions;

use std::path::Path;

use crate::session::now;
use crate::{Database, Result};
pub use rows::{Claim, DispatchReport, Event, NewTask, Subscription, Task};
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
/// board.database().close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct KanbanStore {
    db: Database,
}

impl KanbanStore {
    /// The board for `path`: a registry lookup after the first call, which opens the
    /// database and creates the schema.
    pub fn open(path: impl AsRef<Path>) -> Result<KanbanStore> {
        KanbanStore::with_database(Database::open(path)?)
    }

    /// The board over an already open handle (creates the schema once per handle).
    pub fn with_database(db: Database) -> Result<KanbanStore> {
        db.ensure_schema_with("connlint-runtime/kanban", schema::migrate)?;
        Ok(KanbanStore { db })
    }

    /// The underlying handle.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Creates a task: `ready`, or `todo` while a parent is unfinished. If a live task
    /// has the same idempotency key, that task is returned and nothing is written.
    pub fn create(&self, task: &NewTask) -> Result<Task> {
        Ok(self.create_reporting(task)?.0)
    }

    /// Like [`KanbanStore::create`], also saying whether a task was inserted (`false`
    /// for an idempotency-key duplicate).
    pub fn create_reporting(&self, task: &NewTask) -> Result<(Task, bool)> {
        self.db.write(|tx| ops::create(tx, task, now()))
    }

    /// One task.
    pub fn task(&self, id: &str) -> Result<Option<Task>> {
        self.db.read(|conn| reads::get_task(conn, id))
    }

    /// Tasks, optionally only those in `status`, by priority then age.
    pub fn tasks(&self, status: Option<Status>) -> Result<Vec<Task>> {
        self.db.read(|conn| reads::tasks(conn, status))
    }

    /// Claims a task for `worker`: only a `ready`, unclaimed task whose parents are all
    /// done; inserts a `task_runs` row and sets a [`CLAIM_TTL_SECS`] claim. `None` if
    /// the task cannot be claimed (someone else won, or it is not ready).
    pub fn claim(&self, id: &str, worker: &str) -> Result<Option<Claim>> {
        self.db.write(|tx| ops::claim(tx, id, worker, now()))
    }

    /// Extends the claim of run `run_id`; `false` if it is no longer the task's run.
    pub fn heartbeat(&self, id: &str, run_id: i64) -> Result<bool> {
        self.db.write(|tx| ops::heartbeat(tx, id, run_id, now()))
    }

    /// Marks a task done (ending its run). With `expected_run`, only if that is still
    /// the task's current run. `false` if nothing changed.
    pub fn complete(
        &self,
        id: &str,
        expected_run: Option<i64>,
        result: Option<&str>,
    ) -> Result<bool> {
        self.db
            .write(|tx| ops::complete(tx, id, expected_run, result, now()))
    }

    /// Blocks a task with a reason.
    pub fn block(&self, id: &str, reason: &str) -> Result<bool> {
        self.db.write(|tx| ops::block(tx, id, reason, now()))
    }

    /// Unblocks a task (to `ready`, or `todo` while a parent is unfinished).
    pub fn unblock(&self, id: &str) -> Result<bool> {
        self.db.write(|tx| ops::unblock(tx, id, now()))
    }

    /// Archives a task (not while it runs).
    pub fn archive(&self, id: &str) -> Result<bool> {
        self.db.write(|tx| ops::archive(tx, id, now()))
    }

    /// Makes `parent` a prerequisite of `child`; [`Error::LinkCycle`](crate::Error::LinkCycle)
    /// if `child` is already an ancestor of `parent`.
    pub fn link(&self, parent: &str, child: &str) -> Result<bool> {
        self.db.write(|tx| ops::link(tx, parent, child, now()))
    }

    /// Comments on a task; returns the comment id.
    pub fn comment(&self, id: &str, author: Option<&str>, body: &str) -> Result<i64> {
        self.db
            .write(|tx| ops::comment(tx, id, author, body, now()))
    }

    /// Puts running tasks whose claim expired back to `ready`.
    pub fn release_stale(&self) -> Result<Vec<String>> {
        self.release_stale_at(now())
    }

    /// [`KanbanStore::release_stale`] as of `at` (seconds since the epoch).
    pub fn release_stale_at(&self, at: f64) -> Result<Vec<String>> {
        self.db.write(|tx| ops::release_stale(tx, at))
    }

    /// Moves `todo` tasks whose parents are all finished to `ready`.
    pub fn recompute_ready(&self) -> Result<usize> {
        self.db.write(|tx| ops::recompute_ready(tx, now()))
    }

    /// Events with an id above `cursor`, oldest first, at most `limit`.
    pub fn events_since(&self, cursor: i64, limit: usize) -> Result<Vec<Event>> {
        self.db
            .read(|conn| reads::events_since(conn, cursor, limit))
    }

    /// Runs of a task, oldest first, as `(run id, status, claim)`.
    pub fn runs(&self, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        self.db.read(|conn| reads::runs(conn, id))
    }

    /// Subscribes a chat to a task's events, starting after the newest event so far.
    /// `false` if the subscription existed.
    pub fn subscribe(&self, sub: &Subscription) -> Result<bool> {
        self.db.write(|tx| notifier::subscribe(tx, sub))
    }

    /// Removes a subscription; `false` if there was none.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask, Subscription};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("watched"))?;
    /// let sub = Subscription {
    ///     task_id: task.id.clone(),
    ///     platform: "chat".into(),
    ///     chat_id: "42".into(),
    ///     thread_id: String::new(),
    /// };
    /// assert!(board.subscribe(&sub)?);
    /// assert!(board.unsubscribe(&sub)?);
    /// assert!(!board.unsubscribe(&sub)?);
    /// # board.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unsubscribe(&self, sub: &Subscription) -> Result<bool> {
        self.db.write(|tx| notifier::unsubscribe(tx, sub))
    }

    /// Every subscription, by task.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.db.read(|conn| notifier::subscriptions(conn, None))
    }

    /// The subscriptions of one task.
    pub fn subscriptions_of(&self, id: &str) -> Result<Vec<Subscription>> {
        self.db.read(|conn| notifier::subscriptions(conn, Some(id)))
    }

    /// Claims a subscription's unseen events by advancing its cursor past them, at most
    /// `limit`; a second call returns only newer events.
    pub fn claim_unseen_events(&self, sub: &Subscription, limit: usize) -> Result<Vec<Event>> {
        self.db.write(|tx| notifier::claim_unseen(tx, sub, limit))
    }

    /// One notifier tick: claims the events no subscription was offered yet, at most
    /// `limit_per_sub` per subscription, and returns the subscriptions that got any.
    ///
    /// It costs what the new events cost, not what the subscriptions do: with no new
    /// event it is one indexed look-up on a reader and no write transaction (see
    /// `benches/notifier.rs` for figures). Events left over by the limit are offered
    /// on the next tick.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask, Subscription};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// let task = board.create(&NewTask::new("watched"))?;
    /// let sub = Subscription {
    ///     task_id: task.id.clone(),
    ///     platform: "chat".into(),
    ///     chat_id: "42".into(),
    ///     thread_id: String::new(),
    /// };
    /// board.subscribe(&sub)?;
    /// assert!(board.notifier_tick(100)?.is_empty());
    /// board.comment(&task.id, None, "news")?;
    /// let told = board.notifier_tick(100)?;
    /// assert_eq!(told[0].1[0].kind, "commented");
    /// assert!(board.notifier_tick(100)?.is_empty());
    /// # board.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn notifier_tick(&self, limit_per_sub: usize) -> Result<Vec<(Subscription, Vec<Event>)>> {
        let limit = limit_per_sub.max(1);
        if !self.db.read(notifier::has_pending)? {
            return Ok(Vec::new());
        }
        self.db.write(|tx| notifier::tick(tx, limit))
    }

    /// Deletes events created before `before` (seconds since the epoch) that every
    /// subscription of their task has already been given; returns how many. Events
    /// of tasks without subscriptions count as given. [`KanbanStore::events_since`]
    /// no longer returns them.
    ///
    /// ```
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// board.create(&NewTask::new("old news"))?;
    /// let tomorrow = connlint_runtime::session::now() + 86_400.0;
    /// assert_eq!(board.prune_events(tomorrow)?, 1);
    /// assert!(board.events_since(0, 10)?.is_empty());
    /// # board.database().close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn prune_events(&self, before: f64) -> Result<usize> {
        self.db.write(|tx| notifier::prune_events(tx, before))
    }

    /// One dispatcher tick in one transaction: releases stale claims, recomputes ready
    /// tasks, and claims up to `cap` ready tasks (highest priority, oldest first) for
    /// `worker`.
    pub fn dispatcher_tick(&self, worker: &str, cap: usize) -> Result<DispatchReport> {
        self.db.write(|tx| {
            let at = now();
            let released = ops::release_stale(tx, at)?;
            let readied = ops::recompute_ready(tx, at)?;
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
                if let Some(claim) = ops::claim(tx, &id, worker, at)? {
                    claimed.push(claim);
                }
            }
            Ok(DispatchReport {
                released,
                readied,
                claimed,
            })
        })
    }
}
