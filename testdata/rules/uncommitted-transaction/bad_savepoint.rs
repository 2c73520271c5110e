use rusqlite::Connection;

// The outer transaction commits, but the savepoint holding the second
// insert is dropped (rolled back) first.
pub fn import(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut tx = conn.transaction()?;
    tx.execute("INSERT INTO batches (name) VALUES ('import')", [])?;
    {
        let sp = tx.savepoint()?; //~ uncommitted-transaction
        sp.execute("INSERT INTO rows (batch) VALUES (1)", [])?;
    }
    tx.commit()
}
