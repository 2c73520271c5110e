use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

const MIGRATIONS: EmbeddedMigrations = embed_migrations!();

type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

// The fix: build the pool first and migrate on one of its connections.
pub fn open(path: &str) -> Result<SqlitePool, String> {
    let pool = Pool::builder()
        .max_size(8)
        .build(ConnectionManager::<SqliteConnection>::new(path))
        .map_err(|e| e.to_string())?;
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    drop(conn);
    Ok(pool)
}

// A server database: a migration connection before the pool costs one
// short-lived session at startup and shares no file locks.
pub fn open_pg(url: &str) -> Result<Pool<ConnectionManager<PgConnection>>, String> {
    let mut conn = PgConnection::establish(url).map_err(|e| e.to_string())?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    Pool::builder()
        .build(ConnectionManager::<PgConnection>::new(url))
        .map_err(|e| e.to_string())
}

// Migrations on one file, the pool on another.
pub fn open_split(schema_path: &str, data_path: &str) -> Result<SqlitePool, String> {
    let mut conn = SqliteConnection::establish(schema_path).map_err(|e| e.to_string())?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    Pool::builder()
        .build(ConnectionManager::<SqliteConnection>::new(data_path))
        .map_err(|e| e.to_string())
}

// The migrated connection is the one kept: no second connection.
pub fn open_single(path: &str) -> Result<SqliteConnection, String> {
    let mut conn = SqliteConnection::establish(path).map_err(|e| e.to_string())?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    Ok(conn)
}

// A connection that migrates and also serves reads before the pool exists
// is a working connection, not a throwaway for migrations.
pub fn open_and_count(path: &str) -> Result<(SqlitePool, i64), String> {
    let mut conn = SqliteConnection::establish(path).map_err(|e| e.to_string())?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| e.to_string())?;
    let rows: i64 = diesel::dsl::select(diesel::dsl::count_star())
        .get_result(&mut conn)
        .map_err(|e| e.to_string())?;
    let pool = Pool::builder()
        .build(ConnectionManager::<SqliteConnection>::new(path))
        .map_err(|e| e.to_string())?;
    Ok((pool, rows))
}
