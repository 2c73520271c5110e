use std::sync::{Mutex, OnceLock};

use rusqlite::Connection;

static CONN: OnceLock<&'static Mutex<Connection>> = OnceLock::new();

// Leaking once, inside a one-time initializer, is how a 'static handle is
// made.
pub fn conn() -> &'static Mutex<Connection> {
    CONN.get_or_init(|| Box::leak(Box::new(Mutex::new(Connection::open("app.db").unwrap()))))
}
