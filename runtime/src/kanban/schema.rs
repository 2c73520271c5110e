//! The task board schema (`kanban.db`), with the names the gateway and dashboard use.
//!
//! Version 1 (`PRAGMA user_version`) adds what issue 19 needed: `tasks.scheduled_at`
//! (when a `scheduled` task becomes ready), the notifier's watermark
//! (`notify_state`, see [`super::notifier`]) and an index for reading a task's
//! comments.

use crate::{Result, WriteTransaction};

/// The schema version this code writes to `PRAGMA user_version`.
pub(crate) const VERSION: i64 = 1;

/// Idempotent DDL for a new database, run once per handle by [`migrate`]. Indexes on
/// columns a version added come after the step that adds them, in [`migrate`].
pub(crate) const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS tasks (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    body TEXT,
    assignee TEXT,
    status TEXT NOT NULL,
    priority INTEGER NOT NULL DEFAULT 0,
    created_by TEXT,
    created_at REAL NOT NULL,
    started_at REAL,
    completed_at REAL,
    claim_lock TEXT,
    claim_expires REAL,
    worker_pid INTEGER,
    current_run_id INTEGER,
    idempotency_key TEXT,
    result TEXT,
    scheduled_at REAL
);
CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks(status, priority DESC, created_at);
CREATE INDEX IF NOT EXISTS idx_tasks_idempotency ON tasks(idempotency_key)
    WHERE idempotency_key IS NOT NULL;

CREATE TABLE IF NOT EXISTS task_links (
    parent_id TEXT NOT NULL REFERENCES tasks(id),
    child_id TEXT NOT NULL REFERENCES tasks(id),
    PRIMARY KEY (parent_id, child_id)
);
CREATE INDEX IF NOT EXISTS idx_task_links_child ON task_links(child_id);

CREATE TABLE IF NOT EXISTS task_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    author TEXT,
    body TEXT NOT NULL,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_task_comments_task ON task_comments(task_id, id);

CREATE TABLE IF NOT EXISTS task_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL,
    run_id INTEGER,
    kind TEXT NOT NULL,
    payload TEXT,
    created_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_task_events_task ON task_events(task_id, id);

CREATE TABLE IF NOT EXISTS task_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL REFERENCES tasks(id),
    status TEXT NOT NULL,
    claim TEXT,
    pid INTEGER,
    heartbeat_at REAL,
    started_at REAL NOT NULL,
    ended_at REAL,
    outcome TEXT,
    summary TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS idx_task_runs_task ON task_runs(task_id);

CREATE TABLE IF NOT EXISTS notify_subs (
    task_id TEXT NOT NULL,
    platform TEXT NOT NULL,
    chat_id TEXT NOT NULL,
    thread_id TEXT NOT NULL DEFAULT '',
    last_event_id INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (task_id, platform, chat_id, thread_id)
);

-- One row: the newest event id every subscription has been offered.
CREATE TABLE IF NOT EXISTS notify_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    watermark INTEGER NOT NULL
);
"#;

/// Creates the schema, or brings an existing one up to [`VERSION`], in one write
/// transaction.
///
/// Version 0 to 1: `tasks.scheduled_at` is added if missing, and the notifier's
/// watermark starts at the lowest subscription cursor (no subscription misses an
/// event it was owed; the first tick looks back that far once), or at the newest
/// event when nobody is subscribed.
pub(crate) fn migrate(tx: &WriteTransaction<'_>) -> Result<()> {
    tx.execute_batch(SCHEMA)?;
    let has_scheduled_at: bool = tx.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info('tasks') WHERE name = 'scheduled_at'",
        [],
        |r| r.get(0),
    )?;
    if !has_scheduled_at {
        tx.execute_batch("ALTER TABLE tasks ADD COLUMN scheduled_at REAL")?;
    }
    tx.execute_batch(
        "CREATE INDEX IF NOT EXISTS idx_tasks_scheduled ON tasks(scheduled_at)
             WHERE status = 'scheduled';
         INSERT OR IGNORE INTO notify_state(id, watermark) VALUES (1, coalesce(
             (SELECT min(last_event_id) FROM notify_subs),
             (SELECT max(id) FROM task_events),
             0));",
    )?;
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version < VERSION {
        tx.execute_batch(&format!("PRAGMA user_version = {VERSION}"))?;
    }
    Ok(())
}
