use tokio_postgres::{Client, Connection, NoTls, Socket};
use tokio_postgres::tls::NoTlsStream;

pub struct Db {
    pub client: Client,
    pub connection: Option<Connection<Socket, NoTlsStream>>,
}

pub async fn open(url: &str) -> Result<Db, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    Ok(Db { client, connection: Some(connection) })
}
