//! Reads of single sessions and their messages, and full-text search.

use rusqlite::{params, Connection, OptionalExtension};

use super::{Message, SearchHit, Session};
use crate::error::Error;
use crate::Result;

const MESSAGE_COLUMNS: &str =
    "m.id, m.session_id, m.role, m.content, m.tool_name, m.tool_calls, m.timestamp, m.token_count";

fn message_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Message> {
    Ok(Message {
        id: r.get(0)?,
        session_id: r.get(1)?,
        role: r.get(2)?,
        content: r.get(3)?,
        tool_name: r.get(4)?,
        tool_calls: r.get(5)?,
        timestamp: r.get(6)?,
        token_count: r.get(7)?,
    })
}

/// The messages of a session, ordered by timestamp then id.
pub(crate) fn messages(conn: &Connection, session_id: &str) -> Result<Vec<Message>> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages m WHERE m.session_id = ?1 ORDER BY m.timestamp, m.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map([session_id], message_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// One session's row.
pub(crate) fn session(conn: &Connection, id: &str) -> Result<Option<Session>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, source, user_id, model, title, parent_session_id, started_at, ended_at,
                    end_reason, message_count, tool_call_count, input_tokens, output_tokens,
                    last_message_at
             FROM sessions WHERE id = ?1",
        )?
        .query_row([id], |r| {
            Ok(Session {
                id: r.get(0)?,
                source: r.get(1)?,
                user_id: r.get(2)?,
                model: r.get(3)?,
                title: r.get(4)?,
                parent_session_id: r.get(5)?,
                started_at: r.get(6)?,
                ended_at: r.get(7)?,
                end_reason: r.get(8)?,
                message_count: r.get(9)?,
                tool_call_count: r.get(10)?,
                input_tokens: r.get(11)?,
                output_tokens: r.get(12)?,
                last_message_at: r.get(13)?,
            })
        })
        .optional()?)
}

/// Whether a session with this id exists.
pub(crate) fn session_exists(conn: &Connection, id: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM sessions WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Messages matching the FTS5 `query`, best first, at most `limit`.
pub(crate) fn search(conn: &Connection, query: &str, limit: usize) -> Result<Vec<SearchHit>> {
    let sql = format!(
        "SELECT {MESSAGE_COLUMNS}, snippet(messages_fts, 0, '[', ']', '...', 12), f.rank
         FROM messages_fts f JOIN messages m ON m.id = f.rowid
         WHERE messages_fts MATCH ?1
         ORDER BY f.rank, m.id LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let hits = stmt
        .query_map(params![query, limit as i64], |r| {
            Ok(SearchHit {
                message: message_from_row(r)?,
                snippet: r.get(8)?,
                rank: r.get(9)?,
            })
        })
        .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>());
    hits.map_err(|e| match &e {
        // The statement is prepared: a plain SQLITE_ERROR while it runs comes from
        // FTS5 parsing the query ("unterminated string", "fts5: syntax error near",
        // "no such column" for a bad column filter). That is the caller's input, not
        // a database fault.
        rusqlite::Error::SqliteFailure(code, message)
            if code.extended_code == rusqlite::ffi::SQLITE_ERROR =>
        {
            Error::InvalidSearch {
                query: query.to_owned(),
                detail: message.clone().unwrap_or_else(|| e.to_string()),
            }
        }
        _ => e.into(),
    })
}
