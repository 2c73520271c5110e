//! The session store schema (`state.db`), with the names the web UI and the agent use.
//!
//! Version 2 rebuilds the full-text index once: a file upgraded from version 0 got
//! the `messages_fts` table and its triggers then, but the messages it already had
//! were never indexed, so searching them found nothing.
//!
//! Version 1 (`PRAGMA user_version`) adds one denormalised column to `sessions`:
//! `last_message_at`, the newest message time of the session (NULL while it has none).
//! With `message_count`, which the schema already had, it lets the sidebar listing read
//! `sessions` alone instead of aggregating `messages`. Both are maintained by
//! [`SessionStore::append_message`](super::SessionStore::append_message) in the
//! message's own write transaction; deleting a session deletes its messages with it.

use crate::WriteTransaction;

use crate::Result;

/// The schema version this code writes to `PRAGMA user_version`.
pub(crate) const VERSION: i64 = 2;

/// Idempotent DDL for a new database, run once per handle by [`migrate`].
pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    user_id TEXT,
    model TEXT,
    title TEXT,
    parent_session_id TEXT REFERENCES sessions(id),
    started_at REAL NOT NULL,
    ended_at REAL,
    end_reason TEXT,
    message_count INTEGER NOT NULL DEFAULT 0,
    tool_call_count INTEGER NOT NULL DEFAULT 0,
    input_tokens INTEGER NOT NULL DEFAULT 0,
    output_tokens INTEGER NOT NULL DEFAULT 0,
    last_message_at REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS idx_sessions_title_unique
    ON sessions(title) WHERE title IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_sessions_parent ON sessions(parent_session_id);
CREATE INDEX IF NOT EXISTS idx_sessions_started ON sessions(started_at DESC);

CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    role TEXT NOT NULL,
    content TEXT,
    tool_name TEXT,
    tool_calls TEXT,
    timestamp REAL NOT NULL,
    token_count INTEGER
);
CREATE INDEX IF NOT EXISTS idx_messages_session ON messages(session_id, timestamp);

CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts
    USING fts5(content, content='messages', content_rowid='id');
CREATE TRIGGER IF NOT EXISTS messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
END;
CREATE TRIGGER IF NOT EXISTS messages_fts_update AFTER UPDATE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
END;
"#;

/// Creates the schema, or brings an existing one up to [`VERSION`], inside one
/// `BEGIN IMMEDIATE` transaction (another process opening at the same time waits for
/// it, then finds the work done).
///
/// Version 0 to 1: `ALTER TABLE sessions ADD COLUMN last_message_at`, then both
/// denormalised columns are recomputed from `messages`, so the listing of an upgraded
/// file is exactly what the aggregate query answered before. The column is added only
/// if it is missing, so a file whose `user_version` was set by another tool, or one
/// that a newer build created, is handled too.
pub(crate) fn migrate(tx: &WriteTransaction<'_>) -> Result<()> {
    tx.execute_batch(SCHEMA)?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let has_column: bool = tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('sessions') WHERE name = 'last_message_at'",
        [],
        |r| r.get(0),
    )?;
    if !has_column {
        tx.execute_batch("ALTER TABLE sessions ADD COLUMN last_message_at REAL")?;
    }
    if version < 1 || !has_column {
        tx.execute_batch(
            "UPDATE sessions SET
                message_count = (SELECT count(*) FROM messages WHERE session_id = sessions.id),
                last_message_at = (SELECT max(timestamp) FROM messages WHERE session_id = sessions.id)",
        )?;
    }
    if version < 2 {
        // Reads `messages` in full, once; a new file has nothing to read.
        tx.execute_batch("INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')")?;
    }
    if version < VERSION {
        tx.execute_batch(&format!("PRAGMA user_version = {VERSION}"))?;
    }
    Ok(())
}
