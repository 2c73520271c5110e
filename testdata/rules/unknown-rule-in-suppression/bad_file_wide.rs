// connlint: allow-file(uncommitted-transactions) //~ unknown-rule-in-suppression
use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
