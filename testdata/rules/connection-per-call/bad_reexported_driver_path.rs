// A driver reached through another crate's re-export (`pub use diesel;` in
// the workspace's db crate): still diesel's r2d2 pool, built per request.
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use app_db::diesel::r2d2::{ConnectionManager, Pool};
use app_db::diesel::PgConnection;

async fn count(State(url): State<String>) -> String {
    let pool = Pool::new(ConnectionManager::<PgConnection>::new(url)).unwrap(); //~ connection-per-call
    let conn = pool.get().unwrap();
    drop(conn);
    "ok".to_string()
}

pub fn app(url: String) -> Router {
    Router::new().route("/count", get(count)).with_state(url)
}
