use rusqlite::{Connection, Transaction};

pub struct Batch<'c> {
    tx: Transaction<'c>,
    rows: usize,
}

// Returned, stored or handed over by value: the receiver decides.
pub fn begin_import(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    let tx = conn.transaction()?;
    tx.execute("INSERT INTO imports (started_at) VALUES (unixepoch())", [])?;
    Ok(tx)
}

pub fn batch(conn: &mut Connection) -> rusqlite::Result<Batch<'_>> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM staging", [])?;
    Ok(Batch { tx, rows: 0 })
}

pub fn hand_over(conn: &mut Connection, sink: &mut Vec<Transaction<'_>>) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM staging", [])?;
    consume(tx);
    Ok(())
}

fn consume(tx: Transaction<'_>) {
    let _ = tx.execute("SELECT 1", []);
    tx.commit().expect("commit");
}
