#[cfg(test)]
mod tests;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM items", [], |row| row.get(0))
}
