use rusqlite::{params, Connection};

pub fn append_message(conn: &mut Connection, session: &str, content: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "INSERT INTO messages (session_id, role, content, timestamp) VALUES (?1, 'user', ?2, unixepoch())",
        params![session, content],
    )?;
    tx.execute("UPDATE sessions SET message_count = message_count + 1 WHERE id = ?1", [session])?;
    tx.commit()
}

pub fn rotate(conn: &mut Connection, old: &str, new: &str) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("UPDATE sessions SET ended_at = unixepoch(), end_reason = 'compression' WHERE id = ?1", [old])?;
    tx.execute("INSERT INTO sessions (id, source, parent_session_id, started_at) VALUES (?1, 'cli', ?2, unixepoch())", [new, old])?;
    Ok(tx.commit()?)
}
