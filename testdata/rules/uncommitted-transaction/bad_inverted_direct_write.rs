// Near misses of good_commit_after_plain_value.rs: the step is the write
// itself, its error kept in `inserted` past the commit; and a count whose
// write was not checked with `?`.
use rusqlite::Connection;

pub fn add(conn: &mut Connection, body: &str) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM drafts", [])?;
    let inserted = tx.execute("INSERT INTO notes (body) VALUES (?1)", [body]);
    tx.commit()?; //~ uncommitted-transaction
    inserted
}

pub fn add_counted(conn: &mut Connection, body: &str) -> rusqlite::Result<usize> {
    let tx = conn.transaction()?;
    let inserted = tx.execute("INSERT INTO notes (body) VALUES (?1)", [body]).map(|n| n + 1);
    tx.commit()?; //~ uncommitted-transaction
    inserted
}
