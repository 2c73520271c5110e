use rusqlite::Connection;

pub fn count(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_every_fixture() {
        for _ in 0..10 {
            let conn = Connection::open_in_memory().unwrap();
            conn.execute_batch("CREATE TABLE t (x)").unwrap();
            assert_eq!(count(&conn), 0);
        }
    }
}

#[test]
fn top_level_test() {
    loop {
        let conn = Connection::open_in_memory().unwrap();
        assert_eq!(count(&conn), 0);
        break;
    }
}
