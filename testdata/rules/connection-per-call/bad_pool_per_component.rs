use diesel::r2d2::{ConnectionManager, Pool};
use diesel::SqliteConnection;

// A storage type that builds its own r2d2 pool, constructed once per table
// on the same database file: every table gets a pool of its own.
pub struct Storage {
    pool: Pool<ConnectionManager<SqliteConnection>>,
    table: String,
}

impl Storage {
    pub fn connect(database_url: &str, table: &str) -> Result<Storage, String> {
        let connection_string = if database_url.starts_with("file:") {
            database_url.to_string()
        } else {
            format!("file:{database_url}?mode=rwc")
        };
        let manager = ConnectionManager::<SqliteConnection>::new(connection_string);
        let pool = Pool::new(manager).map_err(|e| e.to_string())?; //~ connection-per-call
        Ok(Storage {
            pool,
            table: table.to_string(),
        })
    }
}

pub fn new_store(database_url: &str, table: &str) -> Result<Storage, String> {
    Storage::connect(database_url, table)
}

pub struct Svm {
    blocks: Storage,
    transactions: Storage,
    accounts: Storage,
}

pub fn start(database_url: &str) -> Result<Svm, String> {
    let blocks = new_store(database_url, "blocks")?;
    let transactions = new_store(database_url, "transactions")?;
    let accounts = new_store(database_url, "accounts")?;
    Ok(Svm {
        blocks,
        transactions,
        accounts,
    })
}
