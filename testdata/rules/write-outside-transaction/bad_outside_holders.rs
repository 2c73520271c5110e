// Near misses of the transaction-holder fixtures: a data-access object
// that nobody ever builds over a transaction, writes after the transaction
// on the connection was committed, a transaction begun on a pool (the next
// statement may take another connection), and one connection written as
// `self.conn` on one line and split over two on another.
use rusqlite::Connection;

pub struct Dao<'a> {
    conn: &'a Connection,
}

impl Dao<'_> {
    pub fn clear(&self) -> rusqlite::Result<()> {
        self.conn.execute("DELETE FROM dismissals WHERE kind = 1", [])?; //~ write-outside-transaction
        self.conn
            .execute("UPDATE dismissal_counts SET n = 0 WHERE kind = 1", [])?;
        Ok(())
    }
}

pub fn clear(conn: &Connection) -> rusqlite::Result<()> {
    Dao { conn }.clear()
}

pub fn after_commit(conn: &Connection) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    conn.execute("UPDATE a SET x = 1", [])?;
    tx.commit()?;
    conn.execute("UPDATE b SET y = 1", [])?; //~ write-outside-transaction
    conn.execute("UPDATE c SET z = 1", [])?;
    Ok(())
}

pub async fn on_pool(pool: &sqlx::SqlitePool) -> sqlx::Result<()> {
    let tx = pool.begin().await?;
    sqlx::query("DELETE FROM sessions WHERE expired").execute(pool).await?; //~ write-outside-transaction
    sqlx::query("UPDATE users SET online = 0").execute(pool).await?;
    tx.commit().await?;
    Ok(())
}
