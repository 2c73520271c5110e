use std::path::Path;

use rusqlite::Connection;

// The check runs on the main connection, after the journal step.
pub fn open_board(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    let status: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if status != "ok" {
        eprintln!("integrity: {status}");
    }
    Ok(conn)
}
