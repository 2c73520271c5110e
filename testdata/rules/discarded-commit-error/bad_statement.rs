use rusqlite::Connection;

#[allow(unused_must_use)]
pub fn end_session(conn: &mut Connection, id: &str) {
    let tx = conn.transaction().unwrap();
    tx.execute("UPDATE sessions SET ended_at = unixepoch() WHERE id = ?1 AND ended_at IS NULL", [id]).unwrap();
    tx.commit(); //~ discarded-commit-error
}
