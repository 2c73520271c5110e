use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use diesel::r2d2::{ConnectionManager, Pool};
use diesel::SqliteConnection;

// A factory that caches the pool it builds, keyed by the database: every
// component on one database gets a clone of one shared pool, so calling it
// once per component is fine. An in-memory database is meant to be private
// to its component, so that branch builds a pool of its own on purpose.
type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

static SHARED_POOLS: OnceLock<Mutex<HashMap<String, SqlitePool>>> = OnceLock::new();

fn shared_pool(connection_string: &str, in_memory: bool) -> Result<SqlitePool, String> {
    if in_memory {
        let manager = ConnectionManager::<SqliteConnection>::new(connection_string);
        return Pool::builder().max_size(1).build(manager).map_err(|e| e.to_string());
    }
    let pools = SHARED_POOLS.get_or_init(|| Mutex::new(HashMap::new()));
    let mut guard = pools.lock().map_err(|_| "poisoned".to_string())?;
    if let Some(pool) = guard.get(connection_string) {
        return Ok(pool.clone());
    }
    let manager = ConnectionManager::<SqliteConnection>::new(connection_string);
    let pool = Pool::builder()
        .max_size(10)
        .build(manager)
        .map_err(|e| e.to_string())?;
    guard.insert(connection_string.to_string(), pool.clone());
    Ok(pool)
}

pub struct Storage {
    pool: SqlitePool,
    table: String,
}

impl Storage {
    pub fn connect(database_url: &str, table: &str) -> Result<Storage, String> {
        let connection_string = format!("file:{database_url}?mode=rwc");
        let pool = shared_pool(&connection_string, database_url == ":memory:")?;
        Ok(Storage {
            pool,
            table: table.to_string(),
        })
    }
}

pub fn start(database_url: &str) -> Result<Vec<Storage>, String> {
    let blocks = Storage::connect(database_url, "blocks")?;
    let transactions = Storage::connect(database_url, "transactions")?;
    let accounts = Storage::connect(database_url, "accounts")?;
    Ok(vec![blocks, transactions, accounts])
}

// The same cache kept in a struct field instead of a static.
pub struct Pools {
    by_url: HashMap<String, SqlitePool>,
}

impl Pools {
    pub fn get(&mut self, url: &str) -> Result<SqlitePool, String> {
        if let Some(pool) = self.by_url.get(url) {
            return Ok(pool.clone());
        }
        let pool = Pool::new(ConnectionManager::<SqliteConnection>::new(url))
            .map_err(|e| e.to_string())?;
        self.by_url.insert(url.to_string(), pool.clone());
        Ok(pool)
    }
}

pub fn components(pools: &mut Pools, url: &str) -> Result<(Storage, Storage), String> {
    let blocks = Storage {
        pool: pools.get(url)?,
        table: "blocks".to_string(),
    };
    let accounts = Storage {
        pool: pools.get(url)?,
        table: "accounts".to_string(),
    };
    Ok((blocks, accounts))
}
