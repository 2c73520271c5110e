// The struct's `Drop` drops the field: not leaked.
use std::mem::ManuallyDrop;

pub struct Session {
    conn: ManuallyDrop<rusqlite::Connection>,
}

impl Session {
    pub fn open(path: &str) -> rusqlite::Result<Session> {
        let conn = ManuallyDrop::new(rusqlite::Connection::open(path)?);
        Ok(Session { conn })
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // SAFETY: the field is not used after this.
        unsafe { ManuallyDrop::drop(&mut self.conn) }
    }
}
