// A pool pinged once at start-up and then kept for the program's work.
pub struct App {
    pool: sqlx::PgPool,
}

pub async fn start(url: &str) -> Result<App, sqlx::Error> {
    let pool = sqlx::PgPool::connect(url).await?;
    sqlx::query("SELECT 1").execute(&pool).await?;
    Ok(App { pool })
}
