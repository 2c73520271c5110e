use postgres::Client;

pub fn prune(client: &mut Client) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute("DELETE FROM events WHERE created_at < now() - interval '30 days'", &[])?;
    tx.commit()
}

pub async fn prune_async(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("DELETE FROM events", &[]).await?;
    tx.commit().await?;
    Ok(())
}
