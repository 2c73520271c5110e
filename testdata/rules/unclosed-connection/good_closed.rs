use sqlx::PgPool;

pub async fn database_is_up(url: &str) -> bool {
    let Ok(pool) = PgPool::connect(url).await else { return false };
    let up = sqlx::query("SELECT 1").execute(&pool).await.is_ok();
    pool.close().await;
    up
}
