use rusqlite::Connection;

// A hand-made transaction guard: BEGIN in the constructor, ROLLBACK in Drop
// unless committed.
pub struct TxGuard<'c> {
    conn: &'c Connection,
    done: bool,
}

impl<'c> TxGuard<'c> {
    pub fn begin(conn: &'c Connection) -> rusqlite::Result<Self> {
        conn.execute_batch("BEGIN")?;
        conn.execute("INSERT INTO audit (what) VALUES ('begin')", [])?;
        Ok(TxGuard { conn, done: false })
    }

    pub fn commit(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("COMMIT")
    }
}

impl Drop for TxGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.conn.execute_batch("ROLLBACK");
        }
    }
}
