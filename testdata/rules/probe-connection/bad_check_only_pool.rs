// A "test connection" button that builds a whole mysql_async pool (up to
// ten server sessions by default) to ping once, then drops it.
pub async fn test_connection(url: &str) -> Result<bool, mysql_async::Error> {
    let opts = mysql_async::Opts::from_url(url)?;
    let pool = mysql_async::Pool::new(opts); //~ probe-connection unclosed-connection
    match pool.get_conn().await {
        Ok(mut conn) => {
            conn.ping().await?;
            Ok(true)
        }
        Err(_) => Ok(false),
    }
}
