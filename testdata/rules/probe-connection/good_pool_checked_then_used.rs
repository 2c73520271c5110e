// A pool whose check is followed by real work in the same function.
pub async fn migrate(url: &str) -> Result<(), sqlx::Error> {
    let pool = sqlx::PgPool::connect(url).await?;
    sqlx::query("SELECT 1").execute(&pool).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS t (id BIGINT)")
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(())
}
