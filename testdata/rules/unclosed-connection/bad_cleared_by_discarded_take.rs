// `take()` whose value is thrown away drops the pool as `= None` does.
pub struct Cache {
    pool: Option<sqlx::SqlitePool>,
}

impl Cache {
    pub fn forget(&mut self) {
        self.pool.take(); //~ unclosed-connection
    }

    pub fn forget_too(&mut self) {
        let _ = self.pool.take(); //~ unclosed-connection
    }
}
