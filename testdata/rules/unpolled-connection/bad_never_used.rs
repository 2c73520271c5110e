use tokio_postgres::{Client, NoTls};

pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    #[allow(unused_variables)]
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?; //~ unpolled-connection
    Ok(client)
}
