use std::sync::Mutex;

use lazy_static::lazy_static;
use rusqlite::Connection;

lazy_static! {
    static ref CONN: Mutex<Connection> = Mutex::new(Connection::open("app.db").unwrap());
}

pub fn count() -> i64 {
    CONN.lock().unwrap().query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
}
