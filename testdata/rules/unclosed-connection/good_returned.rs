use sqlx::postgres::{PgPool, PgPoolOptions};

pub async fn pool(url: &str) -> Result<PgPool, sqlx::Error> {
    let pool = PgPoolOptions::new().max_connections(8).connect(url).await?;
    sqlx::query("SELECT 1").execute(&pool).await?;
    Ok(pool)
}
