// A set-up connection that sets persistent pragmas (journal mode, page
// size) and checkpoints, dropped before the main connection: set-up, not a
// check.
pub fn open(path: &str) -> rusqlite::Result<rusqlite::Connection> {
    {
        let setup = rusqlite::Connection::open(path)?;
        setup.execute_batch("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; PRAGMA wal_checkpoint(RESTART);")?;
    }
    let conn = rusqlite::Connection::open(path)?;
    Ok(conn)
}

pub fn open_single(path: &str) -> rusqlite::Result<rusqlite::Connection> {
    {
        let setup = rusqlite::Connection::open(path)?;
        setup.execute_batch("PRAGMA journal_mode = WAL")?;
    }
    rusqlite::Connection::open(path)
}
