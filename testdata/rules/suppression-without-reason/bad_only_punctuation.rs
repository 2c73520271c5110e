use rusqlite::Connection;

pub fn save(conn: &Connection) -> rusqlite::Result<()> {
    // connlint: allow(write-outside-transaction) --
    conn.execute("INSERT INTO a VALUES (1)", [])?; //~^ suppression-without-reason
    conn.execute("INSERT INTO b VALUES (2)", [])?;
    Ok(())
}
