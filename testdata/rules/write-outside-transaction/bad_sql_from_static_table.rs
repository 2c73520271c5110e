// SQL read from a field of the crate's own static table of structs is the
// union of the literals given to that field. Here the statements all run
// inside a transaction (a plain `CREATE INDEX` and an `UPDATE`): beside
// the bookkeeping writes they are writes that a failure leaves half done.
use sqlx::PgPool;

pub struct Migration {
    pub id: &'static str,
    pub apply_sql: &'static [&'static str],
    pub cleanup_sql: Option<&'static [&'static str]>,
}

pub static MIGRATIONS: &[Migration] = &[Migration {
    id: "events_by_user",
    apply_sql: &["CREATE INDEX IF NOT EXISTS events_by_user ON events (user_id)", "UPDATE events SET indexed = TRUE"],
    cleanup_sql: Some(&["DROP INDEX IF EXISTS events_by_user"]),
}];

pub async fn apply(pool: &PgPool, migration: &Migration) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE background_migrations SET attempts = attempts + 1 WHERE id = $1") //~ write-outside-transaction
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
    sqlx::query("UPDATE background_migrations SET attempts = 0 WHERE id = $1") //~ write-outside-transaction
        .bind(migration.id)
        .execute(pool)
        .await?;
    sqlx::query("UPDATE background_migrations SET last_error = NULL WHERE id = $1")
        .bind(migration.id)
        .execute(pool)
        .await?;
    Ok(())
}
