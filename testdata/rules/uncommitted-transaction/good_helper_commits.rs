use rusqlite::{Connection, Transaction};

fn finish(tx: Transaction<'_>, task: &str) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO task_events (task_id, kind) VALUES (?1, 'done')", [task])?;
    tx.commit()
}

// The callee receives the transaction by value and commits it.
pub fn complete(conn: &mut Connection, task: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE tasks SET status = 'done' WHERE id = ?1", [task])?;
    finish(tx, task)
}
