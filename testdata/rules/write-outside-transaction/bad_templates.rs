//@ pedantic
// A write repeated by a loop is the pedantic `loop-write` pattern (0 true of
// 9 findings on the application corpus): selected here.
use rusqlite::Connection;

pub fn purge(conn: &Connection, table: &str) -> rusqlite::Result<()> {
    conn.execute(&format!("DELETE FROM {table} WHERE archived = 1"), [])?; //~ write-outside-transaction
    conn.execute(concat!("UPDATE stats ", "SET purged = purged + 1"), [])?;
    Ok(())
}

pub fn iterator_writes(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    ids.iter().try_for_each(|id| {
        conn.execute("DELETE FROM tasks WHERE id = ?1", [id]).map(|_| ()) //~ write-outside-transaction
    })
}
