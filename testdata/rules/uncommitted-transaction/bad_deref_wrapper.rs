// A crate type that derefs to a connection, reached through a `Mutex`
// guard: a transaction opened on it is a transaction. The only write is in
// a helper, through an extension method that runs the SQL it is given.
use rusqlite::{Connection, Transaction};
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

pub trait ConnExt {
    fn execute_cached(&self, sql: &str) -> rusqlite::Result<usize>;
}

fn put_meta(conn: &Connection, key: &str) -> rusqlite::Result<()> {
    conn.execute_cached("REPLACE INTO meta (key, value) VALUES ('last_sync', 0)")?;
    let _ = key;
    Ok(())
}

pub fn reset_sync(store: &Store) -> rusqlite::Result<()> {
    let db = &store.db.lock().unwrap();
    let tx = db.unchecked_transaction()?; //~ uncommitted-transaction
    put_meta(&tx, "last_sync")?;
    Ok(())
}

pub fn reset_sync_direct(store: &Store) -> rusqlite::Result<()> {
    let db = store.db.lock().unwrap();
    let tx: Transaction<'_> = db.unchecked_transaction()?; //~ uncommitted-transaction
    tx.execute("DELETE FROM sync_state", [])?;
    Ok(())
}
