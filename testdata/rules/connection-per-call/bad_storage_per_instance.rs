use axum::extract::State;
use axum::routing::get;
use axum::Router;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

// A storage type seen in a real project: every instance builds its own r2d2
// pool on the same file, and the handler makes an instance per request.
pub struct Storage {
    pool: Pool<SqliteConnectionManager>,
}

impl Storage {
    pub fn new(path: &str) -> Storage {
        let manager = SqliteConnectionManager::file(path);
        let pool = Pool::new(manager).expect("pool"); //~ connection-per-call
        Storage { pool }
    }

    pub fn count(&self) -> i64 {
        let conn = self.pool.get().expect("checkout");
        conn.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0)).unwrap_or(0)
    }
}

async fn count(State(path): State<String>) -> String {
    let storage = Storage::new(&path);
    storage.count().to_string()
}

pub fn app(path: String) -> Router {
    Router::new().route("/count", get(count)).with_state(path)
}
