//! Incident 2, written in Rust: a gateway runs a notifier every 5 s and a
//! dispatcher every 60 s per board, and each tick opens kanban.db; a
//! dashboard does the same per HTTP request and per 0.3 s websocket poll.
//! Every open first runs PRAGMA integrity_check on a separate probe
//! connection, then re-runs the mutating journal_mode=WAL pragma.

use std::path::{Path, PathBuf};
use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use rusqlite::Connection;

fn open_board(path: &Path) -> rusqlite::Result<Connection> {
    let probe = Connection::open(path)?; //~ probe-connection
    let status: String = probe.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    drop(probe);
    if status != "ok" {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        std::fs::copy(path, path.with_extension(format!("corrupt.{stamp}.bak"))).ok();
    }
    let conn = Connection::open(path)?; //~ connection-per-call
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

fn notify(conn: &Connection, cursor: i64) -> rusqlite::Result<i64> {
    conn.query_row("SELECT coalesce(max(id), ?1) FROM task_events WHERE id > ?1", [cursor], |r| r.get(0))
}

pub async fn notifier(board: PathBuf) -> rusqlite::Result<()> {
    let mut cursor = 0;
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        let conn = open_board(&board)?;
        cursor = notify(&conn, cursor)?;
    }
}

pub async fn dispatcher(board: PathBuf) -> rusqlite::Result<()> {
    loop {
        tokio::time::sleep(Duration::from_secs(60)).await;
        let mut conn = open_board(&board)?;
        let tx = conn.transaction()?;
        tx.execute("UPDATE tasks SET claim_lock = NULL WHERE claim_expires < unixepoch()", [])?;
        tx.execute("UPDATE tasks SET status = 'ready' WHERE status = 'todo'", [])?;
        tx.commit()?;
    }
}

async fn tasks(State(board): State<PathBuf>) -> Json<i64> {
    let conn = open_board(&board).unwrap();
    Json(conn.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0)).unwrap())
}

pub fn dashboard(board: PathBuf) -> Router {
    Router::new().route("/api/tasks", get(tasks)).with_state(board)
}

/// The dashboard's websocket loop: a fresh connection every 0.3 s.
pub async fn websocket_poll(board: PathBuf, tx: tokio::sync::mpsc::Sender<i64>) {
    let mut cursor = 0;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let Ok(conn) = open_board(&board) else { continue };
        cursor = notify(&conn, cursor).unwrap_or(cursor);
        if tx.send(cursor).await.is_err() {
            return;
        }
    }
}
