use std::cell::RefCell;

use rusqlite::Connection;

thread_local! {
    static CONNS: RefCell<Vec<Connection>> = RefCell::new(Vec::new());
}

pub fn session(path: &str) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    CONNS.with(|conns| conns.borrow_mut().push(conn)); //~ leaked-connection
    Ok(())
}
