use rusqlite::Connection;

fn main() {
    let conn: &'static Connection = Box::leak(Box::new(Connection::open("app.db").unwrap()));
    conn.execute_batch("PRAGMA journal_mode = WAL").unwrap();
}
