use sqlx::PgPool;

pub async fn enqueue(pool: &PgPool, job: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO jobs (name) VALUES ($1)").bind(job).execute(&mut *tx).await?;
    let _ = tx.commit().await; //~ discarded-commit-error
    Ok(())
}

pub async fn enqueue_ok(pool: &PgPool, job: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO jobs (name) VALUES ($1)").bind(job).execute(&mut *tx).await?;
    tx.commit().await.ok(); //~ discarded-commit-error
    Ok(())
}

// Without `.await` the commit's future is dropped unpolled: the commit
// never runs at all.
pub async fn record_unawaited(pool: &PgPool, job: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO jobs (name) VALUES ($1)").bind(job).execute(&mut *tx).await?;
    tx.commit(); //~ discarded-commit-error
    Ok(())
}
