use tokio_postgres::Client;

pub async fn rename(client: &mut Client, id: i32, name: &str) -> Result<u64, tokio_postgres::Error> {
    let tx = client.transaction().await?; //~ uncommitted-transaction
    let changed = tx.execute("UPDATE users SET name = $1 WHERE id = $2", &[&name, &id]).await?;
    if changed == 0 {
        return Ok(0);
    }
    tx.commit().await?;
    Ok(changed)
}
