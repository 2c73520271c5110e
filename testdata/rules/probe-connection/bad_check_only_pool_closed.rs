// Closing the pool afterwards does not help: it opened its default ten
// sessions for one ping.
pub async fn reachable(url: &str) -> bool {
    let pool = mysql_async::Pool::new(url); //~ probe-connection
    let ok = match pool.get_conn().await {
        Ok(mut conn) => conn.ping().await.is_ok(),
        Err(_) => false,
    };
    let _ = pool.disconnect().await;
    ok
}
