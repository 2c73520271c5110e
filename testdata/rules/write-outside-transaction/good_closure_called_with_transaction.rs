// A local closure whose connection parameter every call hands a transaction
// (or a connection reached through one) writes inside that transaction,
// as a helper function does when every caller hands it one. Also when the
// closure is only called from another such closure, and when it hands its
// connection on to a helper function.
use sqlx::{PgConnection, PgPool};

pub async fn finish_job(pool: &PgPool, id: i64, failed: bool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut transaction = conn.begin().await?;

    let delete_job = |db: &mut PgConnection| async move {
        sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(&mut *db).await?;
        sqlx::query("DELETE FROM job_logs WHERE job_id = $1").bind(id).execute(&mut *db).await?;
        Ok::<(), sqlx::Error>(())
    };

    let retry_or_delete = |db: &mut PgConnection| async move {
        sqlx::query("UPDATE jobs SET attempt = attempt + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *db)
            .await?;
        sqlx::query("INSERT INTO job_events (job_id, kind) VALUES ($1, 'retry')")
            .bind(id)
            .execute(&mut *db)
            .await?;
        delete_job(&mut *db).await
    };

    if failed {
        retry_or_delete(&mut transaction).await?;
    } else {
        delete_job(&mut transaction).await?;
    }
    transaction.commit().await?;
    Ok(())
}

fn archive(conn: &rusqlite::Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute("INSERT INTO archive SELECT * FROM notes WHERE id = ?1", [id])?;
    conn.execute("DELETE FROM notes WHERE id = ?1", [id])?;
    Ok(())
}

pub fn archive_all(conn: &mut rusqlite::Connection, ids: &[i64]) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let archive_one = |c: &rusqlite::Connection, id: i64| archive(c, id);
    for id in ids {
        archive_one(&tx, *id)?;
    }
    tx.commit()
}

// The same from blocking code: `block_on(conn.begin())` yields the
// transaction, as `.await` does, also through the application's own
// runtime handle.
pub struct Handle(tokio::runtime::Handle);

impl Handle {
    pub fn block_on<F: std::future::Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }
}

pub fn finish_job_blocking(
    runtime: &Handle,
    pool: &PgPool,
    id: i64,
) -> Result<(), sqlx::Error> {
    let mut conn = runtime.block_on(pool.acquire())?;
    let mut transaction = runtime.block_on(conn.begin())?;
    let delete_job = |db: &mut PgConnection| -> Result<(), sqlx::Error> {
        runtime.block_on(sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(&mut *db))?;
        runtime.block_on(sqlx::query("DELETE FROM job_logs WHERE job_id = $1").bind(id).execute(db))?;
        Ok(())
    };
    delete_job(&mut transaction)?;
    runtime.block_on(transaction.commit())
}
