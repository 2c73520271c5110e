use rusqlite::Connection;

const SCHEMA_TASKS: &str = "CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, title TEXT)";

// Idempotent DDL and PRAGMAs are safe to repeat after a failure.
pub fn init(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("PRAGMA foreign_keys = ON", [])?;
    conn.execute(SCHEMA_TASKS, [])?;
    conn.execute("CREATE TABLE IF NOT EXISTS task_events (id INTEGER PRIMARY KEY, task_id TEXT)", [])?;
    conn.execute("CREATE INDEX IF NOT EXISTS idx_events_task ON task_events(task_id)", [])?;
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
    Ok(())
}
