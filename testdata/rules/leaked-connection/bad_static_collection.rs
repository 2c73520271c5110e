use std::sync::Mutex;

use rusqlite::Connection;

static OPEN_CONNECTIONS: Mutex<Vec<Connection>> = Mutex::new(Vec::new());

// Each call keeps one more connection alive for the life of the process.
pub fn remember(path: &str) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    conn.execute("INSERT INTO visits DEFAULT VALUES", [])?;
    OPEN_CONNECTIONS.lock().unwrap().push(conn); //~ leaked-connection
    Ok(())
}
