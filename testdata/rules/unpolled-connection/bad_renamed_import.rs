use tokio_postgres as pg;

pub async fn count(url: &str) -> Result<i64, pg::Error> {
    let (db, _conn) = pg::connect(url, pg::NoTls).await?; //~ unpolled-connection
    Ok(db.query_one("SELECT count(*) FROM t", &[]).await?.get(0))
}
