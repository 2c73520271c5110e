use rusqlite::Connection;

pub fn close_explicitly(path: &str) -> Result<(), (Connection, rusqlite::Error)> {
    let conn = Connection::open(path).expect("open");
    conn.execute_batch("PRAGMA optimize").expect("optimize");
    conn.close()
}

pub fn dropped(path: &str) {
    let conn = Connection::open(path).expect("open");
    drop(conn);
}
