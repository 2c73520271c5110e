pub fn fill(conn: &rusqlite::Connection, n: i64) {
    conn.execute("INSERT INTO items (n) VALUES (?1)", [n]).unwrap();
}
