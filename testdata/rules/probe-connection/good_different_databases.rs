use rusqlite::Connection;

// The backup is checked on its own connection: a different database.
pub fn restore(backup: &str, live: &str) -> rusqlite::Result<Connection> {
    let check = Connection::open(backup)?;
    let status: String = check.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    drop(check);
    assert_eq!(status, "ok");
    Connection::open(live)
}
