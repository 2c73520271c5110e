use std::sync::{LazyLock, Mutex, OnceLock};

use rusqlite::Connection;

static POOL: OnceLock<sqlx::PgPool> = OnceLock::new();
static LOCAL: LazyLock<Mutex<Connection>> = LazyLock::new(|| Mutex::new(Connection::open("local.db").unwrap()));

// Opened once per process, whatever calls it how often.
pub async fn pool() -> &'static sqlx::PgPool {
    if let Some(pool) = POOL.get() {
        return pool;
    }
    let pool = sqlx::PgPool::connect_lazy("postgres://localhost/app").unwrap();
    POOL.get_or_init(|| pool)
}

pub fn handler_like(ids: &[i64]) {
    for id in ids {
        let conn = LOCAL.lock().unwrap();
        conn.execute("DELETE FROM t WHERE id = ?1", [id]).unwrap();
    }
}

pub fn cached(cell: &OnceLock<Connection>, ids: &[i64]) {
    for id in ids {
        let conn = cell.get_or_init(|| Connection::open("cache.db").unwrap());
        conn.execute("DELETE FROM t WHERE id = ?1", [id]).unwrap();
    }
}
