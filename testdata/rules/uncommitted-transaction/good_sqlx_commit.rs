use sqlx::{PgPool, Postgres, Transaction};

pub async fn create_task(pool: &PgPool, id: &str, title: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO tasks (id, title) VALUES ($1, $2)").bind(id).bind(title).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO task_events (task_id, kind) VALUES ($1, 'created')").bind(id).execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn with_helper(pool: &PgPool) -> Result<(), sqlx::Error> {
    let mut tx: Transaction<'_, Postgres> = pool.begin().await?;
    sqlx::query("DELETE FROM sessions").execute(&mut *tx).await?;
    tx.commit().await
}
