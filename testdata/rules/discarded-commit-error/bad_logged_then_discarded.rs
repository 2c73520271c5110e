use rusqlite::Connection;

// Logging the error does not tell the caller that the writes are gone.
pub fn save(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("INSERT INTO notes (body) VALUES ('x')", [])?;
    let _ = tx.commit().map_err(|e| eprintln!("commit failed: {e}")); //~ discarded-commit-error
    Ok(())
}
