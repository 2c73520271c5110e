use rusqlite::Connection;

// A hand-written BEGIN … COMMIT: errors leave through `?`, every normal
// path commits.
pub fn replace_links(conn: &Connection, parent: &str, children: &[String]) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    conn.execute("DELETE FROM task_links WHERE parent_id = ?1", [parent])?;
    for child in children {
        conn.execute("INSERT INTO task_links (parent_id, child_id) VALUES (?1, ?2)", [parent, child])?;
    }
    conn.execute_batch("COMMIT")?;
    Ok(())
}
