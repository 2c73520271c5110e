use rusqlite::Connection;

// A hand-written BEGIN whose early return leaves the transaction open on
// the connection: the writes are neither committed nor rolled back.
pub fn replace_links(conn: &Connection, parent: &str, children: &[String]) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?; //~ write-outside-transaction
    conn.execute("DELETE FROM task_links WHERE parent_id = ?1", [parent])?;
    if children.is_empty() {
        return Ok(());
    }
    for child in children {
        conn.execute("INSERT INTO task_links (parent_id, child_id) VALUES (?1, ?2)", [parent, child])?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}
