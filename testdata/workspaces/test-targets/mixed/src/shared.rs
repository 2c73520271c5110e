/// Declared by the library and by the test target: library code.
pub fn reload_each(names: &[&str]) {
    for _ in names {
        let conn = rusqlite::Connection::open("shared.db").unwrap(); //~ connection-per-call
        conn.execute("DELETE FROM cache", []).unwrap();
    }
}
