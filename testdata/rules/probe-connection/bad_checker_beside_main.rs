use rusqlite::Connection;

// A second connection to the same file, opened beside the main one just to
// run a check, then dropped.
pub fn open_checked(path: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    {
        let checker = Connection::open(path)?; //~ probe-connection
        let mode: String = checker.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if mode != "wal" {
            conn.pragma_update(None, "journal_mode", "WAL")?;
        }
    }
    Ok(conn)
}
