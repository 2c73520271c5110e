use rusqlite::Connection;

// An example that drops a transaction on purpose to show the rollback, with
// the finding silenced by a reasoned suppression.
pub fn show_rollback_on_drop(conn: &mut Connection) -> rusqlite::Result<i64> {
    {
        // connlint: allow(uncommitted-transaction) this example shows that dropping rolls back
        let tx = conn.transaction()?;
        tx.execute("INSERT INTO notes (body) VALUES ('never kept')", [])?;
    }
    conn.query_row("SELECT count(*) FROM notes", [], |r| r.get(0))
}
