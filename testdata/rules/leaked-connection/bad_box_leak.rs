use rusqlite::Connection;

// A fresh connection leaked on every call, to hand out a 'static reference.
pub fn conn_for(path: &str) -> &'static Connection {
    let conn = Connection::open(path).expect("open");
    Box::leak(Box::new(conn)) //~ leaked-connection
}
