use diesel::r2d2::{ConnectionManager, Pool};
use diesel::SqliteConnection;

// One pool per database, shared by the tables on it; pools for different
// databases (tenants); a reader and a writer pool that differ in more than
// a name.
pub type SqlitePool = Pool<ConnectionManager<SqliteConnection>>;

pub fn pool(database_url: &str, read_only: bool) -> Result<SqlitePool, String> {
    let manager = ConnectionManager::<SqliteConnection>::new(database_url);
    Pool::builder()
        .max_size(if read_only { 8 } else { 1 })
        .build(manager)
        .map_err(|e| e.to_string())
}

pub struct Storage {
    pool: SqlitePool,
    table: String,
}

impl Storage {
    pub fn with_pool(pool: SqlitePool, table: &str) -> Storage {
        Storage {
            pool,
            table: table.to_string(),
        }
    }
}

pub fn start(database_url: &str) -> Result<Vec<Storage>, String> {
    let pool = pool(database_url, false)?;
    Ok(vec![
        Storage::with_pool(pool.clone(), "blocks"),
        Storage::with_pool(pool.clone(), "transactions"),
    ])
}

pub fn tenants(eu_url: &str, us_url: &str) -> Result<(SqlitePool, SqlitePool), String> {
    Ok((pool(eu_url, false)?, pool(us_url, false)?))
}

pub fn reader_and_writer(database_url: &str) -> Result<(SqlitePool, SqlitePool), String> {
    let reader = pool(database_url, true)?;
    let writer = pool(database_url, false)?;
    Ok((reader, writer))
}

// One file per component, each named from one directory: different
// databases, though every path starts from the same parameter.
pub fn per_file(dir: &str) -> Result<(SqlitePool, SqlitePool), String> {
    let blocks = pool(&format!("{dir}/blocks.db"), false)?;
    let accounts = pool(&format!("{dir}/accounts.db"), false)?;
    Ok((blocks, accounts))
}

pub struct Store {
    pool: SqlitePool,
    table: &'static str,
}

pub fn store(database_url: &str, table: &'static str) -> Result<Store, String> {
    Ok(Store {
        pool: pool(database_url, false)?,
        table,
    })
}

pub enum Backend {
    Blocks,
    Accounts,
}

// Alternatives: only one arm runs per call, so one pool is built.
pub fn store_for(database_url: &str, backend: Backend) -> Result<Store, String> {
    match backend {
        Backend::Blocks => store(database_url, "blocks"),
        Backend::Accounts => store(database_url, "accounts"),
    }
}

pub fn store_if(database_url: &str, blocks: bool) -> Result<Store, String> {
    if blocks {
        store(database_url, "blocks")
    } else {
        store(database_url, "accounts")
    }
}
