pub fn fresh_each(names: &[&str]) {
    for _ in names {
        let conn = rusqlite::Connection::open("fresh.db").unwrap(); //~ with-tests connection-per-call
        conn.execute("INSERT INTO items DEFAULT VALUES", []).unwrap();
    }
}
