// A `take()` whose value is kept is a hand-off: the new owner closes it.
pub struct Service {
    pool: Option<sqlx::PgPool>,
}

async fn close_later(pool: Option<sqlx::PgPool>) {
    if let Some(pool) = pool {
        pool.close().await;
    }
}

impl Service {
    pub async fn restart(&mut self) {
        let old = self.pool.take();
        close_later(old).await;
    }
}
