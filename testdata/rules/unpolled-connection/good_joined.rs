use tokio_postgres::NoTls;

pub async fn once(url: &str) -> Result<(), tokio_postgres::Error> {
    let (client, connection) = tokio_postgres::connect(url, NoTls).await?;
    let work = async move { client.batch_execute("VACUUM").await };
    let (done, _) = tokio::join!(work, connection);
    done
}
