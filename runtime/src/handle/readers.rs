//! The pool of read-only (`query_only`) connections that serve
//! [`Database::read`](crate::Database::read) beside the writer.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use rusqlite::Connection;

use crate::lock::lock;
use crate::policy::Policy;

/// A reader connection, its statement policy, and the last `PRAGMA data_version` the
/// result cache saw on it.
pub(crate) struct PooledReader {
    pub(crate) conn: Connection,
    pub(crate) policy: Arc<Policy>,
    pub(crate) seen_version: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Open,
    /// Close has begun: no new loans; returned readers wait in `idle` to be closed.
    Closing,
    /// Closed: a reader returned now is closed at once.
    Closed,
}

struct Idle {
    readers: Vec<PooledReader>,
    state: State,
}

/// Why a checkout gave no reader.
pub(crate) enum NoReader {
    /// The handle is closing or closed.
    Closed,
    /// None came back within the wait.
    TimedOut,
}

/// The idle readers and a condition variable for returns.
pub(crate) struct ReaderPool {
    idle: Mutex<Idle>,
    returned: Condvar,
    size: usize,
}

impl ReaderPool {
    pub(crate) fn new(readers: Vec<PooledReader>) -> ReaderPool {
        ReaderPool {
            size: readers.len(),
            idle: Mutex::new(Idle {
                readers,
                state: State::Open,
            }),
            returned: Condvar::new(),
        }
    }

    /// How many readers the pool has (0: reads use the writer).
    pub(crate) fn size(&self) -> usize {
        self.size
    }

    /// Lends a reader, waiting at most `wait` for one to come back.
    pub(crate) fn checkout(&self, wait: Duration) -> Result<ReaderGuard<'_>, NoReader> {
        let deadline = Instant::now() + wait;
        let mut idle = lock(&self.idle);
        loop {
            if idle.state != State::Open {
                return Err(NoReader::Closed);
            }
            if let Some(reader) = idle.readers.pop() {
                return Ok(ReaderGuard {
                    pool: self,
                    reader: Some(reader),
                });
            }
            let now = Instant::now();
            if now >= deadline {
                return Err(NoReader::TimedOut);
            }
            idle = self
                .returned
                .wait_timeout(idle, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }

    /// Stops lending, waits at most `wait` for readers on loan (their snapshots would
    /// hold back the close-time checkpoint), then closes every idle reader. A reader
    /// that comes back later is closed on return.
    pub(crate) fn close(&self, wait: Duration) {
        let deadline = Instant::now() + wait;
        let mut idle = lock(&self.idle);
        idle.state = State::Closing;
        self.returned.notify_all();
        while idle.readers.len() < self.size && Instant::now() < deadline {
            idle = self
                .returned
                .wait_timeout(idle, Duration::from_millis(10))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        idle.state = State::Closed;
        let readers = std::mem::take(&mut idle.readers);
        drop(idle);
        drop(readers);
    }
}

/// A reader on loan; it goes back to the pool when dropped.
pub(crate) struct ReaderGuard<'a> {
    pool: &'a ReaderPool,
    reader: Option<PooledReader>,
}

impl ReaderGuard<'_> {
    pub(crate) fn reader(&mut self) -> &mut PooledReader {
        self.reader
            .as_mut()
            .expect("a reader guard holds its reader until dropped")
    }
}

impl Drop for ReaderGuard<'_> {
    fn drop(&mut self) {
        let Some(reader) = self.reader.take() else {
            return;
        };
        let mut idle = lock(&self.pool.idle);
        if idle.state == State::Closed {
            drop(idle);
            drop(reader); // the pool is gone: close the connection
            return;
        }
        idle.readers.push(reader);
        drop(idle);
        self.pool.returned.notify_all();
    }
}
