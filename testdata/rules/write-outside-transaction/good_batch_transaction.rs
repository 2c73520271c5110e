use rusqlite::Connection;

// One execute_batch holding BEGIN … COMMIT is atomic.
pub fn reset(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "BEGIN;
         DELETE FROM task_events;
         DELETE FROM tasks;
         UPDATE meta SET reset_at = unixepoch();
         COMMIT;",
    )
}
