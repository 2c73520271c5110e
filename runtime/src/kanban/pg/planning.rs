//! Creating and arranging tasks on PostgreSQL: create, triage and accept, schedule,
//! block and unblock, archive, link, comment, and readiness.

use std::sync::atomic::{AtomicU64, Ordering};

use super::reads::{require, status_locked, status_of, unfinished_parents};
use super::runs::end_run;
use super::transition::transition;
use super::LINK_LOCK;
use crate::error::{Error, Result};
use crate::kanban::transitions::Status;
use crate::kanban::{Initial, NewTask, Task};
use crate::pg::PgTx;

/// A candidate task id, `t_` and 8 hex digits, from a process-local sequence mixed
/// with the clock and the pid (the insert retries on the rare collision).
fn candidate_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut x =
        nanos ^ (u64::from(std::process::id()) << 32) ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    // splitmix64 finalizer: neighbouring inputs give unrelated outputs.
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    format!("t_{:08x}", x as u32)
}

fn live_with_key(tx: &mut PgTx<'_>, key: &str) -> Result<Option<Task>> {
    tx.row(
        concat!(
            "SELECT ",
            super::reads::task_columns!(),
            " FROM tasks WHERE idempotency_key = $1 AND status <> 'archived' LIMIT 1"
        ),
        &[&key],
        super::reads::task_from_row,
    )
}

/// Creates a task (or returns the live task with the same idempotency key; the
/// unique index on live keys makes a racing create on another machine wait for
/// this one and then find its task).
pub(crate) fn create(tx: &mut PgTx<'_>, new: &NewTask, now: f64) -> Result<(Task, bool)> {
    if let Some(key) = &new.idempotency_key {
        if let Some(existing) = live_with_key(tx, key)? {
            return Ok((existing, false));
        }
    }
    let mut waiting = false;
    for parent in &new.parents {
        if !status_of(tx, parent)?.is_finished() {
            waiting = true;
        }
    }
    let (status, scheduled_at) = match new.initial {
        Initial::Auto if waiting => (Status::Todo, None),
        Initial::Auto => (Status::Ready, None),
        Initial::Triage => (Status::Triage, None),
        Initial::Scheduled { at } => (Status::Scheduled, Some(at)),
    };
    let task = loop {
        let inserted = tx.row(
            concat!(
                "INSERT INTO tasks(id, title, body, assignee, status, priority, created_by, created_at,
                                   idempotency_key, scheduled_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                 ON CONFLICT DO NOTHING
                 RETURNING ",
                super::reads::task_columns!()
            ),
            &[
                &candidate_id(),
                &new.title,
                &new.body,
                &new.assignee,
                &status.as_str(),
                &new.priority,
                &new.created_by,
                &now,
                &new.idempotency_key,
                &scheduled_at,
            ],
            super::reads::task_from_row,
        )?;
        if let Some(task) = inserted {
            break task;
        }
        if let Some(key) = &new.idempotency_key {
            if let Some(existing) = live_with_key(tx, key)? {
                return Ok((existing, false));
            }
        }
    };
    for parent in &new.parents {
        tx.execute(
            "INSERT INTO task_links(parent_id, child_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[parent, &task.id],
        )?;
    }
    tx.append_event(&task.id, None, "created", status.as_str(), now)?;
    Ok((task, true))
}

pub(crate) fn block(tx: &mut PgTx<'_>, id: &str, reason: &str, now: f64) -> Result<bool> {
    let task = require(tx, id)?;
    if task.status == Status::Blocked {
        return Ok(false);
    }
    if !transition(
        tx,
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
            tx,
            id,
            task.current_run_id,
            "blocked",
            "blocked",
            Some(reason),
            now,
        )?;
    }
    tx.append_event(id, task.current_run_id, "block_reason", reason, now)?;
    Ok(true)
}

fn ready_or_todo(tx: &mut PgTx<'_>, id: &str) -> Result<Status> {
    Ok(if unfinished_parents(tx, id)? > 0 {
        Status::Todo
    } else {
        Status::Ready
    })
}

pub(crate) fn unblock(tx: &mut PgTx<'_>, id: &str, now: f64) -> Result<bool> {
    if status_locked(tx, id)? != Status::Blocked {
        return Ok(false);
    }
    let to = ready_or_todo(tx, id)?;
    transition(tx, id, Status::Blocked, to, "unblocked", None, now)
}

pub(crate) fn archive(tx: &mut PgTx<'_>, id: &str, now: f64) -> Result<bool> {
    let status = status_locked(tx, id)?;
    if status == Status::Archived {
        return Ok(false);
    }
    transition(tx, id, status, Status::Archived, "archived", None, now)
}

/// Links `parent -> child`, refusing cycles. Links take [`LINK_LOCK`] so two links
/// racing in opposite directions cannot both pass the cycle check.
pub(crate) fn link(tx: &mut PgTx<'_>, parent: &str, child: &str, now: f64) -> Result<bool> {
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&LINK_LOCK])?;
    let parent_status = status_of(tx, parent)?;
    let child_status = status_locked(tx, child)?;
    let cycle: bool = tx.scalar(
        "WITH RECURSIVE down(id) AS (
             SELECT $1::text UNION SELECT l.child_id FROM task_links l JOIN down ON l.parent_id = down.id)
         SELECT EXISTS(SELECT 1 FROM down WHERE id = $2)",
        &[&child, &parent],
    )?;
    if cycle {
        return Err(Error::LinkCycle {
            parent: parent.to_owned(),
            child: child.to_owned(),
        });
    }
    let added = tx.execute(
        "INSERT INTO task_links(parent_id, child_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&parent, &child],
    )?;
    if added == 0 {
        return Ok(false);
    }
    tx.append_event(child, None, "linked", parent, now)?;
    if child_status == Status::Ready && !parent_status.is_finished() {
        transition(tx, child, Status::Ready, Status::Todo, "waiting", None, now)?;
    }
    Ok(true)
}

pub(crate) fn comment(
    tx: &mut PgTx<'_>,
    id: &str,
    author: Option<&str>,
    body: &str,
    now: f64,
) -> Result<i64> {
    status_of(tx, id)?;
    let comment_id: i64 = tx.scalar(
        "INSERT INTO task_comments(task_id, author, body, created_at) VALUES ($1, $2, $3, $4)
         RETURNING id",
        &[&id, &author, &body, &now],
    )?;
    tx.append_event(id, None, "commented", &comment_id.to_string(), now)?;
    Ok(comment_id)
}

pub(crate) fn recompute_ready(tx: &mut PgTx<'_>, now: f64) -> Result<usize> {
    let waiting: Vec<String> = tx.rows(
        "SELECT id FROM tasks WHERE status = 'todo' ORDER BY id FOR UPDATE SKIP LOCKED",
        &[],
        |r| r.try_get(0),
    )?;
    let mut readied = 0;
    for id in waiting {
        if unfinished_parents(tx, &id)? == 0
            && transition(tx, &id, Status::Todo, Status::Ready, "ready", None, now)?
        {
            readied += 1;
        }
    }
    Ok(readied)
}

pub(crate) fn accept(tx: &mut PgTx<'_>, id: &str, now: f64) -> Result<bool> {
    if status_locked(tx, id)? != Status::Triage {
        return Ok(false);
    }
    let to = ready_or_todo(tx, id)?;
    transition(tx, id, Status::Triage, to, "accepted", None, now)
}

pub(crate) fn triage(tx: &mut PgTx<'_>, id: &str, now: f64) -> Result<bool> {
    let status = status_locked(tx, id)?;
    if status == Status::Triage {
        return Ok(false);
    }
    let changed = transition(tx, id, status, Status::Triage, "triaged", None, now)?;
    if changed {
        tx.execute("UPDATE tasks SET scheduled_at = NULL WHERE id = $1", &[&id])?;
    }
    Ok(changed)
}

pub(crate) fn schedule(tx: &mut PgTx<'_>, id: &str, at: f64, now: f64) -> Result<bool> {
    let status = status_locked(tx, id)?;
    if status != Status::Scheduled
        && !transition(tx, id, status, Status::Scheduled, "scheduled", None, now)?
    {
        return Ok(false);
    }
    tx.execute(
        "UPDATE tasks SET scheduled_at = $2 WHERE id = $1",
        &[&id, &at],
    )?;
    tx.append_event(id, None, "scheduled_for", &at.to_string(), now)?;
    Ok(true)
}

pub(crate) fn release_due(tx: &mut PgTx<'_>, now: f64) -> Result<Vec<String>> {
    let due: Vec<String> = tx.rows(
        "SELECT id FROM tasks WHERE status = 'scheduled' AND scheduled_at <= $1
         ORDER BY scheduled_at, id FOR UPDATE SKIP LOCKED",
        &[&now],
        |r| r.try_get(0),
    )?;
    let mut released = Vec::new();
    for id in due {
        let to = ready_or_todo(tx, &id)?;
        if transition(tx, &id, Status::Scheduled, to, "due", None, now)? {
            tx.execute("UPDATE tasks SET scheduled_at = NULL WHERE id = $1", &[&id])?;
            released.push(id);
        }
    }
    Ok(released)
}
