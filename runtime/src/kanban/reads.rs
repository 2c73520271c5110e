//! The board's reads: rows as the store returns them.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Event, Status, Task};
use crate::error::Result;

pub(crate) const TASK_COLUMNS: &str = "id, title, body, assignee, status, priority, created_by, created_at, \
     started_at, completed_at, claim_lock, claim_expires, worker_pid, current_run_id, idempotency_key, result";

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
