// Near misses of the transaction-holder fixtures: a data-access object
// that nobody ever builds over a transaction, writes after the transaction
// on the connection was committed, a transaction begun on a pool (the next
// statement may take another connection), and one connection written as
// `self.conn` on one line and split over two on another. Each write takes a
// value of the function, so none is a sweep (the pedantic `sweep` pattern).
use rusqlite::Connection;

pub struct Dao<'a> {
    conn: &'a Connection,
}

impl Dao<'_> {
    pub fn clear(&self, kind: i64) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM dismissals WHERE kind = ?1", [kind])?; //~ write-outside-transaction
        self.conn
            .execute("UPDATE dismissal_counts SET n = 0 WHERE kind = ?1", [kind])?;
        Ok(())
    }
}

pub fn clear(conn: &Connection) -> rusqlite::Result<()> {
    Dao { conn }.clear(1)
}

pub fn after_commit(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    conn.execute("UPDATE a SET x = 1 WHERE id = ?1", [id])?;
    tx.commit()?;
    conn.execute("UPDATE b SET y = 1 WHERE id = ?1", [id])?; //~ write-outside-transaction
    conn.execute("UPDATE c SET z = 1 WHERE id = ?1", [id])?;
    Ok(())
}

pub async fn on_pool(pool: &sqlx::SqlitePool, user: i64) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE user_id = ?1").bind(user).execute(pool).await?; //~ write-outside-transaction
    sqlx::query("UPDATE users SET online = 0 WHERE id = ?1").bind(user).execute(pool).await?;
    tx.commit().await?;
    Ok(())
}
