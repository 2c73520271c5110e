use std::time::Duration;

use rusqlite::Connection;

// Retry loops that end as soon as the open succeeds.
pub fn open_with_retry(path: &str) -> rusqlite::Result<Connection> {
    let mut attempts = 0;
    loop {
        match Connection::open(path) {
            Ok(conn) => return Ok(conn),
            Err(e) if attempts >= 5 => return Err(e),
            Err(_) => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(100 << attempts));
            }
        }
    }
}

pub async fn connect_with_retry(url: &str) -> Result<sqlx::PgPool, sqlx::Error> {
    let mut last = None;
    for _attempt in 0..10 {
        match sqlx::PgPool::connect(url).await {
            Ok(pool) => return Ok(pool),
            Err(e) => last = Some(e),
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    Err(last.unwrap())
}

pub fn first_available(url: &str) -> postgres::Client {
    let client = loop {
        if let Ok(client) = postgres::Client::connect(url, postgres::NoTls) {
            break client;
        }
        std::thread::sleep(Duration::from_secs(1));
    };
    client
}
