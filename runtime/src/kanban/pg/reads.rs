//! The board's reads on PostgreSQL.

use postgres::Row;

use crate::error::{Error, Result};
use crate::kanban::{Comment, Event, Links, Run, Status, Task, TaskCursor, TaskPage};
use crate::pg::PgTx;

/// The `tasks` columns in [`task_from_row`] order, for `concat!`.
macro_rules! task_columns {
    () => {
        "id, title, body, assignee, status, priority, created_by, created_at, started_at, \
         completed_at, claim_lock, claim_expires, worker_pid, current_run_id, \
         idempotency_key, result, scheduled_at"
    };
}
pub(crate) use task_columns;

pub(crate) fn task_from_row(r: &Row) -> Result<Task, postgres::Error> {
    Ok(Task {
        id: r.try_get(0)?,
        title: r.try_get(1)?,
        body: r.try_get(2)?,
        assignee: r.try_get(3)?,
        status: r.try_get(4)?,
        priority: r.try_get(5)?,
        created_by: r.try_get(6)?,
        created_at: r.try_get(7)?,
        started_at: r.try_get(8)?,
        completed_at: r.try_get(9)?,
        claim_lock: r.try_get(10)?,
        claim_expires: r.try_get(11)?,
        worker_pid: r.try_get(12)?,
        current_run_id: r.try_get(13)?,
        idempotency_key: r.try_get(14)?,
        result: r.try_get(15)?,
        scheduled_at: r.try_get(16)?,
    })
}

pub(crate) fn event_from_row(r: &Row) -> Result<Event, postgres::Error> {
    Ok(Event {
        id: r.try_get(0)?,
        task_id: r.try_get(1)?,
        run_id: r.try_get(2)?,
        kind: r.try_get(3)?,
        payload: r.try_get(4)?,
        created_at: r.try_get(5)?,
    })
}

pub(crate) fn get_task(tx: &mut PgTx<'_>, id: &str) -> Result<Option<Task>> {
    tx.row(
        concat!("SELECT ", task_columns!(), " FROM tasks WHERE id = $1"),
        &[&id],
        task_from_row,
    )
}

/// The task, locked until the transaction ends (`FOR UPDATE`), or
/// [`Error::TaskNotFound`]. Operations that decide from a task's row and then
/// change it read it this way, so no other transaction changes it in between
/// (a run ending and a new claim could otherwise put it back into the status
/// the decision was made on).
pub(crate) fn require(tx: &mut PgTx<'_>, id: &str) -> Result<Task> {
    tx.row(
        concat!(
            "SELECT ",
            task_columns!(),
            " FROM tasks WHERE id = $1 FOR UPDATE"
        ),
        &[&id],
        task_from_row,
    )?
    .ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })
}

/// The status of a task, locked like [`require`].
pub(crate) fn status_locked(tx: &mut PgTx<'_>, id: &str) -> Result<Status> {
    tx.row(
        "SELECT status FROM tasks WHERE id = $1 FOR UPDATE",
        &[&id],
        |r| r.try_get(0),
    )?
    .ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })
}

pub(crate) fn status_of(tx: &mut PgTx<'_>, id: &str) -> Result<Status> {
    tx.row("SELECT status FROM tasks WHERE id = $1", &[&id], |r| {
        r.try_get(0)
    })?
    .ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })
}

/// Parents of `id` that are not finished yet.
pub(crate) fn unfinished_parents(tx: &mut PgTx<'_>, id: &str) -> Result<i64> {
    tx.scalar(
        "SELECT count(*) FROM task_links l JOIN tasks p ON p.id = l.parent_id
         WHERE l.child_id = $1 AND p.status NOT IN ('done', 'archived')",
        &[&id],
    )
}

fn require_task(tx: &mut PgTx<'_>, id: &str) -> Result<()> {
    status_of(tx, id).map(|_| ())
}

pub(crate) fn tasks(tx: &mut PgTx<'_>, status: Option<Status>) -> Result<Vec<Task>> {
    let status = status.map(Status::as_str);
    tx.rows(
        concat!(
            "SELECT ",
            task_columns!(),
            " FROM tasks WHERE $1::text IS NULL OR status = $1
             ORDER BY priority DESC, created_at, id"
        ),
        &[&status],
        task_from_row,
    )
}

pub(crate) fn events_since(tx: &mut PgTx<'_>, cursor: i64, limit: usize) -> Result<Vec<Event>> {
    tx.events_visible()?;
    tx.rows(
        "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
         WHERE id > $1 ORDER BY id LIMIT $2",
        &[&cursor, &(limit as i64)],
        event_from_row,
    )
}

pub(crate) fn runs(tx: &mut PgTx<'_>, id: &str) -> Result<Vec<(i64, String, Option<String>)>> {
    tx.rows(
        "SELECT id, status, claim FROM task_runs WHERE task_id = $1 ORDER BY id",
        &[&id],
        |r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)),
    )
}

pub(crate) fn tasks_page(
    tx: &mut PgTx<'_>,
    status: Option<Status>,
    after: Option<&TaskCursor>,
    limit: usize,
) -> Result<TaskPage> {
    let status = status.map(Status::as_str);
    let mut tasks = tx.rows(
        concat!(
            "SELECT ",
            task_columns!(),
            " FROM tasks
             WHERE ($1::text IS NULL OR status = $1)
               AND ($2::bigint IS NULL OR (-priority, created_at, id) > (-$2, $3::float8, $4::text))
             ORDER BY priority DESC, created_at, id LIMIT $5"
        ),
        &[
            &status,
            &after.map(|c| c.priority),
            &after.map(|c| c.created_at),
            &after.map(|c| c.id.as_str()),
            &(limit.saturating_add(1) as i64),
        ],
        task_from_row,
    )?;
    let next = if tasks.len() > limit {
        tasks.truncate(limit);
        tasks.last().map(TaskCursor::after)
    } else {
        None
    };
    Ok(TaskPage { tasks, next })
}

pub(crate) fn comments(tx: &mut PgTx<'_>, id: &str) -> Result<Vec<Comment>> {
    let comments = tx.rows(
        "SELECT id, task_id, author, body, created_at FROM task_comments
         WHERE task_id = $1 ORDER BY id",
        &[&id],
        |r| {
            Ok(Comment {
                id: r.try_get(0)?,
                task_id: r.try_get(1)?,
                author: r.try_get(2)?,
                body: r.try_get(3)?,
                created_at: r.try_get(4)?,
            })
        },
    )?;
    if comments.is_empty() {
        require_task(tx, id)?;
    }
    Ok(comments)
}

pub(crate) fn links(tx: &mut PgTx<'_>, id: &str) -> Result<Links> {
    require_task(tx, id)?;
    let parents = tx.rows(
        "SELECT parent_id FROM task_links WHERE child_id = $1 ORDER BY parent_id",
        &[&id],
        |r| r.try_get(0),
    )?;
    let children = tx.rows(
        "SELECT child_id FROM task_links WHERE parent_id = $1 ORDER BY child_id",
        &[&id],
        |r| r.try_get(0),
    )?;
    Ok(Links { parents, children })
}

pub(crate) fn events_of(
    tx: &mut PgTx<'_>,
    id: &str,
    cursor: i64,
    limit: usize,
) -> Result<Vec<Event>> {
    tx.events_visible()?;
    let events = tx.rows(
        "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
         WHERE task_id = $1 AND id > $2 ORDER BY id LIMIT $3",
        &[&id, &cursor, &(limit as i64)],
        event_from_row,
    )?;
    if events.is_empty() {
        require_task(tx, id)?;
    }
    Ok(events)
}

pub(crate) fn run_history(tx: &mut PgTx<'_>, id: &str) -> Result<Vec<Run>> {
    let runs = tx.rows(
        "SELECT id, task_id, status, claim, pid, heartbeat_at, started_at, ended_at,
                outcome, summary, error
         FROM task_runs WHERE task_id = $1 ORDER BY id",
        &[&id],
        |r| {
            Ok(Run {
                id: r.try_get(0)?,
                task_id: r.try_get(1)?,
                status: r.try_get(2)?,
                claim: r.try_get(3)?,
                pid: r.try_get(4)?,
                heartbeat_at: r.try_get(5)?,
                started_at: r.try_get(6)?,
                ended_at: r.try_get(7)?,
                outcome: r.try_get(8)?,
                summary: r.try_get(9)?,
                error: r.try_get(10)?,
            })
        },
    )?;
    if runs.is_empty() {
        require_task(tx, id)?;
    }
    Ok(runs)
}
