use sqlx::{Connection, SqliteConnection};

pub async fn schema_version(url: &str) -> Result<i64, sqlx::Error> {
    let mut conn = SqliteConnection::connect(url).await?; //~ unclosed-connection
    let (version,): (i64,) = sqlx::query_as("PRAGMA user_version").fetch_one(&mut conn).await?;
    Ok(version)
}
