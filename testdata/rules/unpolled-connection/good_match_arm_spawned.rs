// The arm binds the connection and spawns it.
pub async fn client(url: &str) -> Option<tokio_postgres::Client> {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await {
        Ok((client, connection)) => {
            tokio::spawn(async move {
                let _ = connection.await;
            });
            Some(client)
        }
        Err(_) => None,
    }
}
