use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    /* connlint: allow(uncommitted-transaction) */ let tx = conn.transaction()?; //~ suppression-without-reason
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
