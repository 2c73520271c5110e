use sqlx::SqlitePool;

pub async fn save(pool: &SqlitePool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO t VALUES (1)").execute(&mut *tx).await?;
    tx.commit().await?;
    Ok(())
}

pub async fn save_mapped(pool: &SqlitePool) -> Result<(), String> {
    let mut tx = pool.begin().await.map_err(|e| e.to_string())?;
    sqlx::query("INSERT INTO t VALUES (2)").execute(&mut *tx).await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}
