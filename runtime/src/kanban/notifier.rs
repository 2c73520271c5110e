//! Subscriptions and the notifier: which chat is told about which task's events.
//!
//! Each subscription has a cursor (`notify_subs.last_event_id`): the newest event of
//! its task it was given. A tick used to visit every subscription, two queries each,
//! inside one write transaction, and subscriptions were never removed: 13 ms per tick
//! at 1,000 subscriptions, 450 ms at 50,000, and with fast ticks the writer was busy
//! most of the time (issue 19, defect 4). A tick now starts from the events instead:
//! the board keeps a watermark (`notify_state.watermark`), the newest event id every
//! subscription has been offered, and a tick looks only at events past it and at the
//! subscriptions of their tasks. With no new events that is one indexed look-up on a
//! reader and no write transaction at all, whatever the number of subscriptions.
//!
//! The watermark only moves past an event once every subscription of its task was
//! offered it: a subscription that reached the per-tick limit holds it back at its own
//! cursor, so the next tick looks again from there.

use rusqlite::{params, Connection, OptionalExtension};

use std::time::{Duration, Instant};

use super::backend::Backend;
#[cfg(feature = "postgres")]
use super::pg as on_pg;
use super::reads::event_from_row;
use super::{Event, KanbanStore, Subscription};
use crate::error::Result;

/// The subscription and notifier operations of the board.
impl KanbanStore {
    /// Subscribes a chat to a task's events, starting after the newest event so far.
    /// `false` if the subscription existed.
    pub fn subscribe(&self, sub: &Subscription) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| subscribe(tx, sub)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::notifier::subscribe(tx, sub)),
        }
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
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn unsubscribe(&self, sub: &Subscription) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| unsubscribe(tx, sub)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::notifier::unsubscribe(tx, sub)),
        }
    }

    /// Every subscription, by task.
    pub fn subscriptions(&self) -> Result<Vec<Subscription>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| subscriptions(conn, None)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::notifier::subscriptions(tx, None)),
        }
    }

    /// The subscriptions of one task.
    pub fn subscriptions_of(&self, id: &str) -> Result<Vec<Subscription>> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(|conn| subscriptions(conn, Some(id))),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(|tx| on_pg::notifier::subscriptions(tx, Some(id))),
        }
    }

    /// Claims a subscription's unseen events by advancing its cursor past them, at most
    /// `limit`; a second call returns only newer events.
    pub fn claim_unseen_events(&self, sub: &Subscription, limit: usize) -> Result<Vec<Event>> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| claim_unseen(tx, sub, limit)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::notifier::claim_unseen(tx, sub, limit)),
        }
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
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn notifier_tick(&self, limit_per_sub: usize) -> Result<Vec<(Subscription, Vec<Event>)>> {
        let limit = limit_per_sub.max(1);
        if self.notifier_tick_is_quiet()? {
            return Ok(Vec::new());
        }
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| tick(tx, limit)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::notifier::tick(tx, limit)),
        }
    }

    /// Whether a notifier tick would find no new event (a read).
    pub(crate) fn notifier_tick_is_quiet(&self) -> Result<bool> {
        Ok(!match &self.backend {
            Backend::Sqlite(db) => db.read(has_pending),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.read(on_pg::notifier::has_pending),
        }?)
    }

    /// Waits until a notifier tick would find news (an event past the watermark),
    /// at most `timeout`; whether there is news. A gateway calls it between ticks
    /// instead of sleeping, so it ticks as soon as something happened.
    ///
    /// On PostgreSQL it is woken by `LISTEN/NOTIFY`: every transaction that
    /// appends events notifies at commit, and the wait ends then. On SQLite, which
    /// has no notifications across processes, it looks every [`NEWS_POLL`] (the
    /// look is the quiet tick's one indexed read). Either way an event committed
    /// before the call is found at once.
    ///
    /// ```
    /// # use std::time::Duration;
    /// # use connlint_runtime::kanban::{KanbanStore, NewTask};
    /// # fn main() -> Result<(), connlint_runtime::Error> {
    /// # let dir = tempfile::tempdir().unwrap();
    /// let board = KanbanStore::open(dir.path().join("kanban.db"))?;
    /// board.notifier_tick(100)?;
    /// assert!(!board.wait_for_news(Duration::from_millis(30))?);
    /// board.create(&NewTask::new("news"))?;
    /// assert!(board.wait_for_news(Duration::from_secs(5))?);
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn wait_for_news(&self, timeout: Duration) -> Result<bool> {
        match &self.backend {
            Backend::Sqlite(_) => self.poll_for_news(NEWS_POLL, timeout),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => {
                db.wait_for_notification(timeout, || Ok(!self.notifier_tick_is_quiet()?))
            }
        }
    }

    /// Like [`KanbanStore::wait_for_news`], but by looking every `interval` on any
    /// backend (what a notifier without `LISTEN/NOTIFY` does; the benchmark compares
    /// the two).
    pub fn poll_for_news(&self, interval: Duration, timeout: Duration) -> Result<bool> {
        let deadline = Instant::now() + timeout;
        loop {
            if !self.notifier_tick_is_quiet()? {
                return Ok(true);
            }
            let now = Instant::now();
            if now >= deadline {
                return Ok(false);
            }
            std::thread::sleep(interval.min(deadline - now));
        }
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
    /// # board.close()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn prune_events(&self, before: f64) -> Result<usize> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(|tx| prune_events(tx, before)),
            #[cfg(feature = "postgres")]
            Backend::Postgres(db) => db.write(|tx| on_pg::notifier::prune_events(tx, before)),
        }
    }
}

/// How often [`KanbanStore::wait_for_news`] looks on SQLite.
pub const NEWS_POLL: Duration = Duration::from_millis(20);

/// The watermark: the newest event id every subscription has been offered.
fn watermark(conn: &Connection) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT watermark FROM notify_state WHERE id = 1")?
        .query_row([], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Whether any event is past the watermark (a quiet tick ends here, on a reader).
pub(crate) fn has_pending(conn: &Connection) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS(SELECT 1 FROM task_events
                           WHERE id > coalesce((SELECT watermark FROM notify_state WHERE id = 1), 0))",
        )?
        .query_row([], |r| r.get(0))?)
}

/// One tick: offers the events past the watermark to the subscriptions of their
/// tasks, at most `limit` per subscription, and moves the watermark.
pub(crate) fn tick(conn: &Connection, limit: usize) -> Result<Vec<(Subscription, Vec<Event>)>> {
    let from = watermark(conn)?;
    let Some(to) = conn
        .prepare_cached("SELECT max(id) FROM task_events")?
        .query_row([], |r| r.get::<_, Option<i64>>(0))?
        .filter(|&to| to > from)
    else {
        return Ok(Vec::new());
    };
    // No ORDER BY: sorting by the primary key would tempt the planner into scanning
    // the whole key index in order instead of looking up the few tasks with news.
    let mut subs: Vec<(Subscription, i64)> = conn
        .prepare_cached(
            "SELECT task_id, platform, chat_id, thread_id, last_event_id FROM notify_subs
             WHERE task_id IN (SELECT task_id FROM task_events WHERE id > ?1 AND id <= ?2)",
        )?
        .query_map(params![from, to], |r| {
            Ok((
                Subscription {
                    task_id: r.get(0)?,
                    platform: r.get(1)?,
                    chat_id: r.get(2)?,
                    thread_id: r.get(3)?,
                },
                r.get(4)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    subs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut next = to;
    let mut out = Vec::new();
    for (sub, cursor) in subs {
        let events = unseen(conn, &sub, cursor, to, limit)?;
        let Some(last) = events.last().map(|e| e.id) else {
            continue;
        };
        advance(conn, &sub, cursor, last)?;
        if events.len() >= limit {
            // Maybe more of this task's events wait up to `to`: look again from here.
            next = next.min(last);
        }
        out.push((sub, events));
    }
    conn.prepare_cached("UPDATE notify_state SET watermark = ?1 WHERE id = 1")?
        .execute([next])?;
    Ok(out)
}

/// Events of the subscription's task after `cursor`, up to `to`, at most `limit`.
fn unseen(
    conn: &Connection,
    sub: &Subscription,
    cursor: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<Event>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
             WHERE task_id = ?1 AND id > ?2 AND id <= ?3 ORDER BY id LIMIT ?4",
        )?
        .query_map(
            params![sub.task_id, cursor, to, limit as i64],
            event_from_row,
        )?
        .collect::<rusqlite::Result<_>>()?)
}

/// Moves the subscription's cursor from `from` to `to` (compare-and-swap).
fn advance(conn: &Connection, sub: &Subscription, from: i64, to: i64) -> Result<()> {
    conn.prepare_cached(
        "UPDATE notify_subs SET last_event_id = ?5
         WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3 AND thread_id = ?4 AND last_event_id = ?6",
    )?
    .execute(params![sub.task_id, sub.platform, sub.chat_id, sub.thread_id, to, from])?;
    Ok(())
}

/// Moves one subscription's cursor past its task's unseen events and returns them,
/// at most `limit` (the watermark is left alone: the tick's look-back covers it).
pub(crate) fn claim_unseen(
    conn: &Connection,
    sub: &Subscription,
    limit: usize,
) -> Result<Vec<Event>> {
    let cursor: Option<i64> = conn
        .prepare_cached(
            "SELECT last_event_id FROM notify_subs
             WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3 AND thread_id = ?4",
        )?
        .query_row(
            params![sub.task_id, sub.platform, sub.chat_id, sub.thread_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(cursor) = cursor else {
        return Ok(Vec::new());
    };
    let events = unseen(conn, sub, cursor, i64::MAX, limit)?;
    if let Some(last) = events.last() {
        advance(conn, sub, cursor, last.id)?;
    }
    Ok(events)
}

/// Subscribes, starting after the task's newest event so far.
pub(crate) fn subscribe(conn: &Connection, sub: &Subscription) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "INSERT OR IGNORE INTO notify_subs(task_id, platform, chat_id, thread_id, last_event_id)
             VALUES (?1, ?2, ?3, ?4, (SELECT coalesce(max(id), 0) FROM task_events WHERE task_id = ?1))",
        )?
        .execute(params![sub.task_id, sub.platform, sub.chat_id, sub.thread_id])?
        > 0)
}

/// Removes a subscription; whether it existed.
pub(crate) fn unsubscribe(conn: &Connection, sub: &Subscription) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM notify_subs
             WHERE task_id = ?1 AND platform = ?2 AND chat_id = ?3 AND thread_id = ?4",
        )?
        .execute(params![
            sub.task_id,
            sub.platform,
            sub.chat_id,
            sub.thread_id
        ])?
        > 0)
}

/// Every subscription, or those of one task.
pub(crate) fn subscriptions(conn: &Connection, task: Option<&str>) -> Result<Vec<Subscription>> {
    Ok(conn
        .prepare_cached(
            "SELECT task_id, platform, chat_id, thread_id FROM notify_subs
             WHERE ?1 IS NULL OR task_id = ?1
             ORDER BY task_id, platform, chat_id, thread_id",
        )?
        .query_map([task], |r| {
            Ok(Subscription {
                task_id: r.get(0)?,
                platform: r.get(1)?,
                chat_id: r.get(2)?,
                thread_id: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Deletes events created before `before` that every subscription of their task has
/// been given (events of tasks without subscriptions count as given). Returns how
/// many were deleted.
pub(crate) fn prune_events(conn: &Connection, before: f64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "DELETE FROM task_events
             WHERE created_at < ?1
               AND id <= coalesce((SELECT min(s.last_event_id) FROM notify_subs s
                                   WHERE s.task_id = task_events.task_id), id)",
        )?
        .execute([before])?)
}
