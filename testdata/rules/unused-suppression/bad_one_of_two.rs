use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted-transaction, probe-connection) dry run //~ unused-suppression
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
