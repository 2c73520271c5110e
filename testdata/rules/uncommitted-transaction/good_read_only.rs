use rusqlite::Connection;

// A transaction used only for a consistent snapshot of several reads may be
// dropped: there is nothing to lose.
pub fn snapshot(conn: &mut Connection) -> rusqlite::Result<(i64, i64)> {
    let tx = conn.transaction()?;
    let tasks: i64 = tx.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0))?;
    let events: i64 = tx.query_row("SELECT count(*) FROM task_events", [], |r| r.get(0))?;
    let mut stmt = tx.prepare("SELECT id FROM tasks WHERE status = 'ready'")?;
    let _ready: Vec<String> = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
    Ok((tasks, events))
}
