use tokio_postgres::NoTls;

pub async fn version(url: &str) -> Result<String, tokio_postgres::Error> {
    let pair = tokio_postgres::connect(url, NoTls).await?; //~ unpolled-connection
    let row = pair.0.query_one("SELECT version()", &[]).await?;
    Ok(row.get(0))
}
