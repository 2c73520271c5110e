use rusqlite::Connection;

pub fn create_session(conn: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    conn.execute("INSERT OR IGNORE INTO sessions (id, source, started_at) VALUES (?1, 'cli', unixepoch())", [id])?;
    let mut stmt = conn.prepare("SELECT id FROM sessions ORDER BY started_at DESC LIMIT 200")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    let _n: i64 = conn.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
    Ok(ids)
}
