// Class: a transaction held by the application's own type. Methods of a
// hand-made guard (BEGIN in the constructor, ROLLBACK in Drop), of a
// wrapper around a driver transaction (a consuming `commit(self)`), and of
// a struct holding one, all write inside that transaction, however they
// reach the connection (`self.conn`, `self.get_conn()?`, `self.connection()`).
use rusqlite::{Connection, Transaction};
use std::sync::MutexGuard;

pub struct DbTxn<'a> {
    conn: MutexGuard<'a, Connection>,
    committed: bool,
}

impl<'a> DbTxn<'a> {
    pub fn new(conn: MutexGuard<'a, Connection>) -> rusqlite::Result<Self> {
        conn.execute("BEGIN TRANSACTION", [])?;
        Ok(DbTxn { conn, committed: false })
    }

    pub fn clear(&mut self) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM memberof_t", [])?;
        self.conn.execute("DELETE FROM group_t", [])?;
        self.conn
            .execute("DELETE FROM account_t", [])?;
        Ok(())
    }

    pub fn commit(mut self) -> rusqlite::Result<()> {
        self.conn.execute("COMMIT TRANSACTION", [])?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for DbTxn<'_> {
    fn drop(&mut self) {
        if !self.committed {
            let _ = self.conn.execute("ROLLBACK TRANSACTION", []);
        }
    }
}

pub struct WriteTxn {
    conn: Option<Connection>,
}

impl WriteTxn {
    fn get_conn(&self) -> Result<&Connection, String> {
        self.conn.as_ref().ok_or_else(|| "committed".to_string())
    }

    pub fn write_entries(&self, ids: &[i64]) -> Result<(), String> {
        for id in ids {
            self.get_conn()?
                .execute("INSERT OR REPLACE INTO entries (id) VALUES (?1)", [id])
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    pub fn commit(mut self) -> Result<(), String> {
        let conn = self.conn.take().ok_or("committed")?;
        conn.execute_batch("COMMIT").map_err(|e| e.to_string())
    }
}

// Holds a driver transaction: every method writes inside it.
pub struct StoreWriter<'c> {
    tx: Option<Transaction<'c>>,
}

impl StoreWriter<'_> {
    fn connection(&self) -> &Connection {
        self.tx.as_ref().unwrap()
    }

    pub fn replace_state(&self, root: &str) -> rusqlite::Result<()> {
        self.connection().execute("DELETE FROM state_roots", [])?;
        self.connection().execute("INSERT INTO state_roots (root) VALUES (?1)", [root])?;
        Ok(())
    }
}
