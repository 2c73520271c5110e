// And in an `if let`.
pub async fn maybe_client(url: &str) -> Option<tokio_postgres::Client> {
    if let Ok((client, _)) = tokio_postgres::connect(url, tokio_postgres::NoTls).await { //~ unpolled-connection
        return Some(client);
    }
    None
}
