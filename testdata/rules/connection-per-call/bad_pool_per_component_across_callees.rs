use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;

// One pool per component, built in different functions of one
// construction path: the constructor builds the `blocks` store, the
// `initialize` step it calls builds the `accounts` store, and a
// sub-component's constructor builds the `events` store, all for the
// database the constructor was given. Every node keeps three pools to one
// database.
pub struct Store {
    pool: Pool<ConnectionManager<PgConnection>>,
    table: String,
}

impl Store {
    pub fn connect(database_url: &str, table: &str) -> Result<Store, String> {
        let manager = ConnectionManager::<PgConnection>::new(database_url);
        let pool = Pool::new(manager).map_err(|e| e.to_string())?; //~ connection-per-call
        Ok(Store {
            pool,
            table: table.to_string(),
        })
    }
}

pub fn new_store(database_url: &Option<&str>, table: &str) -> Result<Option<Store>, String> {
    match database_url {
        Some(url) => Ok(Some(Store::connect(url, table)?)),
        None => Ok(None),
    }
}

pub struct Ledger {
    accounts: Option<Store>,
}

impl Ledger {
    pub fn empty() -> Ledger {
        Ledger { accounts: None }
    }

    pub fn initialize(mut self, database_url: Option<&str>) -> Result<Ledger, String> {
        if let Some(url) = database_url {
            self.accounts = new_store(&Some(url), "accounts")?;
        }
        Ok(self)
    }
}

pub struct Events {
    store: Option<Store>,
}

impl Events {
    pub fn open(database_url: Option<&str>) -> Result<Events, String> {
        let store = new_store(&database_url, "events")?;
        Ok(Events { store })
    }
}

pub struct Node {
    ledger: Ledger,
    blocks: Option<Store>,
    events: Events,
}

impl Node {
    pub fn new_with_db(database_url: Option<&str>) -> Result<(Self, u32), String> {
        let ledger = Ledger::empty().initialize(database_url)?;
        let blocks = new_store(&database_url, "blocks")?;
        let events = Events::open(database_url)?;
        Ok((
            Node {
                ledger,
                blocks,
                events,
            },
            0,
        ))
    }
}
