use std::path::Path;

use rusqlite::Connection;

// The task-board incident: an integrity check on a separate probe
// connection before the main one, whose journal step comes later.
pub fn open_board(path: &Path) -> rusqlite::Result<Connection> {
    let probe = Connection::open(path)?; //~ probe-connection
    let status: String = probe.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    drop(probe);
    if status != "ok" {
        std::fs::copy(path, path.with_extension("corrupt.bak")).ok();
    }
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(conn)
}
