use diesel::r2d2::{ConnectionManager, Pool};
use diesel::PgConnection;

// A constructor that sets up its store through one of two steps, chosen by
// configuration: each step builds a pool for the database, but only one of
// them runs, so every value keeps one pool.
pub type PgPool = Pool<ConnectionManager<PgConnection>>;

pub fn build_pool(database_url: &str) -> Result<PgPool, String> {
    let manager = ConnectionManager::<PgConnection>::new(database_url);
    Pool::new(manager).map_err(|e| e.to_string())
}

pub struct Service {
    store: Option<PgPool>,
    cached: bool,
}

impl Service {
    fn init_plain(&mut self, database_url: &str) -> Result<(), String> {
        self.store = Some(build_pool(database_url)?);
        Ok(())
    }

    fn init_cached(&mut self, database_url: &str) -> Result<(), String> {
        self.store = Some(build_pool(database_url)?);
        self.cached = true;
        Ok(())
    }

    pub fn new(database_url: &str, cached: bool) -> Result<Service, String> {
        let mut service = Service {
            store: None,
            cached: false,
        };
        if cached {
            service.init_cached(database_url)?;
        } else {
            service.init_plain(database_url)?;
        }
        Ok(service)
    }

    pub fn with_backend(database_url: &str, backend: u8) -> Result<Self, String> {
        let mut service = Service {
            store: None,
            cached: false,
        };
        match backend {
            0 => service.init_plain(database_url)?,
            _ => service.init_cached(database_url)?,
        }
        Ok(service)
    }
}
