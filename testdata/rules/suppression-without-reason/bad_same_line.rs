use rusqlite::Connection;

pub fn reset(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; // connlint: allow(uncommitted-transaction)
    tx.execute("DELETE FROM sessions", [])?; //~^ suppression-without-reason
    Ok(())
}
