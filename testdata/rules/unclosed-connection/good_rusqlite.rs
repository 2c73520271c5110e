use rusqlite::Connection;

// rusqlite closes on drop.
pub fn count(path: &str) -> rusqlite::Result<i64> {
    let conn = Connection::open(path)?;
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0))
}
