use axum::routing::{get, post};
use axum::Router;

// Handlers written inline as closures run once per request too.
pub fn app(url: String) -> Router {
    let count_url = url.clone();
    Router::new()
        .route(
            "/count",
            get(move || async move {
                let (client, connection) = tokio_postgres::connect(&count_url, tokio_postgres::NoTls).await.unwrap(); //~ connection-per-call
                tokio::spawn(connection);
                let row = client.query_one("SELECT count(*) FROM tasks", &[]).await.unwrap();
                row.get::<_, i64>(0).to_string()
            }),
        )
        .route(
            "/touch",
            get(|| async { "ok" }).post(move || async move {
                let conn = rusqlite::Connection::open("tasks.db").unwrap(); //~ connection-per-call
                conn.execute("UPDATE tasks SET touched = 1", []).unwrap();
                "done"
            }),
        )
}

pub fn unused(_: fn() -> ()) -> Router {
    Router::new().route("/x", post(|| async { "x" }))
}
