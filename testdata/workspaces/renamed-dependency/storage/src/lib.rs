/// A new connection on every call.
pub fn open(path: &str) -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open(path)
}
