use sqlx::SqlitePool;

// sqlx: the transaction is dropped at the end of the function and the
// insert is rolled back on the connection's next use.
pub async fn add_comment(pool: &SqlitePool, task: &str, body: &str) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?; //~ uncommitted-transaction
    sqlx::query("INSERT INTO task_comments (task_id, body) VALUES (?, ?)")
        .bind(task)
        .bind(body)
        .execute(&mut *tx)
        .await?;
    sqlx::query!("UPDATE tasks SET comment_count = comment_count + 1 WHERE id = ?", task)
        .execute(&mut *tx)
        .await?;
    Ok(())
}
