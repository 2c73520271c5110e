// A pool built to count rows does work, not a check: not a probe (its
// missing disconnect is unclosed-connection's business).
use mysql_async::prelude::Queryable;

pub async fn count(url: &str) -> mysql_async::Result<i64> {
    let pool = mysql_async::Pool::new(url); //~ unclosed-connection
    let mut conn = pool.get_conn().await?;
    let n: Option<i64> = conn.query_first("SELECT count(*) FROM tasks").await?;
    Ok(n.unwrap_or(0))
}
