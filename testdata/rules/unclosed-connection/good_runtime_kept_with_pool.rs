// The runtime travels with the pool: it lives as long as the pool.
pub struct Store {
    runtime: tokio::runtime::Runtime,
    pool: sqlx::PgPool,
}

pub fn open(url: &str) -> Store {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let pool = runtime.block_on(sqlx::PgPool::connect(url)).unwrap();
    Store { runtime, pool }
}
