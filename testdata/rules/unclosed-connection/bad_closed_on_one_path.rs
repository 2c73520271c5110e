use sqlx::MySqlPool;

pub async fn purge(url: &str, dry_run: bool) -> Result<u64, sqlx::Error> {
    let pool = MySqlPool::connect(url).await?; //~ unclosed-connection
    if dry_run {
        return Ok(0);
    }
    let done = sqlx::query("DELETE FROM sessions WHERE ended_at IS NOT NULL").execute(&pool).await?;
    pool.close().await;
    Ok(done.rows_affected())
}
