use rusqlite::{Connection, TransactionBehavior};

// One immediate transaction per board; `continue` skips the commit for
// boards that had nothing ready, after the heartbeat write.
pub fn tick(conn: &mut Connection, boards: &[i64]) -> rusqlite::Result<()> {
    for board in boards {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?; //~ uncommitted-transaction
        tx.execute("UPDATE boards SET heartbeat_at = unixepoch() WHERE id = ?1", [board])?;
        let ready: i64 = tx.query_row("SELECT count(*) FROM tasks WHERE board = ?1", [board], |r| r.get(0))?;
        if ready == 0 {
            continue;
        }
        tx.commit()?;
    }
    Ok(())
}
