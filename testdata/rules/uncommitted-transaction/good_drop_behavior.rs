use rusqlite::{Connection, DropBehavior};

pub fn log_visit(conn: &mut Connection, page: &str) -> rusqlite::Result<()> {
    let mut tx = conn.transaction()?;
    tx.set_drop_behavior(DropBehavior::Commit);
    tx.execute("INSERT INTO visits (page) VALUES (?1)", [page])?;
    Ok(())
}

pub fn finish_explicitly(conn: &mut Connection) -> rusqlite::Result<()> {
    let mut tx = conn.transaction()?;
    tx.set_drop_behavior(DropBehavior::Commit);
    tx.execute("DELETE FROM visits WHERE page = ''", [])?;
    tx.finish()
}
