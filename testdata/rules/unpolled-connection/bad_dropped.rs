use tokio_postgres::NoTls;

pub async fn ping(url: &str) -> bool {
    let Ok((client, connection)) = tokio_postgres::connect(url, NoTls).await else { return false }; //~ unpolled-connection
    drop(connection);
    client.simple_query("SELECT 1").await.is_ok()
}
