// Wrapped first, then moved into a struct with no `Drop`.
use std::mem::ManuallyDrop;

pub struct Pool {
    inner: ManuallyDrop<rusqlite::Connection>,
}

pub fn make(path: &str) -> rusqlite::Result<Pool> {
    let inner = ManuallyDrop::new(rusqlite::Connection::open(path)?); //~ leaked-connection
    Ok(Pool { inner })
}
