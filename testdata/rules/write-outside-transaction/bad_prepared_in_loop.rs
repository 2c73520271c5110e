//@ pedantic
// A write repeated by a loop is the pedantic `loop-write` pattern (0 true of
// 9 findings on the application corpus): selected here.
use rusqlite::Connection;

pub fn import(conn: &Connection, rows: &[(String, String)]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare("INSERT INTO sessions (id, source, started_at) VALUES (?1, ?2, unixepoch())")?;
    for (id, source) in rows {
        stmt.execute([id, source])?; //~ write-outside-transaction
    }
    Ok(())
}
