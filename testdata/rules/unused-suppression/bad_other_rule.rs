use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; // connlint: allow(write-outside-transaction) batch job //~ uncommitted-transaction unused-suppression
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
