//@ include-tests
//! Test code sets up its database with plain writes: the database is thrown
//! away with the test, so partial state after a failure harms nothing, even
//! when the tests are linted.
use rusqlite::Connection;

pub fn open(path: &str) -> rusqlite::Result<Connection> {
    Connection::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed(db: &Connection) -> rusqlite::Result<()> {
        db.execute("CREATE TABLE foo (bar TEXT)", [])?;
        db.execute("INSERT INTO foo (bar) VALUES ('a')", [])?;
        db.execute("INSERT INTO foo (bar) VALUES ('b')", [])?;
        Ok(())
    }

    #[test]
    fn counts_rows() -> rusqlite::Result<()> {
        let db = open("test.db")?;
        seed(&db)?;
        db.execute("DELETE FROM foo WHERE bar = 'a'", [])?;
        db.execute("UPDATE foo SET bar = 'c'", [])?;
        Ok(())
    }
}
