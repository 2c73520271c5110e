// Near misses of `good_closure_called_with_transaction.rs`: a local closure
// is inside a transaction only when every call hands it one. One call on
// the bare connection, or a closure handed on to code that may call it
// with anything, leaves its writes outside any transaction.
use sqlx::{PgConnection, PgPool};

pub async fn finish_job(pool: &PgPool, id: i64, failed: bool) -> Result<(), sqlx::Error> {
    let mut conn = pool.acquire().await?;
    let mut transaction = conn.begin().await?;

    let delete_job = |db: &mut PgConnection| async move {
        sqlx::query("DELETE FROM jobs WHERE id = $1").bind(id).execute(&mut *db).await?; //~ write-outside-transaction
        sqlx::query("DELETE FROM job_logs WHERE job_id = $1").bind(id).execute(&mut *db).await?;
        Ok::<(), sqlx::Error>(())
    };

    if failed {
        delete_job(&mut transaction).await?;
        transaction.commit().await?;
    } else {
        transaction.commit().await?;
        delete_job(&mut conn).await?;
    }
    Ok(())
}

fn run_with<F: Fn(&rusqlite::Connection) -> rusqlite::Result<()>>(f: F) -> rusqlite::Result<()> {
    let conn = rusqlite::Connection::open("app.db")?;
    f(&conn)
}

pub fn handed_on(conn: &mut rusqlite::Connection, id: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    let move_note = |c: &rusqlite::Connection| {
        c.execute("INSERT INTO archive SELECT * FROM notes WHERE id = ?1", [id])?; //~ write-outside-transaction
        c.execute("DELETE FROM notes WHERE id = ?1", [id])?;
        Ok(())
    };
    move_note(&tx)?;
    tx.commit()?;
    run_with(move_note)
}
