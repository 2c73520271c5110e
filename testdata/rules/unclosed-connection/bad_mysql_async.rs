use mysql_async::prelude::*;
use mysql_async::Pool;

pub async fn count(url: &str) -> mysql_async::Result<i64> {
    let pool = Pool::new(url); //~ unclosed-connection
    let mut conn = pool.get_conn().await?;
    let n: Option<i64> = conn.query_first("SELECT count(*) FROM tasks").await?;
    Ok(n.unwrap_or(0))
}
