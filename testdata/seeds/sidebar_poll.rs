//! Incident 1, written in Rust: the web UI's sidebar polls /api/sessions
//! every 5 s (30 s in fallback mode) while a background watcher polls every
//! 5 s. Each poll ran up to four helpers, each opening state.db on its own;
//! one helper kept every connection it opened, so each poll leaked three
//! descriptors (db, -wal, -shm) until the process hit its limit. After the
//! helpers were made to close, the delete helper lost its implicit commit.

use std::sync::Mutex;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::routing::{delete, get};
use axum::{Json, Router};
use rusqlite::Connection;

#[derive(Clone)]
pub struct Ui {
    state_db: String,
}

/// "Keep the connection warm" cache that only ever grows.
static WARM: Mutex<Vec<Connection>> = Mutex::new(Vec::new());

fn open_state(path: &str) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

fn list_importable(path: &str) -> rusqlite::Result<Vec<String>> {
    let conn = open_state(path)?;
    let mut stmt = conn.prepare(
        "SELECT s.id FROM sessions s JOIN messages m ON m.session_id = s.id
         WHERE s.source NOT IN ('webui', 'cron') GROUP BY s.id ORDER BY max(m.timestamp) DESC LIMIT 200",
    )?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
    Ok(ids)
}

fn lineage_roots(path: &str, ids: &[String]) -> rusqlite::Result<usize> {
    let conn = open_state(path)?;
    let mut roots = 0;
    for id in ids {
        let parent: Option<String> =
            conn.query_row("SELECT parent_session_id FROM sessions WHERE id = ?1", [id], |r| r.get(0))?;
        roots += usize::from(parent.is_none());
    }
    Ok(roots)
}

fn message_counts(path: &str) -> rusqlite::Result<i64> {
    let conn = open_state(path)?;
    let n = conn.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?;
    WARM.lock().unwrap().push(conn); //~ leaked-connection
    Ok(n)
}

fn delete_session(path: &str, id: &str) -> rusqlite::Result<bool> {
    let conn = open_state(path)?;
    let tx = conn.unchecked_transaction()?; //~ uncommitted-transaction
    tx.execute("UPDATE sessions SET parent_session_id = NULL WHERE parent_session_id = ?1", [id])?;
    tx.execute("DELETE FROM messages WHERE session_id = ?1", [id])?;
    let deleted = tx.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(deleted > 0)
}

async fn sessions(State(ui): State<Ui>) -> Json<(Vec<String>, usize, i64)> {
    let ids = list_importable(&ui.state_db).unwrap_or_default();
    let roots = lineage_roots(&ui.state_db, &ids).unwrap_or(0);
    let messages = message_counts(&ui.state_db).unwrap_or(0);
    Json((ids, roots, messages))
}

async fn remove(State(ui): State<Ui>, Path(id): Path<String>) -> Json<bool> {
    Json(delete_session(&ui.state_db, &id).unwrap_or(false))
}

pub fn app(state_db: String) -> Router {
    Router::new()
        .route("/api/sessions", get(sessions))
        .route("/api/sessions/{id}", delete(remove))
        .with_state(Ui { state_db })
}

/// The background watcher: the same listing every 5 seconds.
pub async fn watch(state_db: String) {
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        let _ = list_importable(&state_db);
    }
}
