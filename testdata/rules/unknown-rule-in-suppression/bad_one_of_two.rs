use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted-transaction, probe-connexion) dry run //~ unknown-rule-in-suppression
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
