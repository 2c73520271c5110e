use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use rusqlite::Connection;

static REGISTRY: LazyLock<Mutex<HashMap<String, Connection>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

// One connection per path, replaced rather than accumulated: a cache.
pub fn register(path: &str) -> rusqlite::Result<()> {
    let conn = Connection::open(path)?;
    REGISTRY.lock().unwrap().insert(path.to_string(), conn);
    Ok(())
}
