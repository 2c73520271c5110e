use rusqlite::{Connection, OpenFlags};

// A long-lived reader and writer kept together are not probes.
pub struct Store {
    writer: Connection,
    reader: Connection,
}

pub fn open(path: &str) -> rusqlite::Result<Store> {
    let writer = Connection::open(path)?;
    let reader = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    Ok(Store { writer, reader })
}

pub fn open_pair(path: &str) -> rusqlite::Result<(Connection, Connection)> {
    let a = Connection::open(path)?;
    let b = Connection::open(path)?;
    Ok((a, b))
}
