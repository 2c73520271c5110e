use redis::aio::MultiplexedConnection;
use redis::AsyncCommands;

// The fix: the multiplexed connection is opened once and cloned (a cheap
// handle) per operation; a type whose only open is its constructor; and
// associated functions that open a file they are given by path (a
// different database per call, not a long-lived client).
pub struct Cache {
    conn: MultiplexedConnection,
}

impl Cache {
    pub async fn new(url: &str) -> redis::RedisResult<Cache> {
        let client = redis::Client::open(url)?;
        let conn = client.get_multiplexed_async_connection().await?;
        Ok(Cache { conn })
    }

    pub async fn get(&self, key: &str) -> redis::RedisResult<Option<String>> {
        let mut conn = self.conn.clone();
        conn.get(key).await
    }

    pub async fn set(&self, key: &str, value: &str) -> redis::RedisResult<()> {
        let mut conn = self.conn.clone();
        conn.set(key, value).await
    }
}

pub struct Archive;

impl Archive {
    pub fn check(path: &std::path::Path) -> rusqlite::Result<bool> {
        let conn = rusqlite::Connection::open(path)?;
        conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)).map(|s| s == "ok")
    }

    pub fn count(path: &std::path::Path) -> rusqlite::Result<i64> {
        let conn = rusqlite::Connection::open(path)?;
        conn.query_row("SELECT count(*) FROM files", [], |r| r.get(0))
    }
}

// Only one method of the type opens, and keeps what it opens.
pub struct Store {
    path: String,
    conn: Option<rusqlite::Connection>,
}

impl Store {
    pub fn connect(&mut self) -> rusqlite::Result<()> {
        self.conn = Some(rusqlite::Connection::open(&self.path)?);
        Ok(())
    }

    pub fn reconnect(&mut self) -> rusqlite::Result<()> {
        let conn = rusqlite::Connection::open(&self.path)?;
        self.conn = Some(conn);
        Ok(())
    }
}
