use sqlx::SqliteConnection;
use sqlx::Connection;

// Leaving through `?` is an error path; the happy path closes.
pub async fn version(url: &str) -> Result<i64, sqlx::Error> {
    let mut conn = SqliteConnection::connect(url).await?;
    let (v,): (i64,) = sqlx::query_as("PRAGMA user_version").fetch_one(&mut conn).await?;
    conn.close().await?;
    Ok(v)
}
