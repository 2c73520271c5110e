// Class: a data-access object built over a transaction. `write` wraps the
// DAO around `&tx` and commits; the DAO's methods write through its `conn`
// field, inside that transaction. A read path builds the same DAO over a
// plain connection and hands it out for reads.
use rusqlite::Connection;
use std::sync::Mutex;

pub struct Dao<'a> {
    conn: &'a Connection,
}

impl<'a> Dao<'a> {
    fn new(conn: &'a Connection) -> Self {
        Dao { conn }
    }

    pub fn add_items(&self, items: &[String]) -> rusqlite::Result<()> {
        for item in items {
            self.conn.execute("INSERT INTO items (name) VALUES (?1)", [item])?;
        }
        self.conn.execute("UPDATE lists SET count = count + 1", [])?;
        Ok(())
    }
}

pub struct ListDb {
    conn: Mutex<Connection>,
}

impl ListDb {
    pub fn read<T>(&self, op: impl FnOnce(&Dao) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let conn = self.conn.lock().unwrap();
        let dao = Dao::new(&conn);
        op(&dao)
    }

    pub fn write<T>(&self, op: impl FnOnce(&mut Dao) -> rusqlite::Result<T>) -> rusqlite::Result<T> {
        let mut conn = self.conn.lock().unwrap();
        let tx = conn.transaction()?;
        let mut dao = Dao::new(&tx);
        let result = op(&mut dao)?;
        tx.commit()?;
        Ok(result)
    }
}

pub struct RawDao<'a> {
    conn: &'a Connection,
}

impl RawDao<'_> {
    pub fn clear(&self) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM dismissals", [])?;
        self.conn.execute("DELETE FROM dismissal_counts", [])?;
        Ok(())
    }
}

pub fn clear_in_tx(conn: &mut Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    RawDao { conn: &tx }.clear()?;
    tx.commit()
}
