use rusqlite::Connection;

// `get` and `post` of other crates, and a `#[get]` without a route: no
// request handlers here.
pub struct Cache;

impl Cache {
    pub fn get(&self, _f: fn() -> i64) {}
}

fn load() -> i64 {
    let conn = Connection::open("cache.db").unwrap();
    conn.query_row("SELECT 1", [], |r| r.get(0)).unwrap()
}

pub fn setup(cache: &Cache) {
    cache.get(load);
}

pub fn main_once() -> rusqlite::Result<()> {
    let conn = Connection::open("app.db")?;
    conn.execute_batch("PRAGMA journal_mode = WAL")?;
    Ok(())
}
