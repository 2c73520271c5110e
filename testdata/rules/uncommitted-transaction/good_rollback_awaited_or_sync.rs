// A rollback that runs: awaited where the driver is async (at once, or
// later through the stored or returned future), called directly where the
// driver is synchronous (rusqlite's `rollback()` is no future; ignoring its
// result still rolls back), or the transaction dropped on purpose.
use sqlx::PgPool;

pub async fn awaited(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM todos").execute(&mut *tx).await?;
    tx.rollback().await?;
    Ok(())
}

pub async fn awaited_later(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM todos").execute(&mut *tx).await?;
    let undo = tx.rollback();
    tracing::info!("rolling back");
    undo.await
}

pub async fn returned(
    mut tx: sqlx::Transaction<'static, sqlx::Postgres>,
) -> impl std::future::Future<Output = Result<(), sqlx::Error>> {
    let _ = sqlx::query("DELETE FROM todos").execute(&mut *tx).await;
    tx.rollback()
}

pub async fn dropped_on_purpose(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("UPDATE accounts SET balance = 0", &[]).await?;
    drop(tx); // rolls back
    Ok(())
}

pub async fn tokio_awaited(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("UPDATE accounts SET balance = 0", &[]).await?;
    let _ = tx.rollback().await;
    Ok(())
}

pub fn sync_rollback(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM notes", [])?;
    tx.rollback();
    Ok(())
}

pub fn sync_rollback_ignored(conn: &mut rusqlite::Connection) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute("DELETE FROM notes", [])?;
    let _ = tx.rollback();
    Ok(())
}
