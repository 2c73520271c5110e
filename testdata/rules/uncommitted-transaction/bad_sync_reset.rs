// A sync-reset helper seen in a real project: it opens an unchecked
// transaction, makes two writes and returns Ok(()) without committing.
use rusqlite::{Connection, Result};

pub fn reset_sync_state(conn: &Connection) -> Result<()> {
    let tx = conn.unchecked_transaction()?; //~ uncommitted-transaction
    tx.execute("DELETE FROM sync_queue", [])?;
    tx.execute("UPDATE meta SET last_sync = NULL", [])?;
    Ok(())
}
