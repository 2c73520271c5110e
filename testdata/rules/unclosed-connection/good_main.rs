#[tokio::main]
async fn main() -> Result<(), sqlx::Error> {
    let pool = sqlx::PgPool::connect("postgres://localhost/app").await?;
    sqlx::query("SELECT 1").execute(&pool).await?;
    Ok(())
}
