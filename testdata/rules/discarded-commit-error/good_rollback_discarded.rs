use rusqlite::Connection;

// Discarding the result of a rollback on an error path is fine: the
// original error is what the caller needs, and a failed rollback still
// leaves nothing committed.
pub fn save(conn: &mut Connection, body: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    if let Err(e) = tx.execute("INSERT INTO notes (body) VALUES (?1)", [body]) {
        let _ = tx.rollback();
        return Err(e);
    }
    tx.commit()
}
