use rusqlite::{Connection, Transaction};

fn record_event(tx: &Transaction<'_>, task: &str, kind: &str) -> rusqlite::Result<()> {
    tx.execute("INSERT INTO task_events (task_id, kind) VALUES (?1, ?2)", [task, kind])?;
    Ok(())
}

// The write happens in a helper; the transaction is still dropped without
// commit.
pub fn block_task(conn: &mut Connection, task: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    record_event(&tx, task, "blocked")?;
    Ok(())
}
