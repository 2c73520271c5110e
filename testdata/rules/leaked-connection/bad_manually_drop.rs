use std::mem::ManuallyDrop;

use rusqlite::Connection;

pub fn probe(path: &str) -> rusqlite::Result<i64> {
    let conn = ManuallyDrop::new(Connection::open(path)?); //~ leaked-connection
    conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))
}
