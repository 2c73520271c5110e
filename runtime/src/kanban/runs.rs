//! A task's runs: claim, heartbeat, complete, fail, review, and the release of stale
//! claims. Each runs inside the store's write transaction and takes it as a
//! `&Connection`; every status change goes through [`transition`].

use rusqlite::{params, Connection};

use super::reads::{get_task, unfinished_parents};
use super::transitions::{append_event, transition, Status};
use super::{Claim, CLAIM_TTL_SECS};
use crate::error::{Error, Result};
use crate::WriteTransaction;

/// Claims a ready, unclaimed task whose parents are all finished.
pub(crate) fn claim(
    conn: &WriteTransaction<'_>,
    id: &str,
    worker: &str,
    now: f64,
) -> Result<Option<Claim>> {
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
pub(crate) fn heartbeat(
    conn: &WriteTransaction<'_>,
    id: &str,
    run_id: i64,
    now: f64,
) -> Result<bool> {
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
pub(crate) fn end_run(
    conn: &WriteTransaction<'_>,
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
    conn: &WriteTransaction<'_>,
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

/// Running tasks whose claim expired go back to ready.
pub(crate) fn release_stale(conn: &WriteTransaction<'_>, now: f64) -> Result<Vec<String>> {
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

/// Fails run `run_id` of a running task: the run ends `failed` with `error`, the task
/// is blocked (a person or a retry policy unblocks it). `false` if `run_id` is not
/// the task's current run or the task is not running.
pub(crate) fn fail(
    conn: &WriteTransaction<'_>,
    id: &str,
    run_id: i64,
    error: &str,
    now: f64,
) -> Result<bool> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if task.status != Status::Running || task.current_run_id != Some(run_id) {
        return Ok(false);
    }
    if !transition(
        conn,
        id,
        Status::Running,
        Status::Blocked,
        "failed",
        Some(run_id),
        now,
    )? {
        return Ok(false);
    }
    end_run(conn, id, Some(run_id), "failed", "failed", None, now)?;
    conn.prepare_cached("UPDATE task_runs SET error = ?2 WHERE id = ?1")?
        .execute(params![run_id, error])?;
    append_event(conn, id, Some(run_id), "error", error, now)?;
    Ok(true)
}

/// Hands a running task in for review: the run ends `review` with `summary`, the
/// task waits in `review` until [`complete`] (approve) or [`request_changes`].
/// With `expected_run`, only if that is still the task's current run.
pub(crate) fn submit_for_review(
    conn: &WriteTransaction<'_>,
    id: &str,
    expected_run: Option<i64>,
    summary: Option<&str>,
    now: f64,
) -> Result<bool> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if task.status != Status::Running
        || (expected_run.is_some() && expected_run != task.current_run_id)
    {
        return Ok(false);
    }
    if !transition(
        conn,
        id,
        Status::Running,
        Status::Review,
        "submitted",
        task.current_run_id,
        now,
    )? {
        return Ok(false);
    }
    end_run(
        conn,
        id,
        task.current_run_id,
        "review",
        "submitted",
        summary,
        now,
    )?;
    Ok(true)
}

/// Sends a task in review back to `ready` with a note (its next claim starts a new
/// run).
pub(crate) fn request_changes(conn: &Connection, id: &str, note: &str, now: f64) -> Result<bool> {
    let task = get_task(conn, id)?.ok_or_else(|| Error::TaskNotFound {
        task: id.to_owned(),
    })?;
    if task.status != Status::Review {
        return Ok(false);
    }
    if !transition(
        conn,
        id,
        Status::Review,
        Status::Ready,
        "changes_requested",
        task.current_run_id,
        now,
    )? {
        return Ok(false);
    }
    append_event(conn, id, task.current_run_id, "review_note", note, now)?;
    Ok(true)
}
