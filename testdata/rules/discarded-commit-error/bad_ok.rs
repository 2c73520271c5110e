use rusqlite::Connection;

pub fn heartbeat(conn: &mut Connection, run: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE task_runs SET heartbeat_at = unixepoch() WHERE id = ?1", [run])?;
    tx.commit().ok(); //~ discarded-commit-error
    Ok(())
}
