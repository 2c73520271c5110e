// Near misses of bad_deref_wrapper.rs: the transaction on the wrapper is
// committed, or it only reads.
use rusqlite::Connection;
use std::ops::Deref;
use std::sync::Mutex;

pub struct Db {
    writer: Connection,
}

impl Deref for Db {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.writer
    }
}

pub struct Store {
    db: Mutex<Db>,
}

fn put_meta(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("REPLACE INTO meta (key, value) VALUES ('last_sync', 0)", [])?;
    Ok(())
}

pub fn reset_sync(store: &Store) -> rusqlite::Result<()> {
    let db = &store.db.lock().unwrap();
    let tx = db.unchecked_transaction()?;
    put_meta(&tx)?;
    tx.commit()?;
    Ok(())
}

pub fn count(store: &Store) -> rusqlite::Result<i64> {
    let db = store.db.lock().unwrap();
    let tx = db.unchecked_transaction()?;
    let n = tx.query_row("SELECT count(*) FROM meta", [], |r| r.get(0))?;
    Ok(n)
}
