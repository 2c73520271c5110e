// A schema upgrade through an extension method that runs each statement
// of a slice: two non-idempotent UPDATEs and the version bump, each in its
// own autocommit. A failure between them re-runs the UPDATEs on the next
// open and corrupts the timestamps.
use rusqlite::Connection;
use std::ops::Deref;

const TO_MILLIS_LOCAL: &str = "UPDATE logins_local SET created = created / 1000";
const TO_MILLIS_MIRROR: &str = "UPDATE logins_mirror SET created = created / 1000";

lazy_static::lazy_static! {
    static ref SET_VERSION_SQL: String = format!("PRAGMA user_version = {}", 4);
}

pub trait ConnExt {
    fn execute_all(&self, statements: &[&str]) -> rusqlite::Result<()>;
}

pub struct LoginDb {
    db: Connection,
}

impl Deref for LoginDb {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        &self.db
    }
}

pub fn upgrade(db: &LoginDb, from: i64) -> rusqlite::Result<()> {
    if from < 4 {
        db.execute_all(&[TO_MILLIS_LOCAL, TO_MILLIS_MIRROR, &*SET_VERSION_SQL])?; //~ write-outside-transaction
    }
    Ok(())
}

// One data write beside the version bump: the bump says the write happened.
pub fn upgrade_one(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("UPDATE logins_local SET created = created / 1000; PRAGMA user_version = 5;")?; //~ write-outside-transaction
    Ok(())
}
