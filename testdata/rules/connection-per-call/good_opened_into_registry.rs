use std::collections::VecDeque;
use std::sync::Arc;

use dashmap::DashMap;
use rusqlite::{Connection, OpenFlags};

// Opens whose connection outlives the call: registered in a map for later
// requests (the client asked to open it), or built into a pool at start-up.
pub struct Handle(Connection);

pub fn open_in_process(db_path: &str, in_memory: bool) -> rusqlite::Result<(Arc<Handle>, Vec<String>)> {
    let conn = if in_memory {
        Connection::open_in_memory()
    } else {
        Connection::open(db_path)
    }?;
    Ok((Arc::new(Handle(conn)), Vec::new()))
}

pub enum Request {
    Open { db_path: String },
    Close { id: u64 },
}

pub struct State {
    conns: DashMap<u64, Arc<Handle>>,
}

fn dispatch(req: Request, state: &State) -> rusqlite::Result<u64> {
    match req {
        Request::Open { db_path } => {
            let (handle, _entries) = open_in_process(&db_path, false)?;
            state.conns.insert(1, handle);
            Ok(1)
        }
        Request::Close { id } => {
            state.conns.remove(&id);
            Ok(0)
        }
    }
}

pub fn serve(state: &State, requests: std::sync::mpsc::Receiver<Request>) {
    for req in requests {
        let _ = dispatch(req, state);
    }
}

pub fn pool(path: &str, size: usize, flags: OpenFlags) -> Result<VecDeque<Connection>, String> {
    (0..size)
        .map(|_| {
            let conn = Connection::open_with_flags(path, flags).map_err(|e| e.to_string());
            match conn {
                Ok(conn) => {
                    conn.execute_batch("PRAGMA cache_size = -64000").map_err(|e| e.to_string())?;
                    Ok(conn)
                }
                Err(e) => Err(e),
            }
        })
        .collect()
}
