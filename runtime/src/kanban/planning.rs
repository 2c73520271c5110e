//! Creating and arranging tasks: create, triage and accept, schedule, block and
//! unblock, archive, link, comment, and readiness. Each runs inside the store's write
//! transaction and takes it as a `&Connection`; every status change goes through
//! [`transition`].

use rusqlite::{params, Connection, OptionalExtension};

use super::reads::{get_task, status_of, task_from_row, unfinished_parents, TASK_COLUMNS};
use super::runs::end_run;
use super::transitions::{append_event, transition, Status};
use super::{Initial, NewTask, Task};
use crate::error::{Error, Result};
use crate::WriteTransaction;

fn new_task_id(conn: &Connection) -> Result<String> {
    loop {
        let id: String =
            conn.query_row("SELECT 't_' || lower(hex(randomblob(4)))", [], |r| r.get(0))?;
        let taken = conn
            .prepare_cached("SELECT 1 FROM tasks WHERE id = ?1")?
            .query_row([&id], |_| Ok(()))
            .optional()?
            .is_some();
        if !taken {
            return Ok(id);
        }
    }
}

/// Creates a task (or returns the live task with the same idempotency key).
pub(crate) fn create(conn: &WriteTransaction<'_>, new: &NewTask, now: f64) -> Result<(Task, bool)> {
    if let Some(key) = &new.idempotency_key {
        let sql = format!(
            "SELECT {TASK_COLUMNS} FROM tasks WHERE idempotency_key = ?1 AND status != 'archived' LIMIT 1"
        );
        if let Some(existing) = conn
            .prepare_cached(&sql)?
            .query_row([key], task_from_row)
            .optional()?
        {
            return Ok((existing, false));
        }
    }
    let id = new_task_id(conn)?;
    let mut waiting = false;
    for parent in &new.parents {
        if !status_of(conn, parent)?.is_finished() {
            waiting = true;
        }
    }
    let (status, scheduled_at) = match new.initial {
        Initial::Auto if waiting => (Status::Todo, None),
        Initial::Auto => (Status::Ready, None),
        Initial::Triage => (Status::Triage, None),
        Initial::Scheduled { at } => (Status::Scheduled, Some(at)),
    };
    conn.prepare_cached(
        "INSERT INTO tasks(id, title, body, assignee, status, priority, created_by, created_at,
                           idempotency_key, scheduled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        id,
        new.title,
        new.body,
        new.assignee,
        status.as_str(),
        new.priority,
        new.created_by,
        now,
        new.idempotency_key,
        scheduled_at
    ])?;
    for parent in &new.parents {
        conn.prepare_cached(
            "INSERT OR IGNORE INTO task_links(parent_id, child_id) VALUES (?1, ?2)",
        )?
        .execute(params![parent, id])?;
    }
    append_event(conn, &id, None, "created", status.as_str(), now)?;
    let task = get_task(conn, &id)?.ok_or_else(|| Error::TaskNotFound { task: id.clone() })?;
    Ok((task, true))
}

/// Blocks a task (ending its run if it was running).
pub(crate) fn block(conn: &WriteTransaction<'_>, id: &str, reason: &str, now: f64) -> Result<bool> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if task.status == Status::Blocked {
        return Ok(false);
    }
    if !transition(
        conn,
        id,
        task.status,
        Status::Blocked,
        "blocked",
        task.current_run_id,
        now,
    )? {
        return Ok(false);
    }
    if task.status == Status::Running {
        end_run(
            conn,
            id,
            task.current_run_id,
            "blocked",
            "blocked",
            Some(reason),
            now,
        )?;
    }
    append_event(conn, id, task.current_run_id, "block_reason", reason, now)?;
    Ok(true)
}

/// Unblocks a task: ready if its parents are finished, else todo.
pub(crate) fn unblock(conn: &Connection, id: &str, now: f64) -> Result<bool> {
    let to = if unfinished_parents(conn, id)? > 0 {
        Status::Todo
    } else {
        Status::Ready
    };
    if status_of(conn, id)? != Status::Blocked {
        return Ok(false);
    }
    transition(conn, id, Status::Blocked, to, "unblocked", None, now)
}

/// Archives a task.
pub(crate) fn archive(conn: &Connection, id: &str, now: f64) -> Result<bool> {
    let status = status_of(conn, id)?;
    if status == Status::Archived {
        return Ok(false);
    }
    transition(conn, id, status, Status::Archived, "archived", None, now)
}

/// Links `parent -> child`, refusing cycles; a ready child under an unfinished parent
/// goes back to todo.
pub(crate) fn link(conn: &Connection, parent: &str, child: &str, now: f64) -> Result<bool> {
    let parent_status = status_of(conn, parent)?;
    let child_status = status_of(conn, child)?;
    // Is `parent` already a descendant of `child` (or the same task)?
    let cycle: bool = conn
        .prepare_cached(
            "WITH RECURSIVE down(id) AS (SELECT ?1 UNION SELECT l.child_id FROM task_links l JOIN down ON l.parent_id = down.id)
             SELECT EXISTS(SELECT 1 FROM down WHERE id = ?2)",
        )?
        .query_row(params![child, parent], |r| r.get(0))?;
    if cycle {
        return Err(Error::LinkCycle {
            parent: parent.to_owned(),
            child: child.to_owned(),
        });
    }
    let added = conn
        .prepare_cached("INSERT OR IGNORE INTO task_links(parent_id, child_id) VALUES (?1, ?2)")?
        .execute(params![parent, child])?;
    if added == 0 {
        return Ok(false);
    }
    append_event(conn, child, None, "linked", parent, now)?;
    if child_status == Status::Ready && !parent_status.is_finished() {
        transition(
            conn,
            child,
            Status::Ready,
            Status::Todo,
            "waiting",
            None,
            now,
        )?;
    }
    Ok(true)
}

/// Adds a comment; returns its id.
pub(crate) fn comment(
    conn: &Connection,
    id: &str,
    author: Option<&str>,
    body: &str,
    now: f64,
) -> Result<i64> {
    status_of(conn, id)?;
    conn.prepare_cached(
        "INSERT INTO task_comments(task_id, author, body, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, author, body, now])?;
    let comment_id = conn.last_insert_rowid();
    append_event(conn, id, None, "commented", &comment_id.to_string(), now)?;
    Ok(comment_id)
}

/// Todo tasks whose parents all finished become ready.
pub(crate) fn recompute_ready(conn: &Connection, now: f64) -> Result<usize> {
    let waiting: Vec<String> = conn
        .prepare_cached("SELECT id FROM tasks WHERE status = 'todo'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut readied = 0;
    for id in waiting {
        if unfinished_parents(conn, &id)? == 0
            && transition(conn, &id, Status::Todo, Status::Ready, "ready", None, now)?
        {
            readied += 1;
        }
    }
    Ok(readied)
}

/// `ready` if every parent of `id` is finished, else `todo`: where a task goes when
/// nothing else holds it.
fn ready_or_todo(conn: &Connection, id: &str) -> Result<Status> {
    Ok(if unfinished_parents(conn, id)? > 0 {
        Status::Todo
    } else {
        Status::Ready
    })
}

/// Accepts a task out of triage: to `ready`, or `todo` while a parent is unfinished.
pub(crate) fn accept(conn: &Connection, id: &str, now: f64) -> Result<bool> {
    if status_of(conn, id)? != Status::Triage {
        return Ok(false);
    }
    let to = ready_or_todo(conn, id)?;
    transition(conn, id, Status::Triage, to, "accepted", None, now)
}

/// Sends a task back to triage (from `todo`, `ready`, `blocked` or `scheduled`).
pub(crate) fn triage(conn: &Connection, id: &str, now: f64) -> Result<bool> {
    let status = status_of(conn, id)?;
    if status == Status::Triage {
        return Ok(false);
    }
    let changed = transition(conn, id, status, Status::Triage, "triaged", None, now)?;
    if changed {
        clear_schedule(conn, id)?;
    }
    Ok(changed)
}

/// Schedules a task: `scheduled` until `at`, when the dispatcher releases it.
/// Scheduling a scheduled task again moves its time.
pub(crate) fn schedule(conn: &Connection, id: &str, at: f64, now: f64) -> Result<bool> {
    let status = status_of(conn, id)?;
    if status != Status::Scheduled
        && !transition(conn, id, status, Status::Scheduled, "scheduled", None, now)?
    {
        return Ok(false);
    }
    conn.prepare_cached("UPDATE tasks SET scheduled_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    append_event(conn, id, None, "scheduled_for", &at.to_string(), now)?;
    Ok(true)
}

fn clear_schedule(conn: &Connection, id: &str) -> Result<()> {
    conn.prepare_cached("UPDATE tasks SET scheduled_at = NULL WHERE id = ?1")?
        .execute([id])?;
    Ok(())
}

/// Scheduled tasks whose time has come go to `ready` (or `todo` while a parent is
/// unfinished); returns them.
pub(crate) fn release_due(conn: &Connection, now: f64) -> Result<Vec<String>> {
    let due: Vec<String> = conn
        .prepare_cached(
            "SELECT id FROM tasks WHERE status = 'scheduled' AND scheduled_at <= ?1
             ORDER BY scheduled_at, id",
        )?
        .query_map([now], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut released = Vec::new();
    for id in due {
        let to = ready_or_todo(conn, &id)?;
        if transition(conn, &id, Status::Scheduled, to, "due", None, now)? {
            clear_schedule(conn, &id)?;
            released.push(id);
        }
    }
    Ok(released)
}
