use tokio_postgres::NoTls;

pub async fn count(url: &str) -> Result<i64, tokio_postgres::Error> {
    let (client, _) = tokio_postgres::connect(url, NoTls).await?; //~ unpolled-connection
    let row = client.query_one("SELECT count(*) FROM tasks", &[]).await?;
    Ok(row.get(0))
}
