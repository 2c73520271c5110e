use rusqlite::{Connection, Transaction};

fn apply_changes(tx: &Transaction<'_>, changes: &[String]) -> rusqlite::Result<()> {
    for change in changes {
        tx.execute("INSERT INTO changes (body) VALUES (?1)", [change])?;
    }
    Ok(())
}

// The commit runs whatever `result` holds: when apply_changes fails half way,
// its partial writes are committed and the error is returned afterwards.
pub fn sync(conn: &mut Connection, changes: &[String]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let result = apply_changes(&tx, changes);
    tx.commit()?; //~ uncommitted-transaction
    result
}
