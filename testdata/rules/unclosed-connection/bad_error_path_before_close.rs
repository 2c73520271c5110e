// A pool built to read one check value, closed on the way out, except when
// the query fails: the `?` returns with the pool still open.
pub async fn schema_version(url: &str) -> Result<i64, sqlx::Error> {
    let pool = sqlx::PgPool::connect(url).await?; //~ unclosed-connection
    let (version,): (i64,) = sqlx::query_as("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await?;
    pool.close().await;
    Ok(version)
}
