use rusqlite::Connection;

// "Keep it open for the rest of the process" by forgetting it: three file
// descriptors per call that nothing will ever close.
pub fn warm_up(path: &str) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    conn.execute_batch("PRAGMA journal_mode = WAL")?;
    std::mem::forget(conn); //~ leaked-connection
    Ok(())
}
