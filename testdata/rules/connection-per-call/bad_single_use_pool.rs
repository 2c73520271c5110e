use std::path::Path;

// A lookup that builds a whole pool (through a crate factory) to check out
// one connection, runs one query, and drops the pool: every call pays for a
// pool where one connection would do.
async fn sqlite_open<P: AsRef<Path>>(path: P) -> Result<sqlx::SqlitePool, sqlx::Error> {
    sqlx::SqlitePool::connect_with(
        sqlx::sqlite::SqliteConnectOptions::new()
            .filename(path)
            .read_only(true),
    )
    .await
}

pub async fn find_in_file<P: AsRef<Path>>(index: P, name: &str) -> Result<Option<i64>, sqlx::Error> {
    let pool = sqlite_open(index).await?; //~ connection-per-call
    let mut conn = pool.acquire().await?;
    let row: Option<(i64,)> = sqlx::query_as("SELECT start FROM files WHERE path = ?")
        .bind(name)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(row.map(|r| r.0))
}

// The same with an r2d2 pool built in place.
pub fn start_of(path: &str, name: &str) -> i64 {
    let pool = r2d2::Pool::new(r2d2_sqlite::SqliteConnectionManager::file(path)).unwrap(); //~ connection-per-call
    let conn = pool.get().unwrap();
    conn.query_row("SELECT start FROM files WHERE path = ?1", [name], |r| r.get(0))
        .unwrap_or(0)
}
