//! The agent's writes: create, append, end, rotate and delete. Each runs inside the
//! store's write transaction (or a savepoint of the caller's).

use rusqlite::{params, OptionalExtension};

use super::{NewMessage, NewSession};
use crate::error::Error;
use crate::{Result, WriteTransaction};

/// Inserts a session. With `if_new`, an existing id is not an error (`Ok(false)`);
/// otherwise it fails as the primary key does. A title another session already has
/// is [`Error::DuplicateTitle`] either way: titles are unique, and callers need to
/// tell "exists already" from "pick another title".
pub(crate) fn insert_session(
    tx: &WriteTransaction<'_>,
    s: &NewSession,
    if_new: bool,
) -> Result<bool> {
    if if_new
        && tx
            .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?
            .query_row([&s.id], |_| Ok(()))
            .optional()?
            .is_some()
    {
        return Ok(false);
    }
    if let Some(title) = &s.title {
        let holder: Option<String> = tx
            .prepare_cached("SELECT id FROM sessions WHERE title = ?1")?
            .query_row([title], |r| r.get(0))
            .optional()?;
        if let Some(holder) = holder {
            return Err(Error::DuplicateTitle {
                title: title.clone(),
                session: holder,
            });
        }
    }
    tx.prepare_cached(
        "INSERT INTO sessions(id, source, user_id, model, title, parent_session_id, started_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        s.id,
        s.source,
        s.user_id,
        s.model,
        s.title,
        s.parent_session_id,
        s.started_at
    ])?;
    Ok(true)
}

/// Ends a session unless it ended already (the first reason wins).
pub(crate) fn end_session(
    tx: &WriteTransaction<'_>,
    id: &str,
    reason: &str,
    ended_at: f64,
) -> Result<bool> {
    let changed = tx
        .prepare_cached(
            "UPDATE sessions SET ended_at = ?2, end_reason = ?3 WHERE id = ?1 AND ended_at IS NULL",
        )?
        .execute(params![id, ended_at, reason])?;
    Ok(changed > 0)
}

/// Appends a message and updates the session's counters; the message id.
pub(crate) fn append_message(
    tx: &WriteTransaction<'_>,
    session_id: &str,
    message: &NewMessage,
) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO messages(session_id, role, content, tool_name, tool_calls, timestamp, token_count)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        session_id,
        message.role,
        message.content,
        message.tool_name,
        message.tool_calls,
        message.timestamp,
        message.token_count
    ])?;
    let id = tx.last_insert_rowid();
    let tokens = message.token_count.unwrap_or(0);
    let (input, output) = match message.role.as_str() {
        "user" => (tokens, 0),
        "assistant" => (0, tokens),
        _ => (0, 0),
    };
    // The denormalised columns the listing reads, in the message's transaction.
    let updated = tx
        .prepare_cached(
            "UPDATE sessions SET message_count = message_count + 1,
                tool_call_count = tool_call_count + ?2,
                input_tokens = input_tokens + ?3, output_tokens = output_tokens + ?4,
                last_message_at = max(coalesce(last_message_at, ?5), ?5)
             WHERE id = ?1",
        )?
        .execute(params![
            session_id,
            i64::from(message.tool_calls.is_some()),
            input,
            output,
            message.timestamp
        ])?;
    if updated != 1 {
        return Err(rusqlite::Error::QueryReturnedNoRows.into());
    }
    Ok(id)
}

/// Ends `old_id` with `compression` (unless it ended) and creates `child` as its
/// continuation.
pub(crate) fn rotate(tx: &WriteTransaction<'_>, old_id: &str, child: &NewSession) -> Result<()> {
    end_session(tx, old_id, "compression", child.started_at)?;
    let mut child = child.clone();
    child.parent_session_id = Some(old_id.to_owned());
    insert_session(tx, &child, false)?;
    Ok(())
}

/// Orphans the session's children, deletes its messages, then the session; whether
/// it existed.
pub(crate) fn delete_session(tx: &WriteTransaction<'_>, session_id: &str) -> Result<bool> {
    tx.prepare_cached("UPDATE sessions SET parent_session_id = NULL WHERE parent_session_id = ?1")?
        .execute([session_id])?;
    tx.prepare_cached("DELETE FROM messages WHERE session_id = ?1")?
        .execute([session_id])?;
    Ok(tx
        .prepare_cached("DELETE FROM sessions WHERE id = ?1")?
        .execute([session_id])?
        > 0)
}
