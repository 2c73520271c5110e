use tokio_postgres::NoTls;

pub async fn client(url: &str) -> Result<tokio_postgres::Client, tokio_postgres::Error> {
    let client = tokio_postgres::connect(url, NoTls).await?.0; //~ unpolled-connection
    Ok(client)
}
