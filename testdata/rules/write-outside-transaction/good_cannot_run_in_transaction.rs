// Statements PostgreSQL refuses inside a transaction block (`CREATE INDEX
// CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX .. CONCURRENTLY`,
// `VACUUM`, `CREATE DATABASE`, `ALTER SYSTEM`): a function that runs one
// beside its bookkeeping writes cannot wrap them all in one transaction,
// so advising one is wrong. A `CREATE TEMP TABLE` is a scratch table that
// ends with the session: it is no write that outlives a failure.
use sqlx::PgPool;

pub async fn build_index(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE background_jobs SET attempts = attempts + 1 WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    sqlx::query("CREATE INDEX CONCURRENTLY IF NOT EXISTS events_by_user ON events (user_id)")
        .execute(pool)
        .await?;
    sqlx::query("UPDATE background_jobs SET success = TRUE WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub fn compact(conn: &mut postgres::Client, before: i64) -> Result<(), postgres::Error> {
    conn.execute("DELETE FROM events WHERE at < $1", &[&before])?;
    conn.execute("DELETE FROM event_tags WHERE at < $1", &[&before])?;
    conn.batch_execute("VACUUM ANALYZE events")?;
    Ok(())
}

pub async fn recount(pool: &PgPool, since: i64) -> Result<(), sqlx::Error> {
    sqlx::query("CREATE TEMP TABLE counts AS SELECT author, count(*) AS n FROM posts GROUP BY author")
        .execute(pool)
        .await?;
    sqlx::query("UPDATE authors a SET posts = c.n FROM counts c WHERE a.id = c.author AND a.seen > $1")
        .bind(since)
        .execute(pool)
        .await?;
    Ok(())
}
