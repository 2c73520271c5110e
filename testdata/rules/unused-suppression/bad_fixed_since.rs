use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    // connlint: allow(uncommitted-transaction) dry run, rolled back on drop //~ unused-suppression
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    tx.commit()
}
