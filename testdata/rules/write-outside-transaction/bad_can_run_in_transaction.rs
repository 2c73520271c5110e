// Near misses of `good_cannot_run_in_transaction.rs`: an index built
// without CONCURRENTLY runs in a transaction like any other DDL, a
// statement that cannot run in one excuses only the writes on its own
// connection, and a table created without TEMP outlives the session.
use sqlx::PgPool;

pub async fn build_index(pool: &PgPool, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE background_jobs SET attempts = attempts + 1 WHERE id = $1") //~ write-outside-transaction
        .bind(id)
        .execute(pool)
        .await?;
    sqlx::query("CREATE INDEX events_by_user ON events (user_id)")
        .execute(pool)
        .await?;
    sqlx::query("UPDATE background_jobs SET success = TRUE WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn build_index_elsewhere(
    pool: &PgPool,
    admin: &PgPool,
    id: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE background_jobs SET attempts = attempts + 1 WHERE id = $1") //~ write-outside-transaction
        .bind(id)
        .execute(pool)
        .await?;
    sqlx::query("CREATE INDEX CONCURRENTLY IF NOT EXISTS events_by_user ON events (user_id)")
        .execute(admin)
        .await?;
    sqlx::query("UPDATE background_jobs SET success = TRUE WHERE id = $1")
        .bind(id)
        .execute(pool)
        .await?;
    Ok(())
}

pub async fn recount(pool: &PgPool, since: i64) -> Result<(), sqlx::Error> {
    sqlx::query("CREATE TABLE counts AS SELECT author, count(*) AS n FROM posts GROUP BY author") //~ write-outside-transaction
        .execute(pool)
        .await?;
    sqlx::query("UPDATE authors a SET posts = c.n FROM counts c WHERE a.id = c.author AND a.seen > $1")
        .bind(since)
        .execute(pool)
        .await?;
    Ok(())
}
