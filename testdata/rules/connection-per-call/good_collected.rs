use rusqlite::Connection;

pub struct Readers {
    conns: Vec<Connection>,
}

// Connections opened in a loop but kept: a hand-rolled reader pool.
pub fn readers(path: &str, n: usize) -> rusqlite::Result<Readers> {
    let mut conns = Vec::new();
    for _ in 0..n {
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "query_only", true)?;
        conns.push(conn);
    }
    Ok(Readers { conns })
}

pub fn readers_collected(path: &str, n: usize) -> rusqlite::Result<Vec<Connection>> {
    (0..n).map(|_| Connection::open(path)).collect()
}

pub fn per_worker(path: &str, workers: usize) {
    let mut handles = Vec::new();
    for _ in 0..workers {
        let conn = Connection::open(path).unwrap();
        handles.push(std::thread::spawn(move || {
            conn.execute("UPDATE jobs SET worker = 1", []).unwrap();
        }));
    }
}
