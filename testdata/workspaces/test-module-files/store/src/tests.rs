#[test]
fn loads_every_fixture() {
    for _ in 0..3 {
        let conn = rusqlite::Connection::open("fixture.db").unwrap(); //~ with-tests connection-per-call
        super::load(&conn).unwrap();
    }
}
