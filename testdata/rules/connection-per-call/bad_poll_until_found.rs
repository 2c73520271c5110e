use std::time::Duration;

use rusqlite::Connection;

// A near-miss of a retry loop: a counted loop that waits between attempts
// and leaves on a condition of the data. That is polling, and every poll
// opens a connection.
fn job_ready(path: &str, id: i64) -> rusqlite::Result<bool> {
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.query_row("SELECT done FROM jobs WHERE id = ?1", [id], |r| r.get(0))
}

pub fn wait_for(path: &str, id: i64) -> bool {
    for _ in 0..600 {
        if job_ready(path, id).unwrap_or(false) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}
