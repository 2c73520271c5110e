use rusqlite::Connection;

// Only some paths write, but on those the transaction is dropped without
// commit.
pub fn touch(conn: &mut Connection, stale: bool) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    let count: i64 = tx.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?;
    if stale && count > 0 {
        tx.execute_batch("DELETE FROM sessions WHERE ended_at IS NOT NULL")?;
    }
    Ok(())
}
