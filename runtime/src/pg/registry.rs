//! The process-wide registry of PostgreSQL handles: one pool per database.
//!
//! The key is what identifies a database on a server: user, hosts, ports and
//! database name, parsed from the URL, so two spellings of one database
//! (`postgres://` and `postgresql://`, options in another order) share one pool.
//! Racing threads wait on the key's slot and get the same `Arc`.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use postgres::config::Host;
use postgres::Config;

use super::options::PgOptions;
use super::pool::Pool;
use super::Shared;
use crate::checked::HandleInfo;
use crate::error::{Error, Result};
use crate::journal::JournalMode;
use crate::lock::lock;

#[derive(Default)]
struct Slot {
    shared: Mutex<Option<Arc<Shared>>>,
    opens: AtomicU64,
}

type Registry = Mutex<HashMap<String, Arc<Slot>>>;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::default)
}

/// The URL with its password (if any) replaced, for error messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// The registry key of a parsed URL.
fn key_of(config: &Config) -> String {
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .map(|h| match h {
            Host::Tcp(name) => name.clone(),
            Host::Unix(path) => path.display().to_string(),
        })
        .collect();
    let ports: Vec<String> = config.get_ports().iter().map(u16::to_string).collect();
    let ports = if ports.is_empty() {
        "5432".to_owned()
    } else {
        ports.join(",")
    };
    format!(
        "postgres://{}@{}:{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        ports,
        config
            .get_dbname()
            .or(config.get_user())
            .unwrap_or_default()
    )
}

/// The open handle for `url`, opening it (one connection, returned to the pool)
/// if there is none.
pub(crate) fn get_or_open(url: &str, options: PgOptions) -> Result<Arc<Shared>> {
    let config = Config::from_str(url).map_err(|e| Error::InvalidUrl {
        url: redact(url),
        reason: e.to_string(),
    })?;
    let key = key_of(&config);
    let slot = lock(registry()).entry(key.clone()).or_default().clone();
    let mut current = lock(&slot.shared);
    if let Some(shared) = current.as_ref() {
        return Ok(shared.clone());
    }
    #[cfg(feature = "tokio")]
    let gates = crate::handle::gates::Gates::new(options.pool_size);
    let pool = Arc::new(Pool::new(key.clone(), config, options));
    // Connect now, so a wrong URL or a server that is down fails the open rather
    // than the first operation; the connection stays in the pool for that one.
    drop(pool.checkout()?);
    let shared = Arc::new(Shared {
        key,
        pool,
        closed: AtomicBool::new(false),
        schemas: Mutex::new(HashSet::new()),
        listener: Mutex::new(None),
        #[cfg(feature = "tokio")]
        gates,
    });
    slot.opens.fetch_add(1, Ordering::SeqCst);
    *current = Some(shared.clone());
    Ok(shared)
}

/// Forgets `shared` if it is still the registered handle of its database.
pub(crate) fn remove(shared: &Arc<Shared>) {
    let slot = lock(registry()).get(&shared.key).cloned();
    if let Some(slot) = slot {
        let mut current = lock(&slot.shared);
        if current.as_ref().is_some_and(|s| Arc::ptr_eq(s, shared)) {
            *current = None;
        }
    }
}

/// Every open PostgreSQL handle, as `PgDatabase` values.
pub(crate) fn handles() -> Vec<super::PgDatabase> {
    let slots: Vec<Arc<Slot>> = lock(registry()).values().cloned().collect();
    slots
        .iter()
        .filter_map(|slot| lock(&slot.shared).clone())
        .map(|shared| super::PgDatabase { shared })
        .collect()
}

/// The open handles as [`HandleInfo`] rows (the key as the path).
pub(crate) fn infos() -> Vec<HandleInfo> {
    let slots: Vec<Arc<Slot>> = lock(registry()).values().cloned().collect();
    slots
        .iter()
        .filter_map(|slot| {
            let shared = lock(&slot.shared).clone()?;
            Some(HandleInfo {
                path: shared.key.clone().into(),
                opens: slot.opens.load(Ordering::SeqCst),
                connections: shared.pool.size(),
                live_transactions: 0,
                journal_mode: JournalMode::Other,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_database_share_a_key() {
        let a = Config::from_str("postgres://ana@127.0.0.1:5433/board").unwrap();
        let b = Config::from_str("postgresql://ana:secret@127.0.0.1:5433/board?connect_timeout=5")
            .unwrap();
        assert_eq!(key_of(&a), key_of(&b));
        assert_eq!(key_of(&a), "postgres://ana@127.0.0.1:5433/board");
        let other = Config::from_str("postgres://ana@127.0.0.1:5433/other").unwrap();
        assert_ne!(key_of(&a), key_of(&other));
    }

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(
            redact("postgres://ana:secret@db/board"),
            "postgres://ana:***@db/board"
        );
        assert_eq!(redact("postgres://db/board"), "postgres://db/board");
    }
}
