// An sqlx pool kept in a struct and reset by assigning `None`.
pub struct Reports {
    pool: Option<sqlx::PgPool>,
}

impl Reports {
    pub fn reset(&mut self) {
        self.pool = None; //~ unclosed-connection
    }
}
