use rusqlite::{Connection, Transaction};

// Every caller hands `claim` a transaction (which derefs to Connection), so
// its two writes are inside the caller's transaction.
fn claim(conn: &Connection, id: &str, worker: &str) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO task_runs (task_id, claim) VALUES (?1, ?2)", [id, worker])?;
    conn.execute("UPDATE tasks SET claim_lock = ?2 WHERE id = ?1", [id, worker])?;
    Ok(())
}

fn claim_all(tx: &Transaction<'_>, ids: &[String]) -> rusqlite::Result<()> {
    for id in ids {
        claim(tx, id, "w1")?;
    }
    Ok(())
}

pub fn run(conn: &mut Connection, ids: &[String]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    claim_all(&tx, ids)?;
    claim(&tx, "t_extra", "w2")?;
    tx.commit()
}
