// The first connection is closed before the second opens: one at a time.
pub fn vacuum(path: &str) -> Result<(), rusqlite::Error> {
    let first = rusqlite::Connection::open(path)?;
    first.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
    first.close().map_err(|(_, e)| e)?;
    let second = rusqlite::Connection::open(path)?;
    second.execute_batch("VACUUM")?;
    Ok(())
}
