// One connection for the check, disconnected after: what the pool case
// should do.
pub async fn test_connection(url: &str) -> Result<bool, mysql_async::Error> {
    let mut conn = mysql_async::Conn::from_url(url).await?;
    let ok = conn.ping().await.is_ok();
    conn.disconnect().await?;
    Ok(ok)
}
