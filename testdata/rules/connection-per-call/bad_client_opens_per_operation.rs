use redis::AsyncCommands;

// A cache whose every operation opens a new multiplexed TCP connection from
// the client it keeps (the client only parses the URL), and a lock manager
// whose associated functions do the same with the client they are handed.
pub struct Cache {
    client: redis::Client,
}

impl Cache {
    pub async fn get(&self, key: &str) -> redis::RedisResult<Option<String>> {
        let mut conn = self.client.get_multiplexed_async_connection().await?; //~ connection-per-call
        conn.get(key).await
    }

    pub async fn set(&self, key: &str, value: &str) -> redis::RedisResult<()> {
        let mut conn = self.client.get_multiplexed_async_connection().await?; //~ connection-per-call
        conn.set(key, value).await
    }
}

pub struct LockManager {
    servers: Vec<redis::Client>,
}

impl LockManager {
    async fn lock_instance(client: &redis::Client, resource: &str) -> bool {
        let Ok(mut con) = client.get_multiplexed_async_connection().await else { //~ connection-per-call
            return false;
        };
        redis::cmd("SET").arg(resource).arg("NX").query_async::<bool>(&mut con).await.unwrap_or(false)
    }

    async fn unlock_instance(client: &redis::Client, resource: &str) -> bool {
        let Ok(mut con) = client.get_multiplexed_async_connection().await else { //~ connection-per-call
            return false;
        };
        redis::cmd("DEL").arg(resource).query_async::<i64>(&mut con).await.is_ok()
    }

    pub async fn lock(&self, resource: &str) -> usize {
        let mut n = 0;
        for server in &self.servers {
            if Self::lock_instance(server, resource).await {
                n += 1;
            }
        }
        n
    }

    pub async fn unlock(&self, resource: &str) {
        for server in &self.servers {
            Self::unlock_instance(server, resource).await;
        }
    }
}
