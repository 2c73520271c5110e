use rusqlite::{Connection, Transaction};

fn claim(conn: &Connection, id: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO task_runs (task_id) VALUES (?1)", [id])?; //~ write-outside-transaction
    conn.execute("UPDATE tasks SET status = 'running' WHERE id = ?1", [id])?;
    Ok(())
}

pub fn in_transaction(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    claim(tx, "t_1")
}

// One caller passes a plain connection: the writes can be torn apart.
pub fn in_autocommit(conn: &Connection) -> rusqlite::Result<()> {
    claim(conn, "t_2")
}
