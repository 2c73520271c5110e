use axum::routing::get;
use axum::Router;

async fn users() -> String {
    let conn = storage::open_db().unwrap();
    storage::count_users(&conn).unwrap().to_string()
}

fn router() -> Router {
    Router::new().route("/users", get(users))
}

fn main() {
    let _ = router();
}
