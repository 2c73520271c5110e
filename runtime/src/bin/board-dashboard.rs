//! `board-dashboard`: a small HTTP dashboard over the session store and a task board.
//!
//! Every handler calls `AsyncSessionStore::open` / `AsyncKanbanStore::open` per
//! request, the shape that leaked descriptors in the incident; here that is a
//! registry lookup, so the process keeps one handle per database however many
//! requests it serves. The handlers use the runtime's async front: every database
//! call runs on tokio's blocking pool, so a slow write never stalls the other
//! requests on this single-threaded runtime.
//!
//! Usage: `board-dashboard <board.db | postgres://...> [--sessions state.db]
//! [--port N]`. The board is a file (SQLite) or a PostgreSQL URL; the session
//! store is always a file (`state.db` beside the board, or in the working folder
//! when the board is a URL). It binds
//! 127.0.0.1 (port 0, the default, lets the system choose) and prints
//! `listening on http://127.0.0.1:<port>` on stdout. SIGTERM or SIGINT stops it
//! gracefully: in-flight requests finish, then every database is closed (and its WAL
//! checkpointed) before it exits with status 0.
//!
//! Routes (errors are `{"error": "..."}` with 400 for a bad argument, 404 for an
//! unknown task, 409 for a status change the board does not allow, 503 for busy):
//! - `GET /api/sessions`: the sidebar (importable sessions, chains collapsed; cached
//!   until the next commit by any process)
//! - `GET /api/sessions/search?q=<fts query>[&limit=N]`: messages matching a query
//! - `GET /api/tasks[?status=ready]`: tasks
//! - `GET /api/tasks/page?[status=..&]limit=N[&after=<cursor>]`: one page of tasks
//!   and the cursor of the next (`{"tasks": [...], "next": "..."}`)
//! - `GET /api/tasks/{id}`: one task with its comments and links
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
use connlint_runtime::kanban::{NewTask, Status, TaskCursor};
use connlint_runtime::{AsyncKanbanStore, AsyncSessionStore, Error};
use serde::Deserialize;

struct Paths {
    board: PathBuf,
    sessions: PathBuf,
}

type Shared = Arc<Paths>;

/// An error answer with the status that fits it.
enum ApiError {
    /// Something the client sent cannot be used.
    BadRequest(String),
    Runtime(Error),
}

impl From<Error> for ApiError {
    fn from(e: Error) -> ApiError {
        ApiError::Runtime(e)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, message) = match self {
            ApiError::BadRequest(message) => (StatusCode::BAD_REQUEST, message),
            ApiError::Runtime(e) => {
                let status = match &e {
                    Error::TaskNotFound { .. } => StatusCode::NOT_FOUND,
                    Error::InvalidTransition { .. } | Error::LinkCycle { .. } => {
                        StatusCode::CONFLICT
                    }
                    Error::InvalidCursor { .. } | Error::InvalidSearch { .. } => {
                        StatusCode::BAD_REQUEST
                    }
                    e if e.is_busy() => StatusCode::SERVICE_UNAVAILABLE,
                    _ => StatusCode::INTERNAL_SERVER_ERROR,
                };
                (status, e.to_string())
            }
        };
        (status, Json(serde_json::json!({ "error": message }))).into_response()
    }
}

type ApiResult = Result<Json<serde_json::Value>, ApiError>;

fn json(value: impl serde::Serialize) -> ApiResult {
    Ok(Json(
        serde_json::to_value(value).unwrap_or(serde_json::Value::Null),
    ))
}

/// `?status=` as a status; an unknown name is the client's mistake (it used to
/// return every task, as if no filter had been given).
fn status_filter(status: Option<&str>) -> Result<Option<Status>, ApiError> {
    status
        .map(|name| {
            Status::parse(name)
                .ok_or_else(|| ApiError::BadRequest(format!("unknown status {name:?}")))
        })
        .transpose()
}

async fn board(paths: &Paths) -> Result<AsyncKanbanStore, ApiError> {
    Ok(AsyncKanbanStore::open(&paths.board).await?)
}

async fn sessions(State(paths): State<Shared>) -> ApiResult {
    // The shared listing: served from the handle's cache until something commits.
    let store = AsyncSessionStore::open(&paths.sessions).await?;
    json(store.list_importable_shared().await?)
}

#[derive(Deserialize)]
struct Search {
    q: String,
    limit: Option<usize>,
}

async fn search(State(paths): State<Shared>, Query(search): Query<Search>) -> ApiResult {
    let store = AsyncSessionStore::open(&paths.sessions).await?;
    let limit = search.limit.unwrap_or(20).min(200);
    json(store.search_messages(&search.q, limit).await?)
}

#[derive(Deserialize)]
struct TaskFilter {
    status: Option<String>,
}

async fn tasks(State(paths): State<Shared>, Query(filter): Query<TaskFilter>) -> ApiResult {
    let status = status_filter(filter.status.as_deref())?;
    json(board(&paths).await?.tasks(status).await?)
}

#[derive(Deserialize)]
struct PageQuery {
    status: Option<String>,
    limit: Option<usize>,
    after: Option<String>,
}

async fn tasks_page(State(paths): State<Shared>, Query(page): Query<PageQuery>) -> ApiResult {
    let status = status_filter(page.status.as_deref())?;
    let after = page
        .after
        .as_deref()
        .map(str::parse::<TaskCursor>)
        .transpose()?;
    let limit = page.limit.unwrap_or(50).clamp(1, 500);
    json(
        board(&paths)
            .await?
            .tasks_page(status, after, limit)
            .await?,
    )
}

async fn task(State(paths): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let board = board(&paths).await?;
    let task = board
        .task(&id)
        .await?
        .ok_or(Error::TaskNotFound { task: id.clone() })?;
    let comments = board.comments(&id).await?;
    let links = board.links(&id).await?;
    json(serde_json::json!({ "task": task, "comments": comments, "links": links }))
}

#[derive(Deserialize)]
struct Cursor {
    since: Option<i64>,
    limit: Option<usize>,
}

async fn events(State(paths): State<Shared>, Query(cursor): Query<Cursor>) -> ApiResult {
    let since = cursor.since.unwrap_or(0);
    let limit = cursor.limit.unwrap_or(500).min(5000);
    json(board(&paths).await?.events_since(since, limit).await?)
}

#[derive(Deserialize)]
struct Create {
    title: String,
    key: Option<String>,
}

async fn create(State(paths): State<Shared>, Query(create): Query<Create>) -> ApiResult {
    let mut task = NewTask::new(create.title);
    task.idempotency_key = create.key;
    task.created_by = Some("dashboard".to_owned());
    json(board(&paths).await?.create(task).await?)
}

async fn complete(State(paths): State<Shared>, Path(id): Path<String>) -> ApiResult {
    let done = board(&paths)
        .await?
        .complete(&id, None, Some("done from dashboard"))
        .await?;
    json(serde_json::json!({ "task": id, "completed": done }))
}

async fn runtime() -> ApiResult {
    json(connlint_runtime::open_handles())
}

fn parse_args() -> Result<(Paths, u16), String> {
    let usage =
        "usage: board-dashboard <board.db | postgres://url> [--sessions state.db] [--port N]";
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
    let is_url = board
        .to_str()
        .is_some_and(|b| b.starts_with("postgres://") || b.starts_with("postgresql://"));
    let sessions = sessions.unwrap_or_else(|| {
        if is_url {
            PathBuf::from("state.db")
        } else {
            board.with_file_name("state.db")
        }
    });
    Ok((Paths { board, sessions }, port))
}

/// Resolves on SIGTERM or SIGINT.
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    match (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) {
        (Ok(mut term), Ok(mut int)) => {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        }
        _ => {
            eprintln!("board-dashboard: cannot listen for signals; stop it with SIGKILL");
            std::future::pending::<()>().await;
        }
    }
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
        .route("/api/sessions/search", get(search))
        .route("/api/tasks", get(tasks).post(create))
        .route("/api/tasks/page", get(tasks_page))
        .route("/api/tasks/{id}", get(task))
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
    let served = axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await;
    // Requests are done: close the databases so their WAL is checkpointed.
    let closed = connlint_runtime::nonblocking::close_all().await;
    if let Err(e) = served {
        eprintln!("board-dashboard: {e}");
        return std::process::ExitCode::FAILURE;
    }
    if let Err(e) = closed {
        eprintln!("board-dashboard: closing the databases: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let report = connlint_runtime::leak_report();
    if !report.is_empty() {
        eprintln!("{report}");
    }
    std::process::ExitCode::SUCCESS
}
