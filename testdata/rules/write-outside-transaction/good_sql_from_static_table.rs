// SQL read from a field of the crate's own static table of structs (a list
// of migrations, each with its statements): when every value any struct
// literal gives that field is a string literal (or an array of them), the
// statements a `for` binding over the field runs are those literals. Here
// one of them cannot run in a transaction block (`CREATE INDEX
// CONCURRENTLY`), so the bookkeeping writes beside it cannot share one.
use sqlx::PgPool;

pub struct Migration {
    pub id: &'static str,
    pub apply_sql: &'static [&'static str],
    pub cleanup_sql: Option<&'static [&'static str]>,
}

pub static MIGRATIONS: &[Migration] = &[Migration {
    id: "events_by_user",
    apply_sql: &["CREATE INDEX CONCURRENTLY IF NOT EXISTS events_by_user ON events (user_id)"],
    cleanup_sql: Some(&["DROP INDEX CONCURRENTLY IF EXISTS events_by_user"]),
}];

pub async fn apply(pool: &PgPool, migration: &Migration) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE background_migrations SET attempts = attempts + 1 WHERE id = $1")
        .bind(migration.id)
        .execute(pool)
        .await?;
    for stmt in migration.apply_sql {
        sqlx::query(stmt).execute(pool).await?;
    }
    sqlx::query("UPDATE background_migrations SET success = TRUE WHERE id = $1")
        .bind(migration.id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn retry(pool: &PgPool, migration: &Migration) -> Result<(), sqlx::Error> {
    if let Some(stmts) = migration.cleanup_sql {
        for stmt in stmts {
            sqlx::query(stmt).execute(pool).await?;
        }
    }
    sqlx::query("UPDATE background_migrations SET attempts = 0 WHERE id = $1")
        .bind(migration.id)
        .execute(pool)
        .await?;
    sqlx::query("UPDATE background_migrations SET last_error = NULL WHERE id = $1")
        .bind(migration.id)
        .execute(pool)
        .await?;
    Ok(())
}
