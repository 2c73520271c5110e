// The same check with a pool limited to one connection, closed after.
use mysql_async::{OptsBuilder, PoolConstraints, PoolOpts};

pub async fn test_connection(url: &str) -> Result<bool, mysql_async::Error> {
    let opts = mysql_async::Opts::from_url(url)?;
    let constraints = PoolConstraints::new(0, 1).unwrap();
    let opts = OptsBuilder::from_opts(opts).pool_opts(PoolOpts::default().with_constraints(constraints));
    let pool = mysql_async::Pool::new(opts);
    let ok = match pool.get_conn().await {
        Ok(mut conn) => conn.ping().await.is_ok(),
        Err(_) => false,
    };
    pool.disconnect().await?;
    Ok(ok)
}

pub async fn sqlx_check(url: &str) -> bool {
    let Ok(pool) = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
    else {
        return false;
    };
    let up = sqlx::query("SELECT 1").execute(&pool).await.is_ok();
    pool.close().await;
    up
}
