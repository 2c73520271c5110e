use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; // connlint: allow(uncommited-transaction) dry run //~ uncommitted-transaction unknown-rule-in-suppression
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
