use rusqlite::Connection;

// A metadata provider seen in a real project: every method opens its own
// connection through `self.open_connection()`.
pub struct MetadataProvider {
    path: String,
}

impl MetadataProvider {
    fn open_connection(&self) -> rusqlite::Result<Connection> {
        Connection::open(&self.path) //~ connection-per-call
    }

    pub fn title(&self, id: &str) -> rusqlite::Result<String> {
        let conn = self.open_connection()?;
        conn.query_row("SELECT title FROM sessions WHERE id = ?1", [id], |r| r.get(0))
    }

    pub fn message_count(&self, id: &str) -> rusqlite::Result<i64> {
        let conn = self.open_connection()?;
        conn.query_row("SELECT message_count FROM sessions WHERE id = ?1", [id], |r| r.get(0))
    }

    pub fn model(&self, id: &str) -> rusqlite::Result<Option<String>> {
        self.open_connection()?.query_row("SELECT model FROM sessions WHERE id = ?1", [id], |r| r.get(0))
    }
}
