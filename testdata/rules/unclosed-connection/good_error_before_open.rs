// An error return before the pool exists, or from its own open, drops no
// pool.
pub async fn schema_version(url: &str, table: &str) -> Result<i64, sqlx::Error> {
    if table.is_empty() {
        return Err(sqlx::Error::RowNotFound);
    }
    let pool = sqlx::PgPool::connect(url).await?;
    let n: (i64,) = sqlx::query_as("SELECT count(*) FROM meta")
        .fetch_one(&pool)
        .await
        .unwrap_or((0,));
    pool.close().await;
    Ok(n.0)
}
