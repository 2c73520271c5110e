#[cfg(test)]
mod tests;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

// Not gated, so that other crates' tests can use it.
pub mod testutil;

pub mod test_utils {
    pub fn reopen_per_step(steps: &[&str]) {
        for _ in steps {
            let conn = rusqlite::Connection::open("steps.db").unwrap(); //~ with-tests connection-per-call
            conn.execute("INSERT INTO steps DEFAULT VALUES", []).unwrap();
        }
    }
}

pub fn load(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM items", [], |row| row.get(0))
}
