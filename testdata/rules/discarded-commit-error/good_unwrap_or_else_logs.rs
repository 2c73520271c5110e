use rusqlite::Connection;

pub fn save(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("INSERT INTO notes (body) VALUES ('x')", [])?;
    tx.commit().unwrap_or_else(|e| panic!("commit failed: {e}"));
    Ok(())
}
