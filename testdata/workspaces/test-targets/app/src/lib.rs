pub fn count(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM items", [], |row| row.get(0))
}
