use sqlx::sqlite::SqliteConnectOptions;
use sqlx::ConnectOptions;

// Retry-once loops: a few counted attempts that leave as soon as a step
// succeeds. The lookup opens a different index file per archive anyway.
async fn open_index(path: &str) -> sqlx::Result<sqlx::SqliteConnection> {
    SqliteConnectOptions::new().filename(path).read_only(true).connect().await
}

async fn find(path: &str, key: &str) -> sqlx::Result<Option<i64>> {
    let mut conn = open_index(path).await?;
    sqlx::query_scalar("SELECT start FROM files WHERE path = ?").bind(key).fetch_optional(&mut conn).await
}

pub async fn stream(path: &str, key: &str) -> Result<i64, String> {
    for attempt in 0..2 {
        let start = find(path, key).await.map_err(|e| e.to_string())?.ok_or("missing")?;
        match fetch_range(start).await {
            Ok(bytes) => return Ok(bytes),
            Err(e) if attempt == 0 => purge(path, &e),
            Err(e) => return Err(e),
        }
    }
    Err("unreachable".into())
}

pub async fn with_repair(path: &str, key: &str) -> Result<Option<i64>, String> {
    let mut attempt = 0;
    while attempt < 3 {
        attempt += 1;
        if let Ok(found) = find(path, key).await {
            return Ok(found);
        }
        purge(path, "broken index");
    }
    Err("gave up".into())
}

async fn fetch_range(start: i64) -> Result<i64, String> {
    Ok(start)
}

fn purge(_path: &str, _why: &str) {}
