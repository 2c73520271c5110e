// The connection comes out of a getter, and the writing function names no
// database type: only the getter's declared result tells that `conn()`
// hands out a connection.
use rusqlite::Connection;

pub struct Store {
    db: Connection,
}

impl Store {
    pub fn conn(&self) -> &Connection {
        &self.db
    }
}

pub fn move_card(store: &Store, card: i64, column: i64) {
    store.conn().execute("DELETE FROM placements WHERE card = ?1", [card]).unwrap(); //~ write-outside-transaction
    store.conn().execute("INSERT INTO placements (card, col) VALUES (?1, ?2)", [card, column]).unwrap();
}
