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

// Dropping what may not be there and adding a column only when missing
// converge too: run again after a failure, they finish the job.
pub fn drop_cover_indexes(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("DROP INDEX IF EXISTS top_frecent_cover_idx;")?;
    conn.execute_batch("DROP INDEX IF EXISTS idx_visits_place_type;")?;
    conn.execute("ALTER TABLE tasks ADD COLUMN IF NOT EXISTS priority INTEGER", [])?;
    conn.execute("DROP TABLE IF EXISTS old_tasks", [])?;
    Ok(())
}
