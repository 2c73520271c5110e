// A rusqlite connection (or any value whose drop closes it) may be
// cleared: dropping it is the close.
pub struct Store {
    conn: Option<rusqlite::Connection>,
    name: Option<String>,
}

impl Store {
    pub fn close(&mut self) {
        self.conn = None;
        self.name = None;
    }
}
