use rusqlite::{params, Connection};

pub enum Outcome {
    Done,
    Failed(String),
}

// Only the success branch commits; the failure branch writes the error and
// falls off the end, so the error row is rolled back.
pub fn finish_run(conn: &mut Connection, run: i64, outcome: Outcome) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    match outcome {
        Outcome::Done => {
            tx.execute("UPDATE task_runs SET status = 'done' WHERE id = ?1", params![run])?;
            tx.commit()?;
        }
        Outcome::Failed(error) => {
            tx.execute("UPDATE task_runs SET error = ?2 WHERE id = ?1", params![run, error])?;
        }
    }
    Ok(())
}

pub fn maybe_commit(conn: &mut Connection, keep: bool) -> rusqlite::Result<()> {
    let tx = conn.transaction()?; //~ uncommitted-transaction
    tx.execute("DELETE FROM cache", [])?;
    if keep {
        tx.commit()?;
    }
    Ok(())
}
