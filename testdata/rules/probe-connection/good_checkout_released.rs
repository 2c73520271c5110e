use r2d2::Pool;
use r2d2_sqlite::SqliteConnectionManager;

pub fn two_steps(pool: &Pool<SqliteConnectionManager>) -> rusqlite::Result<()> {
    {
        let conn = pool.get().expect("checkout");
        conn.execute("DELETE FROM cache", [])?;
    }
    let conn = pool.get().expect("checkout");
    conn.execute("VACUUM", [])?;
    Ok(())
}

pub fn dropped_first(pool: &Pool<SqliteConnectionManager>) -> rusqlite::Result<()> {
    let first = pool.get().expect("checkout");
    first.execute("DELETE FROM cache", [])?;
    drop(first);
    let second = pool.get().expect("checkout");
    second.execute("VACUUM", [])?;
    Ok(())
}
