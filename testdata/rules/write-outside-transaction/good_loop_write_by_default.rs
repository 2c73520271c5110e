// A write repeated by a loop, outside a transaction, is the `loop-write`
// pattern: pedantic, since the loops real applications write this way are
// mostly per-item maintenance that handles each item on its own (0 true of
// 9 findings on the application corpus). A default run says nothing.
use rusqlite::Connection;

fn mark_seen(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    for id in ids {
        conn.execute("UPDATE items SET seen = 1 WHERE id = ?1", [id])?;
    }
    Ok(())
}

fn purge_expired(conn: &Connection, tables: &[&str]) {
    for table in tables {
        if let Err(e) = conn.execute(&format!("DELETE FROM {table} WHERE expires < 0"), []) {
            eprintln!("purge of {table} failed: {e}");
        }
    }
}
