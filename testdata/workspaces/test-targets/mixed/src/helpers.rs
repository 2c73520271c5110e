mod reset;

pub fn seed(n: usize) {
    for _ in 0..n {
        let conn = rusqlite::Connection::open("it.db").unwrap(); //~ with-tests connection-per-call
        conn.execute("INSERT INTO items DEFAULT VALUES", []).unwrap();
    }
    reset::reset_all(n);
}
