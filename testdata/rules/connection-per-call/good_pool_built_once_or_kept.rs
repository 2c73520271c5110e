use std::sync::OnceLock;

use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

// A pool built and checked out once is fine where it outlives the call or
// the call runs once: returned, stored, shared through a one-time
// initializer, in `main`, or handed on beyond its one checkout. (A sqlx or
// mysql_async pool built and dropped in place is unclosed-connection's
// finding; one built to run a check is probe-connection's.)
pub fn open(path: &str) -> Pool<SqliteConnectionManager> {
    let pool = Pool::new(SqliteConnectionManager::file(path)).unwrap();
    let conn = pool.get().unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL").unwrap();
    drop(conn);
    pool
}

pub struct Store {
    pool: Pool<SqliteConnectionManager>,
}

pub fn store(path: &str) -> Store {
    let pool = Pool::new(SqliteConnectionManager::file(path)).unwrap();
    pool.get().unwrap().execute_batch("CREATE TABLE IF NOT EXISTS t (x)").unwrap();
    Store { pool }
}

static POOL: OnceLock<Pool<SqliteConnectionManager>> = OnceLock::new();

pub fn shared(path: &str) -> &'static Pool<SqliteConnectionManager> {
    POOL.get_or_init(|| {
        let pool = Pool::new(SqliteConnectionManager::file(path)).unwrap();
        pool.get().unwrap().execute_batch("PRAGMA foreign_keys=ON").unwrap();
        pool
    })
}

fn main() {
    let pool = Pool::new(SqliteConnectionManager::file("app.db")).unwrap();
    let conn = pool.get().unwrap();
    conn.execute_batch("VACUUM").unwrap();
}

fn count_rows(pool: &Pool<SqliteConnectionManager>) -> i64 {
    let conn = pool.get().unwrap();
    conn.query_row("SELECT count(*) FROM a", [], |r| r.get(0))
        .unwrap_or(0)
}

// The pool is handed on as well: more than one use.
pub fn report(path: &str) -> i64 {
    let pool = Pool::new(SqliteConnectionManager::file(path)).unwrap();
    let conn = pool.get().unwrap();
    conn.execute_batch("PRAGMA optimize").unwrap();
    drop(conn);
    count_rows(&pool)
}
