use axum::extract::State;
use axum::routing::get;
use axum::Router;
use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

type DbPool = Pool<SqliteConnectionManager>;

// Pool checkouts per request or per iteration are what pools are for.
async fn count(State(pool): State<DbPool>) -> String {
    let conn = pool.get().unwrap();
    let n: i64 = conn.query_row("SELECT count(*) FROM tasks", [], |r| r.get(0)).unwrap();
    n.to_string()
}

pub fn app(pool: DbPool) -> Router {
    Router::new().route("/count", get(count)).with_state(pool)
}

pub async fn drain(pool: sqlx::PgPool, ids: Vec<i64>) -> Result<(), sqlx::Error> {
    for id in ids {
        let mut conn = pool.acquire().await?;
        sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(&mut *conn).await?;
    }
    Ok(())
}
