use tokio_postgres::NoTls;

pub async fn names(url: &str) -> Result<Vec<String>, tokio_postgres::Error> {
    let (client, _connection) = tokio_postgres::connect(url, NoTls).await?; //~ unpolled-connection
    let rows = client.query("SELECT name FROM users", &[]).await?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}
