use rusqlite::Connection;

pub fn bump(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE counters SET n = n + 1", [])?;
    _ = tx.commit(); //~ discarded-commit-error
    Ok(())
}
