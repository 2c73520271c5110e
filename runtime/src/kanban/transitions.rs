//! Task statuses and the one table of allowed status changes.
//!
//! Every status change in the store goes through [`transition`]: it checks
//! [`TRANSITIONS`], runs a compare-and-swap `UPDATE ... WHERE status = <from>` and
//! appends a `task_events` row, inside the caller's immediate write transaction.

use std::fmt;

use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use Status::*;

/// The status of a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Status {
    /// Not yet looked at.
    Triage,
    /// Accepted, waiting for unfinished parents.
    Todo,
    /// Waiting for a time.
    Scheduled,
    /// Can be claimed.
    Ready,
    /// Claimed by a worker.
    Running,
    /// Stopped by a person or a failure.
    Blocked,
    /// Finished, waiting for review.
    Review,
    /// Finished.
    Done,
    /// Put away.
    Archived,
}

/// Every allowed `(from, to)` status change. Nothing else changes a status.
pub const TRANSITIONS: &[(Status, Status)] = &[
    // triage: accept (to ready, or todo while a parent is unfinished), or send back
    (Triage, Todo),
    (Triage, Ready),
    (Todo, Triage),
    (Ready, Triage),
    (Blocked, Triage),
    (Scheduled, Triage),
    // scheduling, and the dispatcher releasing what is due
    (Triage, Scheduled),
    (Todo, Scheduled),
    (Ready, Scheduled),
    (Blocked, Scheduled),
    (Scheduled, Ready),
    (Scheduled, Todo),
    // recompute ready, and linking a ready task under an unfinished parent
    (Todo, Ready),
    (Ready, Todo),
    // claim, and the release of a stale claim
    (Ready, Running),
    (Running, Ready),
    // complete, or hand in for review; review approves (done) or asks for changes
    (Ready, Done),
    (Running, Done),
    (Running, Review),
    (Review, Done),
    (Review, Ready),
    // block (by a person, or a failed run) and unblock
    (Triage, Blocked),
    (Todo, Blocked),
    (Scheduled, Blocked),
    (Ready, Blocked),
    (Running, Blocked),
    (Review, Blocked),
    (Blocked, Ready),
    (Blocked, Todo),
    // archive: anything but a running task
    (Triage, Archived),
    (Todo, Archived),
    (Scheduled, Archived),
    (Ready, Archived),
    (Blocked, Archived),
    (Review, Archived),
    (Done, Archived),
];

/// Whether [`TRANSITIONS`] allows `from -> to`.
pub fn transition_allowed(from: Status, to: Status) -> bool {
    TRANSITIONS.contains(&(from, to))
}

impl Status {
    /// The name stored in `tasks.status`.
    pub fn as_str(self) -> &'static str {
        match self {
            Triage => "triage",
            Todo => "todo",
            Scheduled => "scheduled",
            Ready => "ready",
            Running => "running",
            Blocked => "blocked",
            Review => "review",
            Done => "done",
            Archived => "archived",
        }
    }

    /// Parses a stored status name.
    pub fn parse(name: &str) -> Option<Status> {
        [
            Triage, Todo, Scheduled, Ready, Running, Blocked, Review, Done, Archived,
        ]
        .into_iter()
        .find(|s| s.as_str() == name)
    }

    /// Whether a parent in this status lets its children run.
    pub fn is_finished(self) -> bool {
        matches!(self, Done | Archived)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl rusqlite::types::FromSql for Status {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        Status::parse(text).ok_or_else(|| {
            rusqlite::types::FromSqlError::Other(format!("unknown status {text:?}").into())
        })
    }
}

#[cfg(feature = "postgres")]
impl<'a> postgres::types::FromSql<'a> for Status {
    fn from_sql(
        ty: &postgres::types::Type,
        raw: &'a [u8],
    ) -> std::result::Result<Status, Box<dyn std::error::Error + Sync + Send>> {
        let text = <&str as postgres::types::FromSql>::from_sql(ty, raw)?;
        Status::parse(text).ok_or_else(|| format!("unknown status {text:?}").into())
    }

    fn accepts(ty: &postgres::types::Type) -> bool {
        <&str as postgres::types::FromSql>::accepts(ty)
    }
}

/// The table check every backend makes before a status change.
pub(crate) fn check_transition(task: &str, from: Status, to: Status) -> Result<()> {
    if transition_allowed(from, to) {
        Ok(())
    } else {
        Err(Error::InvalidTransition {
            task: task.to_owned(),
            from: from.to_string(),
            to: to.to_string(),
        })
    }
}

/// Changes `task` from `from` to `to` if the table allows it and the task is still in
/// `from` (compare-and-swap), and appends an event of `kind`. Returns whether the
/// task changed; `Err(InvalidTransition)` if the table forbids the change.
pub(crate) fn transition(
    conn: &Connection,
    task: &str,
    from: Status,
    to: Status,
    kind: &str,
    run_id: Option<i64>,
    now: f64,
) -> Result<bool> {
    check_transition(task, from, to)?;
    let changed = conn
        .prepare_cached("UPDATE tasks SET status = ?3 WHERE id = ?1 AND status = ?2")?
        .execute(params![task, from.as_str(), to.as_str()])?;
    if changed == 0 {
        return Ok(false);
    }
    append_event(conn, task, run_id, kind, &format!("{from}->{to}"), now)?;
    Ok(true)
}

/// Appends a `task_events` row.
pub(crate) fn append_event(
    conn: &Connection,
    task: &str,
    run_id: Option<i64>,
    kind: &str,
    payload: &str,
    now: f64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO task_events(task_id, run_id, kind, payload, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![task, run_id, kind, payload, now])?;
    Ok(conn.last_insert_rowid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_the_only_source_of_truth() {
        assert!(transition_allowed(Ready, Running));
        assert!(!transition_allowed(Todo, Running), "claiming needs ready");
        assert!(!transition_allowed(Done, Running));
        assert!(!transition_allowed(Running, Archived));
        for (from, to) in TRANSITIONS {
            assert_ne!(from, to, "no self transitions");
        }
    }

    #[test]
    fn names_round_trip() {
        for (from, to) in TRANSITIONS {
            assert_eq!(Status::parse(from.as_str()), Some(*from));
            assert_eq!(Status::parse(to.as_str()), Some(*to));
        }
    }
}
