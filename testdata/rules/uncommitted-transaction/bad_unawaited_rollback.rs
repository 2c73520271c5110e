// An async driver's `rollback()` returns a future that owns the
// transaction. Written without `.await`, the future is dropped unpolled:
// the rollback never runs and the transaction ends only by being dropped,
// neither committed nor explicitly rolled back, whatever the code meant.
use sqlx::PgPool;

pub async fn check_insert(pool: &PgPool, id: i64) -> Result<(), sqlx::Error> {
    let mut transaction = pool.begin().await?;
    sqlx::query("INSERT INTO todos (id, description) VALUES ($1, 'test')")
        .bind(id)
        .execute(&mut *transaction)
        .await?;
    transaction.rollback(); //~ uncommitted-transaction
    let gone = sqlx::query("SELECT 1 FROM todos WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    assert!(gone.is_none());
    Ok(())
}

pub async fn abandon(mut tx: sqlx::Transaction<'_, sqlx::Postgres>) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM todos").execute(&mut *tx).await?;
    let _ = tx.rollback(); //~ uncommitted-transaction
    Ok(())
}

pub async fn undo(client: &mut tokio_postgres::Client) -> Result<(), tokio_postgres::Error> {
    let tx = client.transaction().await?;
    tx.execute("UPDATE accounts SET balance = 0", &[]).await?;
    drop(tx.rollback()); //~ uncommitted-transaction
    Ok(())
}
