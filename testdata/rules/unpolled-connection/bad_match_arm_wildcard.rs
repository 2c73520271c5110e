// The connection half dropped in a `match` arm's pattern, as in a `let`.
pub async fn client(url: &str) -> Option<tokio_postgres::Client> {
    match tokio_postgres::connect(url, tokio_postgres::NoTls).await { //~ unpolled-connection
        Ok((client, _)) => Some(client),
        Err(_) => None,
    }
}
