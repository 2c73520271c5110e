//! The task board (`kanban.db`): the gateway's notifier and dispatcher and the
//! dashboard's reads and writes.
//!
//! The incident this serves: every tick and request opened its own connection, ran
//! `integrity_check` on a probe connection first, and backed the board up on every
//! false alarm. `KanbanStore::open` is a registry lookup, every change runs in one
//! immediate write transaction, and every status change is a compare-and-swap checked
//! against [`TRANSITIONS`].

mod ops;
mod schema;
mod transitions;

use std::path::Path;

use rusqlite::params;

use crate::session::now;
use crate::{Database, Result};
pub use transitions::{transition_allowed, Status, TRANSITIONS};

/// How long a claim lasts without a heartbeat: 15 minutes.
pub const CLAIM_TTL_SECS: f64 = 15.0 * 60.0;

/// A task row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[allow(missing_docs)] // the columns of `tasks`, named as in the schema
pub struct Task {
    pub id: String,
    pub title: String,
    pub body: Option<String>,
    pub assignee: Option<String>,
    pub status: Status,
    pub priority: i64,
    pub created_by: Option<String>,
    pub created_at: f64,
    pub started_at: Option<f64>,
    pub completed_at: Option<f64>,
    pub claim_lock: Option<String>,
    pub claim_expires: Option<f64>,
    pub worker_pid: Option<i64>,
    pub current_run_id: Option<i64>,
    pub idempotency_key: Option<String>,
    pub result: Option<String>,
}

/// A task to create.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    /// The title.
    pub title: String,
    /// Details.
    pub body: Option<String>,
    /// Who should do it.
    pub assignee: Option<String>,
    /// Higher runs first.
    pub priority: i64,
    /// Who asked.
    pub created_by: Option<String>,
    /// A create with the key of a live task returns that task instead.
    pub idempotency_key: Option<String>,
    /// Tasks that must finish first; while one is unfinished the task waits in `todo`.
    pub parents: Vec<String>,
}

impl NewTask {
    /// A task with just a title.
    pub fn new(title: impl Into<String>) -> NewTask {
        NewTask {
            title: title.into(),
            ..NewTask::default()
        }
    }
}

/// A successful claim.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Claim {
    /// The claimed task.
    pub task_id: String,
    /// The `task_runs` row made for this claim.
    pub run_id: i64,
    /// The claiming worker.
    pub worker: String,
    /// When the claim lapses without a heartbeat.
    pub claim_expires: f64,
}

/// A `task_events` row.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Event {
    /// Increasing id: the cursor.
    pub id: i64,
    /// The task.
    pub task_id: String,
    /// The run, for run events.
    pub run_id: Option<i64>,
    /// `created`, `claimed`, `completed`, `blocked`, `released`, ...
    pub kind: String,
    /// Details (`from->to` for status changes).
    pub payload: Option<String>,
    /// Time, seconds since the epoch.
    pub created_at: f64,
}

/// A notification subscription: where a task's events are sent.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Subscription {
    /// The watched task.
    pub task_id: String,
    /// The chat platform.
    pub platform: String,
    /// The chat.
    pub chat_id: String,
    /// The thread in the chat ("" for none).
    pub thread_id: String,
}

/// What one dispatcher tick did.
#[derive(Debug, Clone, Default, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct DispatchReport {
    /// Tasks whose stale claim was released.
    pub released: Vec<String>,
    /// Tasks that moved from todo to ready.
    pub readied: usize,
    /// Claims made, at most the cap.
    pub claimed: Vec<Claim>,
}

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
        db.ensure_schema("connlint-runtime/kanban", schema::SCHEMA)?;
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
        self.db.read(|conn| ops::get_task(conn, id))
    }

    /// Tasks, optionally only those in `status`, by priority then age.
    pub fn tasks(&self, status: Option<Status>) -> Result<Vec<Task>> {
        self.db.read(|conn| {
            let sql = format!(
                "SELECT {} FROM tasks WHERE ?1 IS NULL OR status = ?1 ORDER BY priority DESC, created_at, id",
                ops::TASK_COLUMNS
            );
            let mut stmt = conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([status.map(Status::as_str)], ops::task_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
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
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events WHERE id > ?1 ORDER BY id LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![cursor, limit as i64], ops::event_from_row)?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Runs of a task, oldest first, as `(run id, status, claim)`.
    pub fn runs(&self, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT id, status, claim FROM task_runs WHERE task_id = ?1 ORDER BY id",
            )?;
            let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Subscribes a chat to a task's events, starting after the newest event so far.
    pub fn subscribe(&self, sub: &Subscription) -> Result<bool> {
        self.db.write(|tx| {
            Ok(tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO notify_subs(task_id, platform, chat_id, thread_id, last_event_id)
                     VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(id), 0) FROM task_events WHERE task_id = ?1))",
                )?
                .execute(params![sub.task_id, sub.platform, sub.chat_id, sub.thread_id])?
                > 0)
        })
    }

    /// Every subscription.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        self.db.read(|conn| {
            let mut stmt = conn.prepare_cached(
                "SELECT task_id, platform, chat_id, thread_id FROM notify_subs ORDER BY task_id, platform, chat_id, thread_id",
            )?;
            let rows = stmt.query_map([], |r| {
                Ok(Subscription { task_id: r.get(0)?, platform: r.get(1)?, chat_id: r.get(2)?, thread_id: r.get(3)? })
            })?;
            Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
        })
    }

    /// Claims a subscription's unseen events by advancing its cursor past them, at most
    /// `limit`; a second call returns only newer events.
    pub fn claim_unseen_events(&self, sub: &Subscription, limit: usize) -> Result<Vec<Event>> {
        self.db.write(|tx| ops::claim_unseen(tx, sub, limit))
    }

    /// One notifier tick: claims the unseen events of every subscription in one
    /// transaction and returns those that had any.
    pub fn notifier_tick(&self, limit_per_sub: usize) -> Result<Vec<(Subscription, Vec<Event>)>> {
        let subs = self.subscriptions()?;
        self.db.write(|tx| {
            let mut out = Vec::new();
            for sub in &subs {
                let events = ops::claim_unseen(tx, sub, limit_per_sub)?;
                if !events.is_empty() {
                    out.push((sub.clone(), events));
                }
            }
            Ok(out)
        })
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
