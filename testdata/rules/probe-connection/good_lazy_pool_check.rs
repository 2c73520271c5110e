// An sqlx pool opens connections on demand: one `SELECT 1` opens one.
pub async fn database_is_up(url: &str) -> bool {
    let Ok(pool) = sqlx::PgPool::connect(url).await else {
        return false;
    };
    let up = sqlx::query("SELECT 1").execute(&pool).await.is_ok();
    pool.close().await;
    up
}
