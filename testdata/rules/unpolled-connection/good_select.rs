use tokio_postgres::NoTls;

pub async fn run(url: &str) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = tokio_postgres::connect(url, NoTls).await?;
    tokio::select! {
        result = &mut connection => result?,
        result = client.batch_execute("SELECT 1") => result?,
    }
    Ok(())
}
