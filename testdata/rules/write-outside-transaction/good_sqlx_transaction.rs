use sqlx::PgPool;

pub async fn complete(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("UPDATE tasks SET status = 'done' WHERE id = $1").bind(id).execute(&mut *tx).await?;
    sqlx::query!("INSERT INTO task_events (task_id, kind) VALUES ($1, 'completed')", id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn reads(pool: &PgPool) -> Result<i64, sqlx::Error> {
    let a: (i64,) = sqlx::query_as("SELECT count(*) FROM tasks").fetch_one(pool).await?;
    let b: (i64,) = sqlx::query_as("SELECT count(*) FROM task_events").fetch_one(pool).await?;
    Ok(a.0 + b.0)
}
