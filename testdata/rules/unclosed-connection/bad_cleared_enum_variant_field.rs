// A stored mysql_async pool, in a field of an enum variant, dropped by
// clearing the field: its server sessions linger without `disconnect`.
use std::sync::Arc;

pub enum Database {
    MySql {
        url: String,
        pool: Option<Arc<mysql_async::Pool>>,
    },
    Sqlite {
        conn: Option<rusqlite::Connection>,
    },
}

pub struct Connection {
    pub database: Database,
}

pub fn disconnect(connection: &mut Connection) {
    match &mut connection.database {
        Database::MySql { pool, .. } => {
            *pool = None; //~ unclosed-connection
        }
        Database::Sqlite { conn } => *conn = None,
    }
}
