/// Seeds one fresh database per fixture name.
pub fn seed_all(names: &[&str]) {
    for _ in names {
        let conn = rusqlite::Connection::open("fixtures.db").unwrap(); //~ with-tests connection-per-call
        conn.execute("INSERT INTO seeds DEFAULT VALUES", []).unwrap();
    }
}
