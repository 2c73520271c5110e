use std::time::Duration;

use rusqlite::Connection;

// Each helper opens its own connection; the loop calls them every tick.
fn pending_events(path: &str) -> rusqlite::Result<i64> {
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.query_row("SELECT count(*) FROM task_events WHERE delivered = 0", [], |r| r.get(0))
}

fn release_stale(path: &str) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.execute("UPDATE tasks SET claim_lock = NULL WHERE claim_expires < unixepoch()", [])?;
    Ok(())
}

pub fn gateway(path: &str) -> rusqlite::Result<()> {
    loop {
        std::thread::sleep(Duration::from_secs(5));
        if pending_events(path)? > 0 {
            release_stale(path)?;
        }
    }
}
