use tokio_postgres::{Client, Connection, NoTls, Socket};
use tokio_postgres::tls::NoTlsStream;

fn drive(connection: Connection<Socket, NoTlsStream>) {
    tokio::spawn(connection);
}

pub async fn connect(url: &str) -> Result<Client, tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    drive(connection);
    Ok(client)
}
