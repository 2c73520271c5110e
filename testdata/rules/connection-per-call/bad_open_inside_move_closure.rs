use std::path::PathBuf;

use rusqlite::Connection;

// `spawn_blocking(move || ..)` is how async code calls rusqlite; a `move`
// closure hides nothing: the open inside runs once per iteration.
pub async fn mark_all(path: PathBuf, ids: Vec<i64>) {
    for id in ids {
        let path = path.clone();
        tokio::task::spawn_blocking(move || {
            let conn = Connection::open(&path).unwrap(); //~ connection-per-call
            conn.execute("UPDATE tasks SET done = 1 WHERE id = ?1", [id]).unwrap();
        })
        .await
        .unwrap();
    }
}

pub fn poll(path: PathBuf) {
    loop {
        let path = path.clone();
        std::thread::spawn(move || {
            let conn = Connection::open(path).unwrap(); //~ connection-per-call
            let _: i64 = conn.query_row("SELECT count(*) FROM events", [], |r| r.get(0)).unwrap();
        })
        .join()
        .unwrap();
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
}

pub async fn ticker(url: String) {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            interval.tick().await;
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls).await.unwrap(); //~ connection-per-call
            tokio::spawn(connection);
            client.execute("DELETE FROM sessions WHERE expired", &[]).await.unwrap();
        }
    });
}
