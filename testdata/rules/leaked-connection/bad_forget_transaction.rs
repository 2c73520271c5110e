use std::mem::forget;

use rusqlite::Connection;

// A forgotten transaction holds its write lock for the connection's life.
pub fn begin_and_forget(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM cache", [])?;
    tx.commit()?;
    let tx = conn.transaction()?;
    forget(tx); //~ leaked-connection
    Ok(())
}
