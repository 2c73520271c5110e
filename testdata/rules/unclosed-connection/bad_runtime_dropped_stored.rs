// The same through a current-thread runtime, the pool kept in a struct.
pub struct Store {
    pool: sqlx::SqlitePool,
}

pub fn open(url: &str) -> Result<Store, sqlx::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let pool = runtime.block_on(sqlx::SqlitePool::connect(url))?; //~ unclosed-connection
    Ok(Store { pool })
}
