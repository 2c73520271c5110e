/// Opens the application's database: a new connection on every call.
pub fn open_db() -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open("app.db") //~ connection-per-call (the open the request handler in the server member repeats)
}

pub fn count_users(conn: &rusqlite::Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM users", [], |row| row.get(0))
}
