//! [`PgOptions`]: how a PostgreSQL handle pools and checks its connections.

use std::time::Duration;

/// Options for [`PgDatabase::open_with`](crate::PgDatabase::open_with). Like
/// [`OpenOptions`](crate::OpenOptions), they apply only when the call opens the
/// handle; later opens of the same database return the handle as it is.
///
/// ```
/// use std::time::Duration;
/// use connlint_runtime::PgOptions;
///
/// let options = PgOptions::default()
///     .pool_size(8)
///     .checkout_timeout(Duration::from_secs(10));
/// assert_eq!(options.get_pool_size(), 8);
/// ```
#[derive(Debug, Clone)]
pub struct PgOptions {
    pub(crate) pool_size: usize,
    pub(crate) checkout_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) idle_check: Duration,
    pub(crate) retries: u32,
}

impl Default for PgOptions {
    fn default() -> PgOptions {
        PgOptions {
            pool_size: 4,
            checkout_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            idle_check: Duration::from_secs(30),
            retries: 20,
        }
    }
}

impl PgOptions {
    /// The most connections the pool opens (default 4, at least 1). They are opened
    /// when needed, not up front.
    pub fn pool_size(mut self, size: usize) -> PgOptions {
        self.pool_size = size.max(1);
        self
    }

    /// The pool size this asks for.
    pub fn get_pool_size(&self) -> usize {
        self.pool_size
    }

    /// How long an operation waits for a pooled connection before it fails with
    /// [`Error::PoolTimeout`](crate::Error::PoolTimeout) (default 30 s).
    pub fn checkout_timeout(mut self, timeout: Duration) -> PgOptions {
        self.checkout_timeout = timeout;
        self
    }

    /// How long connecting to the server may take, unless the URL says
    /// (`connect_timeout=`; default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> PgOptions {
        self.connect_timeout = timeout;
        self
    }

    /// A pooled connection idle for longer than this is checked (an empty query on
    /// that same connection) before it is handed out; one that fails is replaced
    /// (default 30 s).
    pub fn idle_check(mut self, idle: Duration) -> PgOptions {
        self.idle_check = idle;
        self
    }

    /// How many times a write is tried when the server aborts it for a
    /// serialization failure or a deadlock (default 20).
    pub fn retries(mut self, retries: u32) -> PgOptions {
        self.retries = retries.max(1);
        self
    }
}
