//! The one status change on PostgreSQL: the table check, the compare-and-swap
//! `UPDATE`, and the event, in the caller's transaction.

use crate::error::Result;
use crate::kanban::transitions::{check_transition, Status};
use crate::pg::PgTx;

/// Changes `task` from `from` to `to` if [`TRANSITIONS`](crate::kanban::TRANSITIONS)
/// allows it and the task is still in `from`, and appends an event of `kind`.
/// Whether the task changed; `Err(InvalidTransition)` if the table forbids it.
pub(crate) fn transition(
    tx: &mut PgTx<'_>,
    task: &str,
    from: Status,
    to: Status,
    kind: &str,
    run_id: Option<i64>,
    now: f64,
) -> Result<bool> {
    check_transition(task, from, to)?;
    let changed = tx.execute(
        "UPDATE tasks SET status = $3 WHERE id = $1 AND status = $2",
        &[&task, &from.as_str(), &to.as_str()],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    tx.append_event(task, run_id, kind, &format!("{from}->{to}"), now)?;
    Ok(true)
}
