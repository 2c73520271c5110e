use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use rusqlite::Connection;

#[derive(Clone)]
struct AppState {
    db_path: String,
}

// Every poll of /api/sessions opens state.db again.
async fn list_sessions(State(state): State<AppState>) -> Json<Vec<String>> {
    let conn = Connection::open(&state.db_path).unwrap(); //~ connection-per-call
    let mut stmt = conn.prepare("SELECT id FROM sessions ORDER BY started_at DESC LIMIT 200").unwrap();
    let ids = stmt.query_map([], |r| r.get(0)).unwrap().filter_map(Result::ok).collect();
    Json(ids)
}

async fn end_session(State(state): State<AppState>, Json(id): Json<String>) -> &'static str {
    let conn = Connection::open(&state.db_path).unwrap(); //~ connection-per-call
    conn.execute("UPDATE sessions SET ended_at = unixepoch() WHERE id = ?1", [id]).unwrap();
    "ok"
}

pub fn router(db_path: String) -> Router {
    Router::new()
        .route("/api/sessions", get(list_sessions).post(end_session))
        .route("/api/sessions/end", post(end_session))
        .with_state(AppState { db_path })
}
