/// Benchmark set-up: each round starts from a fresh database.
pub fn fill(rounds: usize) {
    for _ in 0..rounds {
        let conn = rusqlite::Connection::open("bench.db").unwrap(); //~ with-tests connection-per-call
        conn.execute("INSERT INTO items DEFAULT VALUES", []).unwrap();
    }
}
