use sqlx::sqlite::{SqliteConnection, SqlitePool};
use sqlx::Connection;

// A reachability probe on its own connection, then the real pool.
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let mut probe = SqliteConnection::connect(url).await?; //~ probe-connection unclosed-connection
    sqlx::query("SELECT 1").execute(&mut probe).await?;
    let pool = SqlitePool::connect(url).await?;
    Ok(pool)
}
