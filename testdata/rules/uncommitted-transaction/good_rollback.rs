use rusqlite::Connection;

pub fn try_claim(conn: &mut Connection, id: &str, worker: u32) -> rusqlite::Result<bool> {
    let tx = conn.transaction()?;
    let changed = tx.execute(
        "UPDATE tasks SET status = 'running', worker_pid = ?2 WHERE id = ?1 AND status = 'ready'",
        rusqlite::params![id, worker],
    )?;
    if changed == 1 {
        tx.commit()?;
        Ok(true)
    } else {
        tx.rollback()?;
        Ok(false)
    }
}

pub fn dry_run(conn: &mut Connection, apply: bool) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM tasks WHERE status = 'archived'", [])?;
    match apply {
        true => tx.commit(),
        false => tx.rollback(),
    }
}
