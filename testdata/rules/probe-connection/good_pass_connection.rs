use deadpool_postgres::{Object, Pool};

async fn check_token(client: &Object, token: &str) -> bool {
    client.query_opt("SELECT 1 FROM tokens WHERE token = $1", &[&token]).await.ok().flatten().is_some()
}

// The handler passes the connection it holds to the helper.
pub async fn delete_task(pool: &Pool, token: &str, id: i64) -> bool {
    let client = pool.get().await.expect("checkout");
    if !check_token(&client, token).await {
        return false;
    }
    client.execute("DELETE FROM tasks WHERE id = $1", &[&id]).await.is_ok()
}
