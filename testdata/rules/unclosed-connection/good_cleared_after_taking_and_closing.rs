// Taking the pool out and closing it, then clearing the field: closed.
pub struct Reports {
    pool: Option<sqlx::PgPool>,
}

impl Reports {
    pub async fn shutdown(&mut self) {
        if let Some(pool) = self.pool.take() {
            pool.close().await;
        }
        self.pool = None;
    }

    pub async fn close_in_place(&mut self) {
        if let Some(pool) = &self.pool {
            pool.close().await;
        }
        self.pool = None;
    }
}
