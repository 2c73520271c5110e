use rusqlite::Connection;

pub fn delete_session(conn: &mut Connection, id: &str) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE sessions SET parent_session_id = NULL WHERE parent_session_id = ?1", [id])?;
    tx.execute("DELETE FROM messages WHERE session_id = ?1", [id])?;
    let deleted = tx.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    let _ = tx.commit(); //~ discarded-commit-error
    Ok(deleted > 0)
}
