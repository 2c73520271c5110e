use rusqlite::Connection;

// Accessors that hand out a connection or pool the object already holds:
// calling them per item opens nothing.
pub struct Db {
    conn: Connection,
}

impl Db {
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

pub struct Library {
    db: Db,
    pool: sqlx::SqlitePool,
}

impl Library {
    pub fn db(&self) -> &Db {
        &self.db
    }

    pub fn pool(&self) -> sqlx::SqlitePool {
        self.pool.clone()
    }
}

pub fn titles(library: &Library, ids: &[i64]) -> rusqlite::Result<Vec<String>> {
    let mut out = Vec::new();
    for id in ids {
        out.push(library.db().conn().query_row("SELECT title FROM tracks WHERE id = ?1", [id], |r| r.get(0))?);
    }
    Ok(out)
}

pub async fn count_all(library: &Library, tables: &[&str]) -> sqlx::Result<i64> {
    let mut total = 0;
    for _table in tables {
        let pool = library.pool();
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM tracks").fetch_one(&pool).await?;
        total += n;
    }
    Ok(total)
}
