use std::path::Path;

use rusqlite::Connection;

fn is_healthy(path: &Path) -> bool {
    let Ok(probe) = Connection::open(path) else { return false };
    probe
        .query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0))
        .map(|s| s == "ok")
        .unwrap_or(false)
}

// The probe lives in a helper; the finding is at the call.
pub fn open_store(path: &Path) -> rusqlite::Result<Connection> {
    if !is_healthy(path) { //~ probe-connection
        eprintln!("{} looks corrupt", path.display());
    }
    let conn = Connection::open(path)?;
    Ok(conn)
}
