// A sync helper that builds a runtime to connect, returns the pool and
// drops the runtime: the pool's connection tasks stop with it.
pub fn make_pool(url: &str) -> sqlx::PgPool {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        sqlx::PgPool::connect(url).await.unwrap() //~ unclosed-connection
    })
}
