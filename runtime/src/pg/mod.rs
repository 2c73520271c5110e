//! The PostgreSQL backend (feature `postgres`): [`PgDatabase`], one pooled handle
//! per database per process, as [`Database`](crate::Database) is for a file.
//!
//! The task board runs on it when [`KanbanStore::open`](crate::KanbanStore::open)
//! is given a `postgres://` (or `postgresql://`) URL instead of a path. What the
//! SQLite handle guarantees holds here in PostgreSQL's terms:
//!
//! - **One pool per process and database.** [`PgDatabase::open`] is a registry
//!   lookup keyed by user, hosts, ports and database name; racing threads get the
//!   same handle, and calling it per request or per tick opens nothing.
//! - **No probe connection.** The first pooled connection creates the schema; a
//!   connection is checked on its way out of the pool, on itself
//!   (`pool.rs`); [`PgDatabase::health_check`] runs on a pooled connection.
//! - **One transaction per write**, committed on `Ok` and rolled back on `Err`,
//!   retried after a serialization failure or a deadlock; a write nested on the
//!   same thread is a savepoint of it (`tx.rs`).
//! - **Event ids in commit order**, so cursors over `task_events` never skip an
//!   event (`tx.rs` explains the advisory lock that does it).
//! - **Schema creation by several processes at once** serialized by a
//!   transaction-level advisory lock.
//! - **`LISTEN/NOTIFY`** wakes a waiting notifier when events commit
//!   ([`KanbanStore::wait_for_news`](crate::KanbanStore::wait_for_news)), on one
//!   long-lived listening connection per handle, opened on first use.
//! - **Shutdown:** [`PgDatabase::close`] (and [`close_all`](crate::close_all))
//!   ends every connection of the handle; later use is
//!   [`Error::Closed`](crate::Error::Closed).

mod listen;
mod options;
mod pool;
mod registry;
pub(crate) mod tx;

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::health::Health;
use crate::lock::lock;
pub use options::PgOptions;
pub(crate) use registry::{handles, infos};
pub(crate) use tx::PgTx;

/// The shared state of one PostgreSQL handle.
pub(crate) struct Shared {
    key: String,
    pool: Arc<pool::Pool>,
    closed: AtomicBool,
    /// Schemas created through this handle.
    schemas: Mutex<HashSet<&'static str>>,
    listener: Mutex<Option<listen::Listener>>,
    /// Admission of async callers: one permit per pooled connection.
    #[cfg(feature = "tokio")]
    pub(crate) gates: crate::handle::gates::Gates,
}

impl Shared {
    fn check_open(&self) -> Result<()> {
        if self.closed.load(Ordering::SeqCst) {
            Err(self.pool.closed_error())
        } else {
            Ok(())
        }
    }

    fn writer_held(&self) -> Error {
        Error::WriterHeld {
            path: self.key.clone().into(),
        }
    }
}

/// A handle to one PostgreSQL database, shared by every thread of the process:
/// a pool of connections opened as needed.
///
/// Most programs never name it: [`KanbanStore::open`](crate::KanbanStore::open)
/// with a `postgres://` URL opens it. It is here for the options, the shutdown and
/// the health check.
///
/// ```no_run
/// use connlint_runtime::{PgDatabase, PgOptions};
///
/// # fn main() -> Result<(), connlint_runtime::Error> {
/// let url = "postgres://kanban@db.internal:5432/boards";
/// let db = PgDatabase::open_with(url, PgOptions::default().pool_size(8))?;
/// assert!(db.same_handle(&PgDatabase::open(url)?)); // a registry lookup
/// assert_eq!(db.health_check()?, connlint_runtime::Health::Ok);
/// db.close()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct PgDatabase {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for PgDatabase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDatabase")
            .field("database", &self.shared.key)
            .field("closed", &self.is_closed())
            .finish()
    }
}

impl PgDatabase {
    /// The process's handle for the database `url` names
    /// (`postgres://user[:password]@host[:port]/name[?options]`), with default
    /// [`PgOptions`] if this call opens it. Opening connects once and creates
    /// nothing else; the stores create their schema on that connection.
    ///
    /// Errors: [`Error::InvalidUrl`] for a URL that does not parse,
    /// [`Error::Postgres`] when the server cannot be reached or refuses the login.
    pub fn open(url: &str) -> Result<PgDatabase> {
        PgDatabase::open_with(url, PgOptions::default())
    }

    /// Like [`PgDatabase::open`] with explicit options (used only by the call that
    /// opens the handle).
    pub fn open_with(url: &str, options: PgOptions) -> Result<PgDatabase> {
        let shared = registry::get_or_open(url, options)?;
        Ok(PgDatabase { shared })
    }

    /// The database as `postgres://user@host:port/name`: the registry key, without
    /// the password.
    pub fn key(&self) -> &str {
        &self.shared.key
    }

    /// Whether two values are the same handle.
    pub fn same_handle(&self, other: &PgDatabase) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Whether [`PgDatabase::close`] was called on this handle.
    pub fn is_closed(&self) -> bool {
        self.shared.closed.load(Ordering::SeqCst)
    }

    /// Connections the pool holds right now (idle and in use; the listening
    /// connection of [`KanbanStore::wait_for_news`](crate::KanbanStore::wait_for_news)
    /// is not counted).
    pub fn connections(&self) -> usize {
        self.shared.pool.size()
    }

    /// Asks the server on a pooled connection whether it answers queries:
    /// [`Health::Ok`], or [`Health::Unknown`] with the reason when it does not
    /// (PostgreSQL looks after its own files; this is about reaching it).
    pub fn health_check(&self) -> Result<Health> {
        match tx::read(&self.shared, |tx| tx.query_one("SELECT 1", &[])) {
            Ok(_) => Ok(Health::Ok),
            Err(e @ Error::Closed { .. }) => Err(e),
            Err(e) => Ok(Health::Unknown(e.to_string())),
        }
    }

    /// Closes the handle: no new operation starts, idle connections close now and
    /// busy ones when their operation ends, the listening connection closes, and
    /// the registry forgets the handle (a later open makes a new one). Later use of
    /// this handle is [`Error::Closed`].
    pub fn close(&self) -> Result<()> {
        if self.shared.closed.swap(true, Ordering::SeqCst) {
            return Err(self.shared.pool.closed_error());
        }
        self.shared.pool.close();
        drop(lock(&self.shared.listener).take());
        registry::remove(&self.shared);
        Ok(())
    }

    /// Runs `migrate` once per handle for `name`, in one write transaction that
    /// holds the advisory lock `lock_key`, so several processes creating the same
    /// schema at once take turns instead of failing on each other's `CREATE`.
    pub(crate) fn ensure_schema(
        &self,
        name: &'static str,
        lock_key: i64,
        mut migrate: impl FnMut(&mut PgTx<'_>) -> Result<()>,
    ) -> Result<()> {
        if lock(&self.shared.schemas).contains(name) {
            return Ok(());
        }
        self.write(|tx| {
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&lock_key])?;
            migrate(tx)
        })?;
        lock(&self.shared.schemas).insert(name);
        Ok(())
    }

    /// Runs `f` in a write transaction (a savepoint when nested on this thread).
    pub(crate) fn write<T>(&self, f: impl FnMut(&mut PgTx<'_>) -> Result<T>) -> Result<T> {
        tx::write(&self.shared, f)
    }

    /// Runs `f` on a pooled connection, or in this thread's open transaction.
    pub(crate) fn read<T>(&self, f: impl FnMut(&mut PgTx<'_>) -> Result<T>) -> Result<T> {
        tx::read(&self.shared, f)
    }

    /// Runs `body` with a transaction open on this thread: store operations on
    /// this handle inside it run in savepoints of it.
    pub(crate) fn transaction<T>(&self, body: impl FnMut() -> Result<T>) -> Result<T> {
        tx::transaction(&self.shared, body)
    }

    /// Waits until a notification arrives on [`tx::CHANNEL`] or `timeout` passes;
    /// `pending` is asked once the listener is in place, so an event committed
    /// before it was listening is not missed. Whether there is news.
    pub(crate) fn wait_for_notification(
        &self,
        timeout: Duration,
        pending: impl FnOnce() -> Result<bool>,
    ) -> Result<bool> {
        self.shared.check_open()?;
        listen::wait(&self.shared, timeout, pending)
    }

    #[cfg(feature = "tokio")]
    pub(crate) fn shared(&self) -> &Shared {
        &self.shared
    }
}
