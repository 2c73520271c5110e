use sqlx::AnyPool;

pub async fn tables(url: &str) -> Result<usize, sqlx::Error> {
    let pool = AnyPool::connect(url).await?; //~ unclosed-connection
    let rows = sqlx::query("SELECT name FROM sqlite_master").fetch_all(&pool).await?;
    let n = rows.len();
    Ok(n)
}
