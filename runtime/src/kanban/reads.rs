//! The board's reads: rows as the store returns them.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Comment, Event, Links, Run, Status, Task, TaskCursor, TaskPage};
use crate::error::{Error, Result};

pub(crate) const TASK_COLUMNS: &str = "id, title, body, assignee, status, priority, created_by, created_at, \
     started_at, completed_at, claim_lock, claim_expires, worker_pid, current_run_id, idempotency_key, result, scheduled_at";

pub(crate) fn task_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Task> {
    Ok(Task {
        id: r.get(0)?,
        title: r.get(1)?,
        body: r.get(2)?,
        assignee: r.get(3)?,
        status: r.get(4)?,
        priority: r.get(5)?,
        created_by: r.get(6)?,
        created_at: r.get(7)?,
        started_at: r.get(8)?,
        completed_at: r.get(9)?,
        claim_lock: r.get(10)?,
        claim_expires: r.get(11)?,
        worker_pid: r.get(12)?,
        current_run_id: r.get(13)?,
        idempotency_key: r.get(14)?,
        result: r.get(15)?,
        scheduled_at: r.get(16)?,
    })
}

pub(crate) fn get_task(conn: &Connection, id: &str) -> Result<Option<Task>> {
    let sql = format!("SELECT {TASK_COLUMNS} FROM tasks WHERE id = ?1");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row([id], task_from_row)
        .optional()?)
}

pub(crate) fn event_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        task_id: r.get(1)?,
        run_id: r.get(2)?,
        kind: r.get(3)?,
        payload: r.get(4)?,
        created_at: r.get(5)?,
    })
}

pub(crate) fn status_of(conn: &Connection, id: &str) -> Result<Status> {
    conn.prepare_cached("SELECT status FROM tasks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::TaskNotFound {
            task: id.to_owned(),
        })
}

/// Parents of `id` that are not finished yet.
pub(crate) fn unfinished_parents(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM task_links l JOIN tasks p ON p.id = l.parent_id
             WHERE l.child_id = ?1 AND p.status NOT IN ('done', 'archived')",
        )?
        .query_row([id], |r| r.get(0))?)
}

/// Tasks, optionally only those in `status`, by priority then age.
pub(crate) fn tasks(conn: &Connection, status: Option<Status>) -> Result<Vec<Task>> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks WHERE ?1 IS NULL OR status = ?1
         ORDER BY priority DESC, created_at, id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([status.map(Status::as_str)], task_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Events with an id above `cursor`, oldest first, at most `limit`.
pub(crate) fn events_since(conn: &Connection, cursor: i64, limit: usize) -> Result<Vec<Event>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
         WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![cursor, limit as i64], event_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Runs of a task, oldest first, as `(run id, status, claim)`.
pub(crate) fn runs(conn: &Connection, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
    let mut stmt = conn
        .prepare_cached("SELECT id, status, claim FROM task_runs WHERE task_id = ?1 ORDER BY id")?;
    let rows = stmt.query_map([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// `Ok` if the task exists, else [`Error::TaskNotFound`] (for reads whose empty
/// answer would not tell a missing task from a quiet one).
fn require_task(conn: &Connection, id: &str) -> Result<()> {
    let exists = conn
        .prepare_cached("SELECT 1 FROM tasks WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some();
    if exists {
        Ok(())
    } else {
        Err(Error::TaskNotFound {
            task: id.to_owned(),
        })
    }
}

/// One page of tasks in listing order, after `after`.
pub(crate) fn tasks_page(
    conn: &Connection,
    status: Option<Status>,
    after: Option<&TaskCursor>,
    limit: usize,
) -> Result<TaskPage> {
    // Priority sorts highest first, so the row value compares its negation.
    let sql = format!(
        "SELECT {TASK_COLUMNS} FROM tasks
         WHERE (?1 IS NULL OR status = ?1)
           AND (?2 IS NULL OR (-priority, created_at, id) > (-?2, ?3, ?4))
         ORDER BY priority DESC, created_at, id LIMIT ?5"
    );
    let mut tasks = conn
        .prepare_cached(&sql)?
        .query_map(
            params![
                status.map(Status::as_str),
                after.map(|c| c.priority),
                after.map(|c| c.created_at),
                after.map(|c| c.id.as_str()),
                limit.saturating_add(1) as i64
            ],
            task_from_row,
        )?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = if tasks.len() > limit {
        tasks.truncate(limit);
        tasks.last().map(TaskCursor::after)
    } else {
        None
    };
    Ok(TaskPage { tasks, next })
}

/// The comments of a task, oldest first.
pub(crate) fn comments(conn: &Connection, id: &str) -> Result<Vec<Comment>> {
    let comments = conn
        .prepare_cached(
            "SELECT id, task_id, author, body, created_at FROM task_comments
             WHERE task_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(Comment {
                id: r.get(0)?,
                task_id: r.get(1)?,
                author: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if comments.is_empty() {
        require_task(conn, id)?;
    }
    Ok(comments)
}

/// The parents and children of a task, by id.
pub(crate) fn links(conn: &Connection, id: &str) -> Result<Links> {
    require_task(conn, id)?;
    let ids = |sql: &str| -> Result<Vec<String>> {
        Ok(conn
            .prepare_cached(sql)?
            .query_map([id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    };
    Ok(Links {
        parents: ids("SELECT parent_id FROM task_links WHERE child_id = ?1 ORDER BY parent_id")?,
        children: ids("SELECT child_id FROM task_links WHERE parent_id = ?1 ORDER BY child_id")?,
    })
}

/// Events of one task with an id above `cursor`, oldest first, at most `limit`.
pub(crate) fn events_of(
    conn: &Connection,
    id: &str,
    cursor: i64,
    limit: usize,
) -> Result<Vec<Event>> {
    let events = conn
        .prepare_cached(
            "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
             WHERE task_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
        )?
        .query_map(params![id, cursor, limit as i64], event_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if events.is_empty() {
        require_task(conn, id)?;
    }
    Ok(events)
}

/// The runs of a task, oldest first, every column.
pub(crate) fn run_history(conn: &Connection, id: &str) -> Result<Vec<Run>> {
    let runs = conn
        .prepare_cached(
            "SELECT id, task_id, status, claim, pid, heartbeat_at, started_at, ended_at,
                    outcome, summary, error
             FROM task_runs WHERE task_id = ?1 ORDER BY id",
        )?
        .query_map([id], |r| {
            Ok(Run {
                id: r.get(0)?,
                task_id: r.get(1)?,
                status: r.get(2)?,
                claim: r.get(3)?,
                pid: r.get(4)?,
                heartbeat_at: r.get(5)?,
                started_at: r.get(6)?,
                ended_at: r.get(7)?,
                outcome: r.get(8)?,
                summary: r.get(9)?,
                error: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if runs.is_empty() {
        require_task(conn, id)?;
    }
    Ok(runs)
}
