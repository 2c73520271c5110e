mod fill;

#[test]
fn counts_grow() {
    for n in 0..3 {
        let conn = rusqlite::Connection::open("test.db").unwrap(); //~ with-tests connection-per-call
        fill::fill(&conn, n);
    }
}
