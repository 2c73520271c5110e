use rusqlite::{params, Connection};

pub struct Item {
    pub id: String,
    pub tags: Vec<String>,
}

pub struct Store {
    conn: Connection,
}

impl Store {
    // A bulk save seen in a real project: several INSERTs per item on a
    // shared connection, one autocommit (and one fsync) each.
    pub fn save_all(&self, items: &[Item]) -> rusqlite::Result<()> {
        for item in items {
            self.conn.execute("INSERT OR REPLACE INTO items (id) VALUES (?1)", params![item.id])?; //~ write-outside-transaction
            for tag in &item.tags {
                self.conn.execute("INSERT INTO item_tags (item_id, tag) VALUES (?1, ?2)", params![item.id, tag])?;
            }
        }
        Ok(())
    }
}
