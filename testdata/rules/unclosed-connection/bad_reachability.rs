use sqlx::PgPool;

// A reachability check seen in a real project: it builds a pool to run
// SELECT 1 and returns, dropping the pool without closing it.
pub async fn database_is_up(url: &str) -> bool {
    let Ok(pool) = PgPool::connect(url).await else { return false }; //~ unclosed-connection
    sqlx::query("SELECT 1").execute(&pool).await.is_ok()
}
