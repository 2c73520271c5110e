use axum::extract::State;
use axum::routing::get;
use axum::Router;

// Inline handlers that use the pool in the router's state, and a closure
// given to a `get` that is not a router's.
pub fn app(pool: sqlx::PgPool) -> Router {
    Router::new()
        .route(
            "/count",
            get(|State(pool): State<sqlx::PgPool>| async move {
                let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tasks").fetch_one(&pool).await.unwrap();
                n.to_string()
            }),
        )
        .with_state(pool)
}

pub struct Cache;

impl Cache {
    pub fn get<F: FnOnce() -> i64>(&self, f: F) -> i64 {
        f()
    }
}

pub fn warm(cache: &Cache) -> i64 {
    cache.get(|| {
        let conn = rusqlite::Connection::open("cache.db").unwrap();
        conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap()
    })
}
