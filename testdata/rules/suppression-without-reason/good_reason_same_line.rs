use rusqlite::Connection;

pub fn save(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO a VALUES (1)", [])?; // connlint: allow(write-outside-transaction): the second insert is idempotent
    conn.execute("INSERT INTO b VALUES (2)", [])?;
    Ok(())
}
