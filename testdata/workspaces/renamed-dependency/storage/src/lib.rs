/// A new connection on every call.
pub fn open(path: &str) -> rusqlite::Result<rusqlite::Connection> {
    rusqlite::Connection::open(path) //~ connection-per-call (the open the worker member repeats in its loop)
}
