use diesel::prelude::*;

use crate::db::*;

// Two glob imports where the crate's own module declares the name: the
// crate's `SqliteConnection` wins and opens nothing. And the diesel one
// opened once and kept.
mod db {
    pub struct SqliteConnection;

    impl SqliteConnection {
        pub fn establish(_path: &str) -> Result<SqliteConnection, ()> {
            Ok(SqliteConnection)
        }
    }
}

pub struct MessageLog {
    path: String,
}

impl MessageLog {
    pub fn log_outbound(&self) -> bool {
        self.connect().is_some()
    }

    pub fn log_inbound(&self) -> bool {
        self.connect().is_some()
    }

    fn connect(&self) -> Option<SqliteConnection> {
        SqliteConnection::establish(&self.path).ok()
    }
}

pub struct KeptLog {
    conn: diesel::SqliteConnection,
}

impl KeptLog {
    pub fn new(path: &str) -> Option<KeptLog> {
        let conn = diesel::SqliteConnection::establish(path).ok()?;
        Some(KeptLog { conn })
    }

    pub fn count(&mut self) -> usize {
        diesel::sql_query("SELECT 1").execute(&mut self.conn).unwrap_or(0)
    }
}
