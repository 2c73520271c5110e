use std::mem::ManuallyDrop;

use rusqlite::Connection;

pub struct Handle {
    conn: ManuallyDrop<Connection>,
}

impl Drop for Handle {
    fn drop(&mut self) {
        unsafe { ManuallyDrop::drop(&mut self.conn) };
    }
}

pub fn handle(path: &str) -> rusqlite::Result<Handle> {
    let conn = ManuallyDrop::new(Connection::open(path)?);
    Ok(Handle { conn })
}

pub fn unwrap_later(path: &str) -> rusqlite::Result<Connection> {
    let conn = ManuallyDrop::new(Connection::open(path)?);
    conn.execute_batch("PRAGMA foreign_keys = ON")?;
    Ok(ManuallyDrop::into_inner(conn))
}
