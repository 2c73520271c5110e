pub fn reset_all(n: usize) {
    for _ in 0..n {
        let conn = rusqlite::Connection::open("it.db").unwrap(); //~ with-tests connection-per-call
        conn.execute("DELETE FROM items", []).unwrap();
    }
}
