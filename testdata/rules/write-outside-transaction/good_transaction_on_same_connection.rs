// Class: a transaction begun on the connection covers the connection's own
// writes until it ends: `unchecked_transaction()` borrows the connection
// shared, so the code keeps writing on `conn` inside it; a wrapper's own
// `begin_transaction()` returning the application's transaction type; a
// helper handed the connection while such a transaction is alive.
use rusqlite::Connection;
use std::ops::Deref;

pub fn remove_old(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS to_remove (id INTEGER)", [])?;
    for id in ids {
        conn.execute("INSERT INTO to_remove (id) VALUES (?1)", [id])?;
    }
    conn.execute("DELETE FROM tabs WHERE id IN (SELECT id FROM to_remove)", [])?;
    tx.commit()?;
    Ok(())
}

pub struct PlacesDb {
    db: Connection,
}

impl Deref for PlacesDb {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.db
    }
}

pub struct PlacesTransaction<'a> {
    conn: &'a Connection,
}

impl PlacesTransaction<'_> {
    pub fn commit(self) -> rusqlite::Result<()> {
        self.conn.execute_batch("COMMIT")
    }
}

impl PlacesDb {
    pub fn begin_transaction(&self) -> rusqlite::Result<PlacesTransaction<'_>> {
        self.db.execute_batch("BEGIN")?;
        Ok(PlacesTransaction { conn: &self.db })
    }

    pub fn conn(&self) -> &Connection {
        &self.db
    }
}

fn delete_visits_in_tx(db: &PlacesDb, since: i64) -> rusqlite::Result<()> {
    db.execute("DELETE FROM visits WHERE date > ?1", [since])?;
    db.conn().execute("DELETE FROM places WHERE orphan = 1", [])?;
    Ok(())
}

pub fn delete_visits(db: &PlacesDb, since: i64) -> rusqlite::Result<()> {
    let tx = db.begin_transaction()?;
    delete_visits_in_tx(db, since)?;
    tx.commit()?;
    Ok(())
}

pub fn apply(db: &PlacesDb, external: bool) -> rusqlite::Result<()> {
    let tx = if external {
        None
    } else {
        Some(db.begin_transaction()?)
    };
    db.execute("DELETE FROM items_to_apply", [])?;
    db.execute("UPDATE meta SET applied = 1", [])?;
    if let Some(tx) = tx {
        tx.commit()?;
    }
    Ok(())
}
