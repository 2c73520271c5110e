use diesel::prelude::*;

use crate::schema::*;

// Two glob imports: `SqliteConnection` can only come from diesel's prelude
// (the schema module declares tables, not connections), so `connect` is a
// factory, and every logged message opens the database.
mod schema {
    pub struct Messages;
}

pub struct MessageLog {
    path: String,
}

impl MessageLog {
    pub fn log_outbound(&self, message: &str) {
        if let Some(mut conn) = self.connect() {
            diesel::sql_query("INSERT INTO outbound (body) VALUES (?)")
                .bind::<diesel::sql_types::Text, _>(message)
                .execute(&mut conn)
                .ok();
        }
    }

    pub fn log_inbound(&self, message: &str) {
        if let Some(mut conn) = self.connect() {
            diesel::sql_query("INSERT INTO inbound (body) VALUES (?)")
                .bind::<diesel::sql_types::Text, _>(message)
                .execute(&mut conn)
                .ok();
        }
    }

    fn connect(&self) -> Option<SqliteConnection> {
        if let Ok(connection) = SqliteConnection::establish(&self.path) { //~ connection-per-call
            Some(connection)
        } else {
            None
        }
    }
}
