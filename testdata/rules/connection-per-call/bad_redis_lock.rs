use std::time::Duration;

// A lock manager seen in a real project: every attempt opens a new
// multiplexed connection, and attempts repeat until the lock is free.
pub struct LockManager {
    client: redis::Client,
}

impl LockManager {
    pub async fn acquire(&self, key: &str, ttl_ms: u64) -> redis::RedisResult<bool> {
        for _attempt in 0..50 {
            let mut conn = self.client.get_multiplexed_async_connection().await?; //~ connection-per-call
            let acquired: bool = redis::cmd("SET")
                .arg(key)
                .arg("locked")
                .arg("NX")
                .arg("PX")
                .arg(ttl_ms)
                .query_async(&mut conn)
                .await?;
            if acquired {
                return Ok(true);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(false)
    }
}
