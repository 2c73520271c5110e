// The error is taken as a value, the pool closed, then the error returned.
pub async fn schema_version(url: &str) -> Result<i64, sqlx::Error> {
    let pool = sqlx::PgPool::connect(url).await?;
    let result: Result<(i64,), sqlx::Error> = sqlx::query_as("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await;
    pool.close().await;
    Ok(result?.0)
}
