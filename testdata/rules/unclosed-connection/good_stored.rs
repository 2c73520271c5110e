use sqlx::SqlitePool;

pub struct AppState {
    pub pool: SqlitePool,
}

pub async fn state(url: &str) -> Result<AppState, sqlx::Error> {
    let pool = SqlitePool::connect(url).await?;
    Ok(AppState { pool })
}

pub async fn shared(url: &str, states: &mut Vec<SqlitePool>) -> Result<(), sqlx::Error> {
    let pool = SqlitePool::connect(url).await?;
    states.push(pool.clone());
    Ok(())
}
