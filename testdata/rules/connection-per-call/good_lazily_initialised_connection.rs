use rusqlite::{Connection, OpenFlags, Transaction};
use tokio::sync::OnceCell;

// Connections opened on first use and kept: a cell in the struct, filled
// through a factory with a repair fallback, and an async once-cell. Callers
// use them per item; nothing is opened again.
fn open_database(path: &str, flags: OpenFlags) -> rusqlite::Result<Connection> {
    do_open(path, flags).or_else(|_| {
        std::fs::remove_file(path).ok();
        do_open(path, flags)
    })
}

fn do_open(path: &str, flags: OpenFlags) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(path, flags)?;
    conn.execute_batch("PRAGMA journal_mode = WAL")?;
    Ok(conn)
}

enum ConnectionCell {
    Uninitialized,
    Initialized(Connection),
}

pub struct Storage {
    path: String,
    conn: ConnectionCell,
}

impl Storage {
    fn transaction(&mut self) -> rusqlite::Result<Transaction<'_>> {
        if let ConnectionCell::Uninitialized = self.conn {
            self.conn = ConnectionCell::Initialized(open_database(&self.path, OpenFlags::default())?);
        }
        match &mut self.conn {
            ConnectionCell::Initialized(conn) => conn.transaction(),
            ConnectionCell::Uninitialized => unreachable!(),
        }
    }

    pub fn last_modified(&mut self) -> rusqlite::Result<i64> {
        let tx = self.transaction()?;
        tx.query_row("SELECT max(modified) FROM records", [], |r| r.get(0))
    }
}

pub fn sync_all(stores: &mut [Storage]) -> rusqlite::Result<i64> {
    let mut total = 0;
    for store in stores.iter_mut() {
        total += store.last_modified()?;
    }
    Ok(total)
}

static META: OnceCell<Connection> = OnceCell::const_new();

async fn meta() -> rusqlite::Result<&'static Connection> {
    META.get_or_try_init(|| async { Connection::open("meta.db") }).await
}

pub async fn prompt_loop(inputs: Vec<String>) {
    for input in inputs {
        if let Ok(meta) = meta().await {
            meta.execute("INSERT INTO history (line) VALUES (?1)", [input]).ok();
        }
    }
}
