use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;

// The fix of one pool per component: the constructor builds one pool and
// hands clones of it to the steps and sub-components that need one; and a
// constructor whose components use two different databases (each given
// separately) builds one pool for each.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;

pub fn build_pool(database_url: &str) -> Result<PgPool, String> {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::new(manager).map_err(|e| e.to_string())
}

pub struct Ledger {
    accounts: Option<PgPool>,
}

impl Ledger {
    pub fn initialize(mut self, pool: &PgPool) -> Ledger {
        self.accounts = Some(pool.clone());
        self
    }
}

pub struct Events {
    pool: PgPool,
}

impl Events {
    pub fn open(pool: PgPool) -> Events {
        Events { pool }
    }

    pub fn open_archive(archive_url: &str) -> Result<Events, String> {
        Ok(Events {
            pool: build_pool(archive_url)?,
        })
    }
}

pub struct Node {
    ledger: Ledger,
    events: Events,
    archive: Events,
    pool: PgPool,
}

impl Node {
    pub fn new(database_url: &str, archive_url: &str) -> Result<Node, String> {
        let pool = build_pool(database_url)?;
        let ledger = Ledger { accounts: None }.initialize(&pool);
        let events = Events::open(pool.clone());
        let archive = Events::open_archive(archive_url)?;
        Ok(Node {
            ledger,
            events,
            archive,
            pool,
        })
    }
}
