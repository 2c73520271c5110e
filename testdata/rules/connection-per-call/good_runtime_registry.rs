use axum::extract::State;
use axum::routing::get;
use axum::Router;
use connlint_runtime::{Database, SessionStore};

// connlint-runtime's `open` is a registry lookup: the same handle for the
// same database, so calling it per request or per tick opens nothing.
async fn sessions(State(path): State<String>) -> String {
    let store = SessionStore::open(&path).unwrap();
    format!("{}", store.list_importable().unwrap().len())
}

pub fn app(path: String) -> Router {
    Router::new().route("/api/sessions", get(sessions)).with_state(path)
}

pub fn ticks(path: &str) {
    loop {
        let db = Database::open(path).unwrap();
        db.write(|tx| tx.execute("UPDATE boards SET heartbeat_at = unixepoch()", [])).unwrap();
        std::thread::sleep(std::time::Duration::from_secs(5));
    }
}
