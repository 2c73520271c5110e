use rusqlite::Connection;

// A local vector is dropped with the function.
pub fn readers(path: &str) -> rusqlite::Result<Vec<Connection>> {
    let mut conns = Vec::new();
    for _ in 0..4 {
        conns.push(Connection::open(path)?);
    }
    Ok(conns)
}

pub struct Pool {
    idle: Vec<Connection>,
}

impl Pool {
    pub fn give_back(&mut self, conn: Connection) {
        self.idle.push(conn);
    }
}
