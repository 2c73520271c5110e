use std::sync::Arc;

use diesel::prelude::*;
use diesel::SqliteConnection;
use diesel_async::pooled_connection::deadpool::Pool;
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig};
use diesel_async::sync_connection_wrapper::SyncConnectionWrapper;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use r2d2_sqlite::SqliteConnectionManager;

type AsyncSqliteConn = SyncConnectionWrapper<SqliteConnection>;
const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

pub struct Db {
    pool: Pool<AsyncSqliteConn>,
}

// Migrations run on a throwaway connection to the SQLite file (inside
// `spawn_blocking(move || ..)`, as async code calls sync drivers), then the
// pool to the same file is built: the migration connection gets none of the
// pool's per-connection setup, and the file has one more connection to
// contend for its locks.
pub async fn shared(path: &str) -> Result<Arc<Db>, String> {
    let path_owned = path.to_string();
    tokio::task::spawn_blocking(move || {
        SqliteConnection::establish(&path_owned) //~ probe-connection
            .map_err(|e| format!("failed to open db: {e}"))
            .and_then(|mut conn| {
                conn.run_pending_migrations(MIGRATIONS)
                    .map(|_| ())
                    .map_err(|e| format!("migration failed: {e}"))
            })
    })
    .await
    .map_err(|e| format!("migration task panicked: {e}"))??;
    let manager_config = ManagerConfig::<AsyncSqliteConn>::default();
    let manager =
        AsyncDieselConnectionManager::<AsyncSqliteConn>::new_with_config(path, manager_config);
    let pool = Pool::builder(manager)
        .max_size(16)
        .build()
        .map_err(|e| format!("failed to build connection pool: {e}"))?;
    Ok(Arc::new(Db { pool }))
}

// The same with a named connection.
pub fn open(path: &str) -> Result<Db, String> {
    let mut conn = SqliteConnection::establish(path).map_err(|e| e.to_string())?; //~ probe-connection
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    let manager = AsyncDieselConnectionManager::<AsyncSqliteConn>::new(path);
    let pool = Pool::builder(manager).build().map_err(|e| e.to_string())?;
    Ok(Db { pool })
}

mod embedded {
    refinery::embed_migrations!("migrations");
}

// rusqlite with refinery, then an r2d2 pool on the file.
pub fn open_r2d2(path: &str) -> Result<r2d2::Pool<SqliteConnectionManager>, String> {
    let mut conn = rusqlite::Connection::open(path).map_err(|e| e.to_string())?; //~ probe-connection
    embedded::migrations::runner()
        .run(&mut conn)
        .map_err(|e| e.to_string())?;
    r2d2::Pool::new(SqliteConnectionManager::file(path)).map_err(|e| e.to_string())
}
