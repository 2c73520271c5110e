//! Subscriptions and the notifier on PostgreSQL: the watermark design of
//! `kanban/notifier.rs`, with what two gateways on two machines need on top.
//!
//! - Event ids are in commit order (see `crate::pg::tx`), so "every event up to
//!   the watermark was offered" stays true when the next event commits.
//! - Ticks take [`TICK_LOCK`]: two gateways' ticks take turns, so one event is
//!   not offered twice by two ticks that read the same cursor.
//! - A cursor moves by compare-and-swap and the move is checked: if a hand-drained
//!   subscription ([`claim_unseen`]) moved it first, the tick offers nothing for it
//!   and holds the watermark back, so the next tick looks again.

use super::reads::event_from_row;
use super::TICK_LOCK;
use crate::error::Result;
use crate::kanban::{Event, Subscription};
use crate::pg::PgTx;

/// Whether any event is past the watermark (a quiet tick ends here).
pub(crate) fn has_pending(tx: &mut PgTx<'_>) -> Result<bool> {
    tx.scalar(
        "SELECT EXISTS(SELECT 1 FROM task_events
                       WHERE id > coalesce((SELECT watermark FROM notify_state WHERE id = 1), 0))",
        &[],
    )
}

fn sub_from_row(r: &postgres::Row) -> Result<(Subscription, i64), postgres::Error> {
    Ok((
        Subscription {
            task_id: r.try_get(0)?,
            platform: r.try_get(1)?,
            chat_id: r.try_get(2)?,
            thread_id: r.try_get(3)?,
        },
        r.try_get(4)?,
    ))
}

/// One tick: offers the events past the watermark to the subscriptions of their
/// tasks, at most `limit` per subscription, and moves the watermark.
pub(crate) fn tick(tx: &mut PgTx<'_>, limit: usize) -> Result<Vec<(Subscription, Vec<Event>)>> {
    tx.events_visible()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&TICK_LOCK])?;
    let from: i64 = tx
        .row(
            "SELECT watermark FROM notify_state WHERE id = 1",
            &[],
            |r| r.try_get(0),
        )?
        .unwrap_or(0);
    let to: Option<i64> = tx.scalar("SELECT max(id) FROM task_events", &[])?;
    let Some(to) = to.filter(|&to| to > from) else {
        return Ok(Vec::new());
    };
    let mut subs = tx.rows(
        "SELECT task_id, platform, chat_id, thread_id, last_event_id FROM notify_subs
         WHERE task_id IN (SELECT task_id FROM task_events WHERE id > $1 AND id <= $2)",
        &[&from, &to],
        sub_from_row,
    )?;
    subs.sort_by(|a, b| a.0.cmp(&b.0));
    let mut next = to;
    let mut out = Vec::new();
    for (sub, cursor) in subs {
        let events = unseen(tx, &sub, cursor, to, limit)?;
        let Some(last) = events.last().map(|e| e.id) else {
            continue;
        };
        if !advance(tx, &sub, cursor, last)? {
            // Someone drained it meanwhile: look at it again next tick.
            next = next.min(cursor);
            continue;
        }
        if events.len() >= limit {
            next = next.min(last);
        }
        out.push((sub, events));
    }
    tx.execute(
        "UPDATE notify_state SET watermark = $1 WHERE id = 1",
        &[&next],
    )?;
    Ok(out)
}

fn unseen(
    tx: &mut PgTx<'_>,
    sub: &Subscription,
    cursor: i64,
    to: i64,
    limit: usize,
) -> Result<Vec<Event>> {
    tx.rows(
        "SELECT id, task_id, run_id, kind, payload, created_at FROM task_events
         WHERE task_id = $1 AND id > $2 AND id <= $3 ORDER BY id LIMIT $4",
        &[&sub.task_id, &cursor, &to, &(limit as i64)],
        event_from_row,
    )
}

/// Moves the cursor from `from` to `to`; whether it was still at `from`.
fn advance(tx: &mut PgTx<'_>, sub: &Subscription, from: i64, to: i64) -> Result<bool> {
    Ok(tx.execute(
        "UPDATE notify_subs SET last_event_id = $5
         WHERE task_id = $1 AND platform = $2 AND chat_id = $3 AND thread_id = $4
           AND last_event_id = $6",
        &[
            &sub.task_id,
            &sub.platform,
            &sub.chat_id,
            &sub.thread_id,
            &to,
            &from,
        ],
    )? == 1)
}

/// Moves one subscription's cursor past its task's unseen events and returns them,
/// at most `limit`. The row is locked first, so a tick or another drain of the
/// same subscription waits and then starts from the new cursor.
pub(crate) fn claim_unseen(
    tx: &mut PgTx<'_>,
    sub: &Subscription,
    limit: usize,
) -> Result<Vec<Event>> {
    tx.events_visible()?;
    let cursor: Option<i64> = tx.row(
        "SELECT last_event_id FROM notify_subs
         WHERE task_id = $1 AND platform = $2 AND chat_id = $3 AND thread_id = $4
         FOR UPDATE",
        &[&sub.task_id, &sub.platform, &sub.chat_id, &sub.thread_id],
        |r| r.try_get(0),
    )?;
    let Some(cursor) = cursor else {
        return Ok(Vec::new());
    };
    let events = unseen(tx, sub, cursor, i64::MAX, limit)?;
    if let Some(last) = events.last() {
        advance(tx, sub, cursor, last.id)?;
    }
    Ok(events)
}

pub(crate) fn subscribe(tx: &mut PgTx<'_>, sub: &Subscription) -> Result<bool> {
    tx.events_visible()?;
    Ok(tx.execute(
        "INSERT INTO notify_subs(task_id, platform, chat_id, thread_id, last_event_id)
         VALUES ($1, $2, $3, $4,
                 (SELECT coalesce(max(id), 0) FROM task_events WHERE task_id = $1))
         ON CONFLICT DO NOTHING",
        &[&sub.task_id, &sub.platform, &sub.chat_id, &sub.thread_id],
    )? > 0)
}

pub(crate) fn unsubscribe(tx: &mut PgTx<'_>, sub: &Subscription) -> Result<bool> {
    Ok(tx.execute(
        "DELETE FROM notify_subs
         WHERE task_id = $1 AND platform = $2 AND chat_id = $3 AND thread_id = $4",
        &[&sub.task_id, &sub.platform, &sub.chat_id, &sub.thread_id],
    )? > 0)
}

pub(crate) fn subscriptions(tx: &mut PgTx<'_>, task: Option<&str>) -> Result<Vec<Subscription>> {
    tx.rows(
        "SELECT task_id, platform, chat_id, thread_id FROM notify_subs
         WHERE $1::text IS NULL OR task_id = $1
         ORDER BY task_id, platform, chat_id, thread_id",
        &[&task],
        |r| {
            Ok(Subscription {
                task_id: r.try_get(0)?,
                platform: r.try_get(1)?,
                chat_id: r.try_get(2)?,
                thread_id: r.try_get(3)?,
            })
        },
    )
}

pub(crate) fn prune_events(tx: &mut PgTx<'_>, before: f64) -> Result<usize> {
    tx.events_visible()?;
    Ok(tx.execute(
        "DELETE FROM task_events e
         WHERE e.created_at < $1
           AND e.id <= coalesce((SELECT min(s.last_event_id) FROM notify_subs s
                                 WHERE s.task_id = e.task_id), e.id)",
        &[&before],
    )? as usize)
}
