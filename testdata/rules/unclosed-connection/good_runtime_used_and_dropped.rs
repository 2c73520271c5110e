// The pool is used and closed on the runtime that made it; only a plain
// value leaves the function.
pub fn count(url: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM t")
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        n
    })
}
