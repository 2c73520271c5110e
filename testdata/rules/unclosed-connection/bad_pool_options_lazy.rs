use sqlx::sqlite::SqlitePoolOptions;

pub async fn vacuum(url: &str) -> Result<(), sqlx::Error> {
    let pool = SqlitePoolOptions::new().connect(url).await?; //~ unclosed-connection
    sqlx::query("VACUUM").execute(&pool).await?;
    Ok(())
}
