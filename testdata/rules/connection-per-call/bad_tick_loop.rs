use std::time::Duration;

use rusqlite::Connection;

// A board gateway's notifier: every five-second tick opens kanban.db again.
pub async fn run_notifier(board_path: String) -> rusqlite::Result<()> {
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        let conn = Connection::open(&board_path)?; //~ connection-per-call
        let mut stmt = conn.prepare("SELECT id, kind FROM task_events WHERE id > ?1")?;
        let _events = stmt.query_map([0], |r| r.get::<_, i64>(0))?.count();
    }
}

// The dispatcher: once a minute, a new connection through a helper factory.
fn open_board(path: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

pub fn run_dispatcher(board_path: &str) -> rusqlite::Result<()> {
    loop {
        std::thread::sleep(Duration::from_secs(60));
        let conn = open_board(board_path)?;
        conn.execute("UPDATE tasks SET claim_lock = NULL WHERE claim_expires < unixepoch()", [])?;
    }
}
