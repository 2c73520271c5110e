use std::path::PathBuf;

use rusqlite::Connection;

pub struct Board {
    conn: Connection,
}

// "Same database" follows local aliases.
pub fn open(dir: &str) -> rusqlite::Result<Board> {
    let path = PathBuf::from(dir).join("kanban.db");
    let probe_path = path.clone();
    let probe = Connection::open(&probe_path)?; //~ probe-connection
    let _: i64 = probe.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))?;
    drop(probe);
    let conn = Connection::open(path.as_path())?;
    Ok(Board { conn })
}
