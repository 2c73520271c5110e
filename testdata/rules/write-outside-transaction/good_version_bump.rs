// Near misses of bad_execute_all.rs: creating the schema is idempotent
// (`IF NOT EXISTS`) so re-running after a failure converges, a version bump
// alone changes no data, and the upgrade inside a transaction is atomic.
use rusqlite::Connection;

pub trait ConnExt {
    fn execute_all(&self, statements: &[&str]) -> rusqlite::Result<()>;
}

pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_all(&[
        "CREATE TABLE IF NOT EXISTS logins_local (guid TEXT PRIMARY KEY, created INTEGER)",
        "CREATE INDEX IF NOT EXISTS idx_created ON logins_local (created)",
        "PRAGMA user_version = 4",
    ])?;
    Ok(())
}

pub fn bump(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("PRAGMA user_version = 5")?;
    Ok(())
}

pub fn upgrade(conn: &Connection) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_all(&[
        "UPDATE logins_local SET created = created / 1000",
        "UPDATE logins_mirror SET created = created / 1000",
        "PRAGMA user_version = 4",
    ])?;
    tx.commit()
}
