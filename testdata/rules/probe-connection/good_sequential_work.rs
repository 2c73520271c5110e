use rusqlite::Connection;

// Two separate pieces of work, one after the other: neither is a probe.
pub fn migrate_then_open(path: &str) -> rusqlite::Result<Connection> {
    {
        let migrator = Connection::open(path)?;
        migrator.execute_batch("CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY)")?;
        migrator.execute("INSERT OR IGNORE INTO meta (k, v) VALUES ('version', '3')", [])?;
    }
    Connection::open(path)
}
