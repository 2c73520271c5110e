use rusqlite::Connection;

#[derive(Debug)]
pub enum StoreError {
    NotFound,
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Db(e)
    }
}

// Leaving through `?` or `return Err(..)` rolls back on purpose.
pub fn complete(conn: &mut Connection, id: &str) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    let changed = tx.execute("UPDATE tasks SET status = 'done' WHERE id = ?1 AND status = 'running'", [id])?;
    if changed == 0 {
        return Err(StoreError::NotFound);
    }
    tx.execute("INSERT INTO task_events (task_id, kind) VALUES (?1, 'completed')", [id])?;
    tx.commit()?;
    Ok(())
}

pub fn checked(conn: &mut Connection, id: &str) -> anyhow::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM task_links WHERE child_id = ?1", [id])?;
    if id.is_empty() {
        anyhow::bail!("empty id");
    }
    let n: i64 = tx.query_row("SELECT count(*) FROM task_links", [], |r| r.get(0))?;
    if n > 100 {
        panic!("too many links");
    }
    tx.commit()?;
    Ok(())
}
