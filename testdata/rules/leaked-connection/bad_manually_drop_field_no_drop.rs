// A connection kept in a `ManuallyDrop` field of a struct with no `Drop`:
// nothing ever drops it.
use std::mem::ManuallyDrop;

pub struct Session {
    conn: ManuallyDrop<rusqlite::Connection>,
    user: String,
}

impl Session {
    pub fn open(path: &str, user: String) -> rusqlite::Result<Session> {
        let conn = rusqlite::Connection::open(path)?;
        Ok(Session {
            conn: ManuallyDrop::new(conn), //~ leaked-connection
            user,
        })
    }
}
