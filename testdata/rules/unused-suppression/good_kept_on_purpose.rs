use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted-transaction, unused-suppression) the next change drops the commit
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    tx.commit()
}
