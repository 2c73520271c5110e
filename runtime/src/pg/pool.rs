//! The connection pool of one PostgreSQL handle, and the pooled connection with its
//! statement cache.
//!
//! Connections are opened when an operation needs one and none is idle, up to the
//! pool size, and kept for the life of the handle. A connection is checked on the
//! way out of the pool, never by a second "probe" connection: a closed one is
//! dropped, and one idle for longer than [`PgOptions::idle_check`] answers an
//! empty query first (`Client::is_valid`). A connection that comes back inside a
//! transaction (a panic, a failed rollback) is rolled back or dropped, never
//! handed to the next caller half-way through someone else's transaction.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use postgres::{Client, Config, NoTls, Statement};

use super::options::PgOptions;
use crate::error::{Error, Result};
use crate::lock::lock;

/// One server connection and the statements prepared on it.
pub(crate) struct PgConn {
    pub(crate) client: Client,
    statements: HashMap<&'static str, Statement>,
    last_used: Instant,
    /// A `BEGIN` was sent and no `COMMIT`/`ROLLBACK` yet.
    pub(crate) in_transaction: bool,
}

impl PgConn {
    /// The prepared statement for `sql` (prepared once per connection: every later
    /// use is one round trip).
    pub(crate) fn statement(&mut self, sql: &'static str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql, statement.clone());
        Ok(statement)
    }
}

/// Opens one connection. The only place the backend connects.
pub(crate) fn connect(config: &Config) -> Result<Client, postgres::Error> {
    config.connect(NoTls)
}

struct PoolState {
    idle: Vec<PgConn>,
    /// Connections that exist: idle plus checked out.
    total: usize,
    closed: bool,
}

/// The pool: idle connections and how many exist.
pub(crate) struct Pool {
    state: Mutex<PoolState>,
    freed: Condvar,
    config: Config,
    options: PgOptions,
    key: String,
}

impl Pool {
    pub(crate) fn new(key: String, mut config: Config, options: PgOptions) -> Pool {
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(options.connect_timeout);
        }
        if config.get_application_name().is_none() {
            config.application_name("connlint-runtime");
        }
        Pool {
            state: Mutex::new(PoolState {
                idle: Vec::new(),
                total: 0,
                closed: false,
            }),
            freed: Condvar::new(),
            config,
            options,
            key,
        }
    }

    pub(crate) fn options(&self) -> &PgOptions {
        &self.options
    }

    pub(crate) fn config(&self) -> &Config {
        &self.config
    }

    /// Connections that exist right now (idle and checked out).
    pub(crate) fn size(&self) -> usize {
        lock(&self.state).total
    }

    /// A connection for one operation: an idle one that passes its check, a new
    /// one while the pool is below its size, or the next one returned.
    pub(crate) fn checkout(self: &Arc<Pool>) -> Result<Pooled> {
        let deadline = Instant::now() + self.options.checkout_timeout;
        let mut state = lock(&self.state);
        loop {
            if state.closed {
                return Err(self.closed_error());
            }
            if let Some(mut conn) = state.idle.pop() {
                drop(state);
                if self.usable(&mut conn) {
                    return Ok(Pooled {
                        pool: self.clone(),
                        conn: Some(conn),
                    });
                }
                drop(conn);
                state = lock(&self.state);
                state.total -= 1;
                continue;
            }
            if state.total < self.options.pool_size {
                state.total += 1;
                drop(state);
                return match connect(&self.config) {
                    Ok(client) => Ok(Pooled {
                        pool: self.clone(),
                        conn: Some(PgConn {
                            client,
                            statements: HashMap::new(),
                            last_used: Instant::now(),
                            in_transaction: false,
                        }),
                    }),
                    Err(source) => {
                        lock(&self.state).total -= 1;
                        self.freed.notify_one();
                        Err(self.error(source))
                    }
                };
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(Error::PoolTimeout {
                    database: self.key.clone(),
                    waited: self.options.checkout_timeout,
                });
            }
            state = self
                .freed
                .wait_timeout(state, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// The health check on the pooled connection itself.
    fn usable(&self, conn: &mut PgConn) -> bool {
        if conn.client.is_closed() {
            return false;
        }
        if conn.last_used.elapsed() >= self.options.idle_check {
            return conn.client.is_valid(Duration::from_secs(5)).is_ok();
        }
        true
    }

    fn give_back(&self, mut conn: PgConn) {
        if conn.in_transaction {
            // Only a panic or a failed rollback gets here: end that transaction
            // before anyone else can use the connection.
            if conn.client.batch_execute("ROLLBACK").is_ok() {
                conn.in_transaction = false;
            }
        }
        let mut state = lock(&self.state);
        if state.closed || conn.in_transaction || conn.client.is_closed() {
            state.total -= 1;
        } else {
            conn.last_used = Instant::now();
            state.idle.push(conn);
        }
        drop(state);
        self.freed.notify_one();
    }

    /// Refuses new checkouts and closes the idle connections; connections in use
    /// close when they come back.
    pub(crate) fn close(&self) {
        let idle = {
            let mut state = lock(&self.state);
            state.closed = true;
            state.total -= state.idle.len();
            std::mem::take(&mut state.idle)
        };
        for conn in idle {
            // A graceful Terminate message; the server ends the session at once.
            let _ = conn.client.close();
        }
        self.freed.notify_all();
    }

    pub(crate) fn closed_error(&self) -> Error {
        Error::Closed {
            path: self.key.clone().into(),
        }
    }

    pub(crate) fn error(&self, source: postgres::Error) -> Error {
        Error::Postgres {
            database: self.key.clone(),
            source,
        }
    }
}

/// A checked-out connection; it goes back to the pool when dropped.
pub(crate) struct Pooled {
    pool: Arc<Pool>,
    conn: Option<PgConn>,
}

impl Deref for Pooled {
    type Target = PgConn;

    fn deref(&self) -> &PgConn {
        self.conn.as_ref().expect("present until drop")
    }
}

impl DerefMut for Pooled {
    fn deref_mut(&mut self) -> &mut PgConn {
        self.conn.as_mut().expect("present until drop")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            self.pool.give_back(conn);
        }
    }
}
