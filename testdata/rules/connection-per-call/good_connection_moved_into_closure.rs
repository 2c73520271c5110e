use std::path::PathBuf;

use rusqlite::Connection;

// Move closures that capture a connection opened once outside the loop, or
// that hand back the connection they open.
pub fn worker(path: PathBuf, jobs: std::sync::mpsc::Receiver<i64>) {
    let conn = Connection::open(&path).unwrap();
    std::thread::spawn(move || {
        for id in jobs {
            let _: String = conn.query_row("SELECT name FROM jobs WHERE id = ?1", [id], |r| r.get(0)).unwrap();
        }
    });
}

pub async fn open_async(path: PathBuf) -> Connection {
    tokio::task::spawn_blocking(move || Connection::open(path).unwrap())
        .await
        .unwrap()
}

pub async fn ticker(url: String) {
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap();
    tokio::spawn(connection);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            interval.tick().await;
            client.execute("DELETE FROM sessions WHERE expired", &[]).await.unwrap();
        }
    });
}

// One connection per shard, opened in a move closure per shard: a
// different database each time.
pub fn shards(dir: PathBuf, shards: Vec<String>) {
    for shard in shards {
        let dir = dir.clone();
        std::thread::spawn(move || {
            let conn = Connection::open(dir.join(format!("{shard}.db"))).unwrap();
            conn.execute_batch("PRAGMA optimize").unwrap();
        });
    }
}
