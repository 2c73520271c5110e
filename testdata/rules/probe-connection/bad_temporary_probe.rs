use rusqlite::Connection;

pub fn open(path: &str) -> rusqlite::Result<Connection> {
    let ok: String = Connection::open(path)?.query_row("PRAGMA quick_check", [], |r| r.get(0))?; //~ probe-connection
    if ok != "ok" {
        return Err(rusqlite::Error::InvalidQuery);
    }
    Connection::open(path)
}
