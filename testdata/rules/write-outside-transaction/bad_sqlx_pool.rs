use sqlx::PgPool;

// Each statement sent to the pool may run on a different connection, in its
// own implicit transaction.
pub async fn complete(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE tasks SET status = 'done' WHERE id = $1") //~ write-outside-transaction
        .bind(id)
        .execute(pool)
        .await?;
    sqlx::query!("INSERT INTO task_events (task_id, kind) VALUES ($1, 'completed')", id)
        .execute(pool)
        .await?;
    Ok(())
}
