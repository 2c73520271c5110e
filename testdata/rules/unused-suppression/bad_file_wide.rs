// connlint: allow-file(probe-connection) //~ unused-suppression
use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    tx.commit()
}
