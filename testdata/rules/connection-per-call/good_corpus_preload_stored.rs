// False positive of `connection-per-call`, from tauri-plugin-sql 2.6
// (src/lib.rs, `Builder::build`, the setup closure).
//
// At start-up, one pool is opened per database named in the configuration
// (a different database per element), through the crate's own factory
// `DbPool::connect`, and each pool is inserted into the map of instances
// (behind an async `RwLock`) that the application keeps for its lifetime.
// Both exclusions of the rule apply: the database depends on the loop
// element, and the pools are collected to outlive the loop.
//
// Expected: no finding.
use std::collections::HashMap;

use sqlx::{Pool, Sqlite};
use tokio::sync::RwLock;

pub enum DbPool {
    Sqlite(Pool<Sqlite>),
}

impl DbPool {
    pub async fn connect(url: &str, create: bool) -> Result<DbPool, sqlx::Error> {
        let options = url
            .parse::<sqlx::sqlite::SqliteConnectOptions>()?
            .create_if_missing(create);
        Ok(DbPool::Sqlite(Pool::connect_with(options).await?))
    }
}

#[derive(Default)]
pub struct DbInstances(pub RwLock<HashMap<String, DbPool>>);

pub async fn preload(databases: Vec<String>) -> Result<DbInstances, sqlx::Error> {
    let instances = DbInstances::default();
    let mut lock = instances.0.write().await;
    for db in databases {
        let pool = DbPool::connect(&db, true).await?;
        lock.insert(db, pool);
    }
    drop(lock);
    Ok(instances)
}
