//! The board's operations, each run inside one immediate write transaction by the
//! store. They take the transaction as a `&Connection`.

use rusqlite::{params, Connection, OptionalExtension};

use super::reads::{get_task, task_from_row, TASK_COLUMNS};
use super::transitions::{append_event, transition, Status};
use super::{Claim, NewTask, Task, CLAIM_TTL_SECS};
use crate::error::{Error, Result};

fn status_of(conn: &Connection, id: &str) -> Result<Status> {
    conn.prepare_cached("SELECT status FROM tasks WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::TaskNotFound {
            task: id.to_owned(),
        })
}

/// Parents of `id` that are not finished yet.
fn unfinished_parents(conn: &Connection, id: &str) -> Result<i64> {
    Ok(conn
        .prepare_cached(
            "SELECT count(*) FROM task_links l JOIN tasks p ON p.id = l.parent_id
             WHERE l.child_id = ?1 AND p.status NOT IN ('done', 'archived')",
        )?
        .query_row([id], |r| r.get(0))?)
}

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
pub(crate) fn create(conn: &Connection, new: &NewTask, now: f64) -> Result<(Task, bool)> {
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
    let status = if waiting { Status::Todo } else { Status::Ready };
    conn.prepare_cached(
        "INSERT INTO tasks(id, title, body, assignee, status, priority, created_by, created_at, idempotency_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
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
        new.idempotency_key
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

/// Claims a ready, unclaimed task whose parents are all finished.
pub(crate) fn claim(conn: &Connection, id: &str, worker: &str, now: f64) -> Result<Option<Claim>> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if task.status != Status::Ready
        || task.claim_lock.is_some()
        || unfinished_parents(conn, id)? > 0
    {
        return Ok(None);
    }
    if !transition(
        conn,
        id,
        Status::Ready,
        Status::Running,
        "claimed",
        None,
        now,
    )? {
        return Ok(None);
    }
    let pid = i64::from(std::process::id());
    conn.prepare_cached(
        "INSERT INTO task_runs(task_id, status, claim, pid, heartbeat_at, started_at) VALUES (?1, 'running', ?2, ?3, ?4, ?4)",
    )?
    .execute(params![id, worker, pid, now])?;
    let run_id = conn.last_insert_rowid();
    let expires = now + CLAIM_TTL_SECS;
    conn.prepare_cached(
        "UPDATE tasks SET claim_lock = ?2, claim_expires = ?3, worker_pid = ?4, current_run_id = ?5,
             started_at = coalesce(started_at, ?6)
         WHERE id = ?1",
    )?
    .execute(params![id, worker, expires, pid, run_id, now])?;
    Ok(Some(Claim {
        task_id: id.to_owned(),
        run_id,
        worker: worker.to_owned(),
        claim_expires: expires,
    }))
}

/// Extends a live claim.
pub(crate) fn heartbeat(conn: &Connection, id: &str, run_id: i64, now: f64) -> Result<bool> {
    let extended = conn
        .prepare_cached(
            "UPDATE tasks SET claim_expires = ?3 WHERE id = ?1 AND current_run_id = ?2 AND status = 'running'",
        )?
        .execute(params![id, run_id, now + CLAIM_TTL_SECS])?;
    if extended == 0 {
        return Ok(false);
    }
    conn.prepare_cached("UPDATE task_runs SET heartbeat_at = ?2 WHERE id = ?1")?
        .execute(params![run_id, now])?;
    Ok(true)
}

/// Ends the current run of `id` with `outcome` and clears the claim.
fn end_run(
    conn: &Connection,
    id: &str,
    run_id: Option<i64>,
    status: &str,
    outcome: &str,
    summary: Option<&str>,
    now: f64,
) -> Result<()> {
    if let Some(run_id) = run_id {
        conn.prepare_cached(
            "UPDATE task_runs SET status = ?2, outcome = ?3, summary = ?4, ended_at = ?5 WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![run_id, status, outcome, summary, now])?;
    }
    conn.prepare_cached(
        "UPDATE tasks SET claim_lock = NULL, claim_expires = NULL, worker_pid = NULL WHERE id = ?1",
    )?
    .execute([id])?;
    Ok(())
}

/// Completes a task, optionally only if `expected_run` is its current run.
pub(crate) fn complete(
    conn: &Connection,
    id: &str,
    expected_run: Option<i64>,
    result: Option<&str>,
    now: f64,
) -> Result<bool> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if expected_run.is_some() && expected_run != task.current_run_id {
        return Ok(false);
    }
    if task.status == Status::Done {
        return Ok(false);
    }
    if !transition(
        conn,
        id,
        task.status,
        Status::Done,
        "completed",
        task.current_run_id,
        now,
    )? {
        return Ok(false);
    }
    conn.prepare_cached("UPDATE tasks SET completed_at = ?2, result = ?3 WHERE id = ?1")?
        .execute(params![id, now, result])?;
    end_run(
        conn,
        id,
        task.current_run_id,
        "done",
        "completed",
        result,
        now,
    )?;
    release_children(conn, id, now)?;
    Ok(true)
}

/// Children of `id` waiting in `todo` become ready once all their parents finished.
fn release_children(conn: &Connection, id: &str, now: f64) -> Result<usize> {
    let children: Vec<String> = conn
        .prepare_cached("SELECT l.child_id FROM task_links l JOIN tasks c ON c.id = l.child_id WHERE l.parent_id = ?1 AND c.status = 'todo'")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut readied = 0;
    for child in children {
        if unfinished_parents(conn, &child)? == 0
            && transition(
                conn,
                &child,
                Status::Todo,
                Status::Ready,
                "ready",
                None,
                now,
            )?
        {
            readied += 1;
        }
    }
    Ok(readied)
}

/// Blocks a task (ending its run if it was running).
pub(crate) fn block(conn: &Connection, id: &str, reason: &str, now: f64) -> Result<bool> {
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

/// Running tasks whose claim expired go back to ready.
pub(crate) fn release_stale(conn: &Connection, now: f64) -> Result<Vec<String>> {
    let stale: Vec<(String, Option<i64>)> = conn
        .prepare_cached(
            "SELECT id, current_run_id FROM tasks WHERE status = 'running' AND claim_expires < ?1",
        )?
        .query_map([now], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut released = Vec::new();
    for (id, run_id) in stale {
        if transition(
            conn,
            &id,
            Status::Running,
            Status::Ready,
            "released",
            run_id,
            now,
        )? {
            end_run(conn, &id, run_id, "released", "claim expired", None, now)?;
            released.push(id);
        }
    }
    Ok(released)
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
