use rusqlite::Connection;

// The early return added for the empty case skips the commit, and the
// audit row written before it is rolled back.
pub fn archive_tasks(conn: &mut Connection, ids: &[String]) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    tx.execute("INSERT INTO audit (what) VALUES ('archive')", [])?;
    if ids.is_empty() {
        return Ok(0);
    }
    for id in ids {
        tx.execute("UPDATE tasks SET status = 'archived' WHERE id = ?1", [id])?;
    }
    tx.commit()?;
    Ok(ids.len())
}
