use rusqlite::Connection;

pub fn save(conn: &Connection) -> rusqlite::Result<()> {
    // connlint: allow(autocommit-writes) the writes are idempotent //~ unknown-rule-in-suppression
    conn.execute("INSERT INTO a VALUES (1)", [])?; //~ write-outside-transaction
    conn.execute("INSERT INTO b VALUES (2)", [])?;
    Ok(())
}
