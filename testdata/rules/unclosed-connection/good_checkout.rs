use sqlx::PgPool;

// A connection checked out of a pool goes back to it on drop.
pub async fn one(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT 1").execute(&mut *conn).await?;
    Ok(())
}
