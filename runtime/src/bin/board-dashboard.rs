//! `board-dashboard`: a small HTTP dashboard over the session store and a task board.
//!
//! Every handler calls `SessionStore::open` / `KanbanStore::open` per request, the
//! shape that leaked descriptors in the incident; here that is a registry lookup, so
//! the process keeps one handle per database however many requests it serves.
//!
//! Usage: `board-dashboard <board.db> [--sessions state.db] [--port N]`. It binds
//! 127.0.0.1 (port 0, the default, lets the system choose) and prints
//! `listening on http://127.0.0.1:<port>` on stdout.
//!
//! Routes:
//! - `GET /api/sessions`: the sidebar (importable sessions, chains collapsed; cached
//!   until the next commit by any process)
//! - `GET /api/tasks[?status=ready]`: tasks
//! - `GET /api/events?since=<cursor>[&limit=N]`: task events after a cursor
//! - `POST /api/tasks?title=<t>[&key=<idempotency key>]`: create a task
//! - `POST /api/tasks/{id}/complete`: complete a task
//! - `GET /api/runtime`: the open handles (path, opens, connections)

#[path = "support/stderr_log.rs"]
mod stderr_log;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use connlint_runtime::kanban::{KanbanStore, NewTask, Status};
use connlint_runtime::SessionStore;
use serde::Deserialize;

struct Paths {
    board: PathBuf,
    sessions: PathBuf,
}

type Shared = Arc<Paths>;

/// An error answer: 500 with `{"error": "..."}`, 503 for busy.
struct ApiError(connlint_runtime::Error);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = if self.0.is_busy() {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::INTERNAL_SERVER_ERROR
        };
        (
            status,
            Json(serde_json::json!({ "error": self.0.to_string() })),
        )
            .into_response()
    }
}

type ApiResult = Result<Json<serde_json::Value>, ApiError>;

/// Runs blocking database work off the async threads.
async fn blocking<T: serde::Serialize + Send + 'static>(
    work: impl FnOnce() -> connlint_runtime::Result<T> + Send + 'static,
) -> ApiResult {
    let value = tokio::task::spawn_blocking(work).await.map_err(|e| {
        ApiError(connlint_runtime::Error::Io {
            path: PathBuf::from("<worker>"),
            source: std::io::Error::other(e),
        })
    })?;
    let value = value.map_err(ApiError)?;
    Ok(Json(
        serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
    ))
}

async fn sessions(State(paths): State<Shared>) -> ApiResult {
    // The shared listing: served from the handle's cache until something commits.
    blocking(move || SessionStore::open(&paths.sessions)?.list_importable_shared()).await
}

#[derive(Deserialize)]
struct TaskFilter {
    status: Option<String>,
}

async fn tasks(State(paths): State<Shared>, Query(filter): Query<TaskFilter>) -> ApiResult {
    let status = filter.status.as_deref().and_then(Status::parse);
    blocking(move || KanbanStore::open(&paths.board)?.tasks(status)).await
}

#[derive(Deserialize)]
struct Cursor {
    since: Option<i64>,
    limit: Option<usize>,
}

async fn events(State(paths): State<Shared>, Query(cursor): Query<Cursor>) -> ApiResult {
    let since = cursor.since.unwrap_or(0);
    let limit = cursor.limit.unwrap_or(500).min(5000);
    blocking(move || KanbanStore::open(&paths.board)?.events_since(since, limit)).await
}

#[derive(Deserialize)]
struct Create {
    title: String,
    key: Option<String>,
}

async fn create(State(paths): State<Shared>, Query(create): Query<Create>) -> ApiResult {
    blocking(move || {
        let mut task = NewTask::new(create.title);
        task.idempotency_key = create.key;
        task.created_by = Some("dashboard".to_owned());
        KanbanStore::open(&paths.board)?.create(&task)
    })
    .await
}

async fn complete(State(paths): State<Shared>, Path(id): Path<String>) -> ApiResult {
    blocking(move || {
        let done =
            KanbanStore::open(&paths.board)?.complete(&id, None, Some("done from dashboard"))?;
        Ok(serde_json::json!({ "task": id, "completed": done }))
    })
    .await
}

async fn runtime() -> ApiResult {
    blocking(|| Ok(connlint_runtime::open_handles())).await
}

fn parse_args() -> Result<(Paths, u16), String> {
    let usage = "usage: board-dashboard <board.db> [--sessions state.db] [--port N]";
    let mut board = None;
    let mut sessions = None;
    let mut port = 0u16;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--sessions" => sessions = Some(PathBuf::from(it.next().ok_or(usage)?)),
            "--port" => port = it.next().and_then(|p| p.parse().ok()).ok_or(usage)?,
            "-h" | "--help" => return Err(usage.to_owned()),
            _ if board.is_none() => board = Some(PathBuf::from(arg)),
            _ => return Err(usage.to_owned()),
        }
    }
    let board = board.ok_or(usage)?;
    let sessions = sessions.unwrap_or_else(|| board.with_file_name("state.db"));
    Ok((Paths { board, sessions }, port))
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    stderr_log::init();
    let (paths, port) = match parse_args() {
        Ok(parsed) => parsed,
        Err(usage) => {
            eprintln!("{usage}");
            return std::process::ExitCode::from(2);
        }
    };
    let app = Router::new()
        .route("/api/sessions", get(sessions))
        .route("/api/tasks", get(tasks).post(create))
        .route("/api/tasks/{id}/complete", post(complete))
        .route("/api/events", get(events))
        .route("/api/runtime", get(runtime))
        .with_state(Arc::new(paths));
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", port)).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("board-dashboard: cannot listen on 127.0.0.1:{port}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!("listening on http://{addr}");
    let _ = std::io::stdout().flush();
    if let Err(e) = axum::serve(listener, app).await {
        eprintln!("board-dashboard: {e}");
        return std::process::ExitCode::FAILURE;
    }
    std::process::ExitCode::SUCCESS
}
